import type { ModelSpec } from "./manifest.js";

/** One slice of the model: the file holding it (named by its sha256) and where it goes. */
export interface Chunk {
  readonly hash: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The chunk list for the spec's resource in the package's chunk index
 * (resources.json), checked to tile [0, bytes) exactly. No Node built-ins:
 * the Node loader and the browser's model source read the same index.
 */
export function parseChunkIndex(text: string, spec: ModelSpec): Chunk[] {
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    throw new Error(`${spec.source.resources} is not valid JSON`);
  }
  const resource = (index as Record<string, unknown> | null)?.[spec.source.resource];
  const raw = (resource as { chunks?: unknown } | undefined)?.chunks;
  if (!Array.isArray(raw)) throw new Error(`${spec.source.resources} has no chunk list for ${spec.source.resource}`);

  const chunks = raw.map((item: unknown): Chunk => {
    const { hash, offsets } = (item ?? {}) as { hash?: unknown; offsets?: unknown };
    const [start, end] = Array.isArray(offsets) ? (offsets as unknown[]) : [];
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash) || !isOffset(start) || !isOffset(end) || end <= start) {
      throw new Error(`${spec.source.resources} has a malformed chunk entry for ${spec.source.resource}`);
    }
    return { hash, start, end };
  });
  chunks.sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const chunk of chunks) {
    if (chunk.start !== expected)
      throw new Error(`${spec.source.resources}: chunks of ${spec.source.resource} leave a gap or overlap at byte ${expected}`);
    expected = chunk.end;
  }
  if (expected !== spec.bytes) {
    throw new Error(`${spec.source.resources}: ${spec.source.resource} is ${expected} bytes, the manifest expects ${spec.bytes}`);
  }
  return chunks;
}

function isOffset(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
