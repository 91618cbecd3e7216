/**
 * A stand-in for n8n's IExecuteFunctions, for unit tests of the node beside
 * the real-n8n test (test/n8n). It follows n8n-core 2.41's own code where the
 * node depends on it:
 * - parameters: a value, or a function of the item index (an expression);
 *   a missing one without a fallback throws, as n8n does;
 * - continueOnFail(): the node's onError setting, or the legacy flag;
 * - binary data: n8n's BinaryDataService modes, "default" (base64 in the
 *   item) and "filesystem" (an id, bytes in a file, `data` holding the mode),
 *   and the workflow's binary mode, "separate" (item.binary) or "combined"
 *   (binary objects inside the JSON), through assertBinaryData and
 *   getBinaryDataBuffer as binary-helper-functions.ts implements them;
 * - prepareBinaryData: mime type, file name and extension as n8n derives
 *   them from the given path and mime type, then stored in the chosen mode;
 * - getCredentials: a NodeOperationError when the node has none of the type.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type IBinaryData,
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type IExecuteFunctions,
  type INode,
  type INodeExecutionData,
  NodeOperationError,
} from "n8n-workflow";

export type StorageMode = "default" | "filesystem";
export type BinaryMode = "separate" | "combined";
type Parameter = unknown | ((itemIndex: number) => unknown);

export interface ContextOptions {
  items: INodeExecutionData[];
  parameters: Record<string, Parameter>;
  credentials?: Record<string, ICredentialDataDecryptedObject>;
  onError?: INode["onError"];
  storage?: StorageMode;
  binaryMode?: BinaryMode;
}

export interface TestContext {
  context: IExecuteFunctions;
  logs: string[];
  /** Bytes of a binary object from the node's output, in whatever mode it was stored. */
  read(binary: IBinaryData): Buffer;
  /** A binary object as a previous node would have stored it. */
  store(bytes: Buffer, fileName: string, mimeType: string): IBinaryData;
}

/** The filesystem mode's storage folder, made on first use; tests remove it with clearBinaryStore(). */
let storeDir: string | undefined;
const storePath = (fileId: string) => {
  storeDir ??= mkdtempSync(path.join(os.tmpdir(), "cutout-n8n-binary-"));
  return path.join(storeDir, fileId);
};

/** Removes what filesystem-mode contexts stored (call it in afterAll). */
export function clearBinaryStore(): void {
  if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  storeDir = undefined;
}

const MIME_EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/bmp": "bmp",
  "application/zip": "zip",
};

export function executeContext(options: ContextOptions): TestContext {
  const { items, parameters, credentials = {}, storage = "default", binaryMode = "separate" } = options;
  const node: INode = {
    id: "cutout-node",
    name: "Cutout",
    type: "CUSTOM.cutout",
    typeVersion: 1,
    position: [0, 0],
    parameters: {},
    credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: `${type}-1`, name: type }])),
    ...(options.onError ? { onError: options.onError } : {}),
  };
  const logs: string[] = [];

  const store = (bytes: Buffer, fileName: string | undefined, mimeType: string): IBinaryData => {
    const fileExtension = fileName?.includes(".") ? fileName.split(".").pop() : MIME_EXTENSIONS[mimeType];
    const binary: IBinaryData = {
      mimeType,
      fileType: mimeType.startsWith("image/") ? "image" : undefined,
      fileExtension,
      data: "",
      ...(fileName ? { fileName } : {}),
    } as IBinaryData;
    binary.fileSize = `${bytes.length} B`;
    binary.bytes = bytes.length;
    if (storage === "default") {
      binary.data = bytes.toString("base64");
      return binary;
    }
    const fileId = `workflows/test/executions/1/binary_data/${randomUUID()}`;
    mkdirSync(path.dirname(storePath(fileId)), { recursive: true });
    writeFileSync(storePath(fileId), bytes);
    binary.id = `filesystem-v2:${fileId}`;
    binary.data = "filesystem-v2";
    return binary;
  };
  const read = (binary: IBinaryData): Buffer => {
    if (binary.id) {
      const [, fileId] = binary.id.split(":");
      return readFileSync(storePath(fileId as string));
    }
    return Buffer.from(binary.data, "base64");
  };
  const isBinary = (value: unknown): value is IBinaryData =>
    typeof value === "object" && value !== null && typeof (value as IBinaryData).mimeType === "string" && "data" in value;

  const assertBinaryData = (itemIndex: number, parameterData: string | IBinaryData): IBinaryData => {
    if (isBinary(parameterData)) return parameterData;
    if (binaryMode === "combined") {
      const found = parameterData.split(".").reduce<unknown>((at, key) => (at as IDataObject | undefined)?.[key], items[itemIndex]?.json);
      if (!isBinary(found)) {
        throw new NodeOperationError(
          node,
          `The path '${parameterData}' does not resolve to a binary data object in the input data [item ${itemIndex}]`,
          {
            itemIndex,
          },
        );
      }
      return found;
    }
    const fields = items[itemIndex]?.binary;
    if (fields === undefined) {
      throw new NodeOperationError(
        node,
        `This operation expects the node's input data to contain a binary file '${parameterData}', but none was found [item ${itemIndex}]`,
        { itemIndex },
      );
    }
    const field = fields[parameterData];
    if (field === undefined)
      throw new NodeOperationError(node, `The item has no binary field '${parameterData}' [item ${itemIndex}]`, { itemIndex });
    return field;
  };

  const context = {
    getInputData: () => items,
    getNode: () => node,
    getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
      const value = parameters[name];
      if (value === undefined) {
        if (fallback !== undefined) return fallback;
        throw new Error(`Could not get parameter "${name}"`);
      }
      return typeof value === "function" ? (value as (i: number) => unknown)(itemIndex) : structuredClone(value);
    },
    continueOnFail: () => node.onError === "continueRegularOutput" || node.onError === "continueErrorOutput",
    async getCredentials(type: string) {
      const found = credentials[type];
      if (!found) throw new NodeOperationError(node, `Node "${node.name}" does not have any credentials of type "${type}" set`);
      return { ...found };
    },
    logger: {
      info: (message: string) => logs.push(message),
      debug: () => undefined,
      warn: (message: string) => logs.push(message),
      error: (message: string) => logs.push(message),
    },
    helpers: {
      assertBinaryData,
      async getBinaryDataBuffer(itemIndex: number, parameterData: string | IBinaryData) {
        const binary = isBinary(parameterData) ? parameterData : assertBinaryData(itemIndex, parameterData);
        return read(binary);
      },
      async prepareBinaryData(bytes: Buffer, filePath?: string, mimeType?: string) {
        const fileName = filePath ? path.basename(filePath) : undefined;
        return store(bytes, fileName, mimeType ?? "text/plain");
      },
    },
  } as unknown as IExecuteFunctions;

  return { context, logs, read, store: (bytes, fileName, mimeType) => store(bytes, fileName, mimeType) };
}
