import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from "n8n-workflow";
import { runItems } from "./items";
import { concurrency, cutImage, getAccount } from "./operations";
import { type Operation, PROPERTIES } from "./properties";
import { PROVIDER_CREDENTIALS, PROVIDER_IDS } from "./providers";

/** Cutout: an image's background removed (locally or by a remote API), its mask, or a remote provider's credits. */
export class Cutout implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Cutout",
    name: "cutout",
    icon: "file:cutout.svg",
    group: ["transform"],
    version: 1,
    subtitle:
      '={{$parameter["operation"] === "getAccount" ? "Get Account" : $parameter["operation"] === "getMask" ? "Get Mask" : "Remove Background"}}',
    description: "Remove image backgrounds locally for free, or through remove.bg-compatible APIs",
    defaults: { name: "Cutout" },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    credentials: PROVIDER_IDS.map((id) => ({
      name: PROVIDER_CREDENTIALS[id],
      required: true,
      displayOptions: { show: { provider: [id] } },
    })),
    properties: PROPERTIES,
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter("operation", 0) as Operation;
    const count = this.getInputData().length;
    const run = (itemIndex: number) => (operation === "getAccount" ? getAccount(this, itemIndex) : cutImage(this, itemIndex, operation));
    return [await runItems(this, count, concurrency(this, operation), run)];
  }
}
