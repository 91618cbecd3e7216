/**
 * One item's work for each operation: an n8n binary field in, core's call,
 * the result back as a binary field and its metadata in the item's JSON.
 */
import type { CutoutResult, EngineChoice, RemoveOptions } from "@cutout/core";
import { CutoutError, fetchRemoteAccount, outputSuffix, parseImageUrl, type RemoteSettings } from "@cutout/core/pure";
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from "n8n-workflow";
import { type EngineSetting, withRemover } from "./engine";
import type { Operation } from "./properties";
import { isProviderId, PROVIDER_CREDENTIALS, type ProviderId, remoteSettings } from "./providers";

/** How many items run at once: locally, one decodes and encodes while another is inferred; remotely, calls overlap. */
export function concurrency(context: IExecuteFunctions, operation: Operation): number {
  if (operation === "getAccount") return 1;
  return context.getNodeParameter("engine", 0, "local") === "local" ? 2 : 4;
}

function collection(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
  return context.getNodeParameter(name, itemIndex, {}) as IDataObject;
}

/** An added field left empty means "not given": core's default applies. */
function given(values: IDataObject): IDataObject {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== "" && value !== undefined && value !== null));
}

function provider(context: IExecuteFunctions, itemIndex: number): ProviderId {
  const id = context.getNodeParameter("provider", itemIndex, "removebg");
  if (!isProviderId(id)) throw new CutoutError("validation_error", `Unknown provider '${String(id)}'`, { field: "provider" });
  return id;
}

async function remote(context: IExecuteFunctions, itemIndex: number, timeoutMs?: number): Promise<RemoteSettings> {
  const id = provider(context, itemIndex);
  return remoteSettings(id, await context.getCredentials(PROVIDER_CREDENTIALS[id], itemIndex), timeoutMs);
}

async function engineSetting(context: IExecuteFunctions, itemIndex: number, engineOptions: IDataObject): Promise<EngineSetting> {
  const engine = context.getNodeParameter("engine", itemIndex, "local") as EngineChoice;
  const { model, quality, precision, timeoutMs } = engineOptions;
  return {
    engine,
    ...(typeof model === "string" ? { model } : {}),
    ...(typeof quality === "string" ? { quality: quality as EngineSetting["quality"] } : {}),
    ...(typeof precision === "string" ? { precision: precision as EngineSetting["precision"] } : {}),
    ...(engine === "local" ? {} : { remote: await remote(context, itemIndex, typeof timeoutMs === "number" ? timeoutMs : undefined) }),
  };
}

/** The item's options from the collections, in core's names; a background image may come from one of the item's binary fields. */
async function imageOptions(context: IExecuteFunctions, itemIndex: number, operation: Operation, engineOptions: IDataObject) {
  const { maxPixels, maxPngPixels, timeoutMs } = engineOptions;
  const options: IDataObject = {
    ...given(collection(context, "outputOptions", itemIndex)),
    ...given(collection(context, "layoutOptions", itemIndex)),
    ...(operation === "removeBackground"
      ? { ...given(collection(context, "backgroundOptions", itemIndex)), ...given(collection(context, "shadowOptions", itemIndex)) }
      : { format: "mask" }),
    ...given({ maxPixels, maxPngPixels, timeoutMs }),
  };
  const { bgImageField, ...rest } = options;
  const imageOptions: RemoveOptions = rest as RemoveOptions;
  // A URL only: a file path would read the n8n machine's files, past n8n's own file-access settings.
  if (typeof rest.bgImage === "string") imageOptions.bgImage = parseImageUrl(rest.bgImage, "bgImage");
  if (typeof bgImageField === "string") {
    if (rest.bgImage !== undefined) {
      throw new CutoutError("validation_error", "Give Background Image URL or Background Image Field, not both", { field: "bgImageField" });
    }
    imageOptions.bgImage = (await binaryField(context, itemIndex, bgImageField, "bgImageField")).bytes;
  }
  return imageOptions;
}

/**
 * A binary field of the item through n8n's helpers, so every binary mode
 * works: in memory, filesystem or S3, and fields kept apart from the JSON or
 * (n8n 2's "combined" mode) inside it. A missing field is a validation_error.
 */
async function binaryField(context: IExecuteFunctions, itemIndex: number, name: string, option: string) {
  let binary: IBinaryData;
  try {
    binary = context.helpers.assertBinaryData(itemIndex, name);
  } catch (error) {
    throw new CutoutError("validation_error", (error as Error).message, { field: option, cause: error });
  }
  return { binary, bytes: await context.helpers.getBinaryDataBuffer(itemIndex, binary) };
}

/** `photo.jpg` -> `photo.cutout.png` (`photo.mask.png` for a mask), as the CLI and the Action name their outputs. */
export function outputFileName(input: string | undefined, result: Pick<CutoutResult, "format">, mask: boolean): string {
  const stem = (input ?? "image").replace(/\.[^./\\]*$/, "") || "image";
  return `${stem}${outputSuffix({ format: result.format, channels: mask ? "alpha" : "rgba" })}`;
}

/** What the item's JSON says about the result. */
function metadata(result: CutoutResult, fileName: string): IDataObject {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    fileName,
    mimeType: result.mimeType,
    format: result.format,
    width: result.width,
    height: result.height,
    foreground: result.foreground ? { ...result.foreground } : null,
    engine: result.engine,
    model: result.model,
    ...(result.creditsCharged === undefined ? {} : { creditsCharged: result.creditsCharged }),
    timings: Object.fromEntries(Object.entries(result.timings).map(([stage, ms]) => [stage, round(ms)])),
    source: { format: result.source.format, width: result.source.width, height: result.source.height },
    warnings: result.warnings,
  };
}

export async function cutImage(context: IExecuteFunctions, itemIndex: number, operation: Operation): Promise<INodeExecutionData> {
  const item = context.getInputData()[itemIndex] as INodeExecutionData;
  const input = context.getNodeParameter("binaryPropertyName", itemIndex) as string;
  const output = context.getNodeParameter("outputBinaryPropertyName", itemIndex) as string;
  const engineOptions = given(collection(context, "engineOptions", itemIndex));
  const { binary: photo, bytes } = await binaryField(context, itemIndex, input, "binaryPropertyName");
  const options = await imageOptions(context, itemIndex, operation, engineOptions);
  const setting = await engineSetting(context, itemIndex, engineOptions);
  const result = await withRemover(
    setting,
    (message) => context.logger.info(message),
    (remover) => remover.remove(bytes, options),
  );
  const fileName = outputFileName(photo.fileName, result, operation === "getMask" || options.channels === "alpha");
  const binary = await context.helpers.prepareBinaryData(result.data, fileName, result.mimeType);
  return {
    json: { ...item.json, cutout: metadata(result, fileName) },
    binary: { ...item.binary, [output]: binary },
    pairedItem: { item: itemIndex },
  };
}

export async function getAccount(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
  const account = await fetchRemoteAccount(await remote(context, itemIndex));
  return { json: { ...account, credits: { ...account.credits } }, pairedItem: { item: itemIndex } };
}
