import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from "n8n-workflow";
import { DESCRIPTION, type Operation } from "./description";
import { runItems } from "./items";
import { concurrency, cutImage, getAccount } from "./operations";

/** Cutout: an image's background removed (locally or by a remote API), its mask, or a remote provider's credits. */
export class Cutout implements INodeType {
  description: INodeTypeDescription = DESCRIPTION;

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter("operation", 0) as Operation;
    const count = this.getInputData().length;
    const run = (itemIndex: number) => (operation === "getAccount" ? getAccount(this, itemIndex) : cutImage(this, itemIndex, operation));
    return [await runItems(this, count, concurrency(this, operation), run)];
  }
}
