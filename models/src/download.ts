import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { type GetOptions, get, HttpStatusError } from "./http.js";

const WRITE_BATCH = 4 * 1024 * 1024;

export interface DownloadResult {
  /** SRI string of what was received, `sha512-<base64>`. */
  readonly integrity: string;
  readonly bytes: number;
}

/**
 * Streams `url` into a new file `file` (created exclusively, so a name clash
 * with another process fails loudly instead of interleaving), hashing as it goes.
 */
export async function downloadToFile(
  url: URL,
  file: string,
  options: GetOptions & { onProgress?: ((received: number, total: number | undefined) => void) | undefined },
): Promise<DownloadResult> {
  const response = await get(url, options);
  if (response.status !== 200) {
    response.discard();
    throw new HttpStatusError(response.status);
  }
  const length = Number(response.headers["content-length"]);
  const total = Number.isSafeInteger(length) && length >= 0 ? length : undefined;

  const hash = createHash("sha512");
  let received = 0;
  let handle: fs.FileHandle | undefined;
  // Network chunks are ~64 KiB; writing them in batches saves a thousand round trips to the thread pool.
  let batch: Uint8Array[] = [];
  let batched = 0;
  try {
    handle = await fs.open(file, "wx");
    options.onProgress?.(0, total);
    for await (const chunk of response.body) {
      hash.update(chunk);
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= WRITE_BATCH) {
        await handle.writev(batch);
        batch = [];
        batched = 0;
      }
      received += chunk.length;
      options.onProgress?.(received, total);
    }
    if (batch.length > 0) await handle.writev(batch);
  } finally {
    response.discard();
    await handle?.close();
  }
  return { integrity: `sha512-${hash.digest("base64")}`, bytes: received };
}
