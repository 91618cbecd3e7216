/**
 * Items in, items out: each input item gives exactly one output item, paired
 * with it, in input order. Items run a few at a time; a failure becomes an
 * error item under "Continue On Fail", and otherwise stops new items from
 * starting and fails the node for that item, once those in flight are done.
 */
import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from "n8n-workflow";

/** A core failure, recognised by shape: the node's two halves bundle separate copies of core's CutoutError class. */
interface Coded {
  message: string;
  code: string;
  field?: string;
}

export function codedError(error: unknown): Coded | undefined {
  if (!(error instanceof Error) || error.name !== "CutoutError") return undefined;
  const { code, field } = error as Error & { code?: unknown; field?: unknown };
  if (typeof code !== "string") return undefined;
  return { message: error.message, code, ...(typeof field === "string" ? { field } : {}) };
}

/**
 * The output item of a failed input under Continue On Fail: the message in
 * `error`, as n8n's own nodes give it, and core's stable code (and the option
 * at fault) in `details`. Those are the keys n8n reads as an error item, so
 * "Continue (using error output)" routes it to the error output with the
 * input's JSON; an `error` property on the item would make n8n replace the
 * JSON with the message alone, losing the code.
 */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
  const coded = codedError(error);
  const message = coded?.message ?? (error instanceof Error ? error.message : String(error));
  const details = coded && { code: coded.code, ...(coded.field ? { field: coded.field } : {}) };
  return { json: { error: message, ...(details ? { details } : {}) }, pairedItem: { item: itemIndex } };
}

/** The error that fails the node: n8n's own errors keep theirs, with the item; core's say their code. */
export function nodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
  if (error instanceof NodeOperationError) {
    error.context.itemIndex ??= itemIndex;
    return error;
  }
  const coded = codedError(error);
  if (!coded) return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
  const field = coded.field ? ` (field: ${coded.field})` : "";
  return new NodeOperationError(context.getNode(), coded.message, { itemIndex, description: `Cutout error code: ${coded.code}${field}` });
}

/**
 * Runs `work` for items 0..count-1, at most `limit` at a time, keeping input
 * order. With `continueOnFail` a failure becomes that item's error item;
 * without, no new item starts and the first failure (by item) is thrown.
 */
export async function runItems(
  context: IExecuteFunctions,
  count: number,
  limit: number,
  work: (itemIndex: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[]> {
  const out: INodeExecutionData[] = new Array(count);
  const continueOnFail = context.continueOnFail();
  let next = 0;
  const failures: { itemIndex: number; error: unknown }[] = [];
  const worker = async () => {
    while (next < count && failures.length === 0) {
      const itemIndex = next++;
      try {
        out[itemIndex] = await work(itemIndex);
      } catch (error) {
        if (continueOnFail) out[itemIndex] = errorItem(error, itemIndex);
        else failures.push({ itemIndex, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  const [first] = failures.sort((a, b) => a.itemIndex - b.itemIndex);
  if (first) throw nodeError(context, first.error, first.itemIndex);
  return out;
}
