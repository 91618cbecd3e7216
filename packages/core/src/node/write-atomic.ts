import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CutoutError } from "../errors.js";

export interface WriteOptions {
  /**
   * Never replace an existing file: fail with `output_exists` instead. The
   * check and the write are one step (a hard link, or an exclusive copy where
   * the file system has no links), so a file that appears meanwhile is kept.
   */
  exclusive?: boolean;
}

/**
 * Writes through a temporary file in the same folder, then renames: a reader
 * (or an interrupted batch) never sees half a file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data);
    if (options.exclusive) await publishExclusive(temp, path);
    else await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

async function publishExclusive(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new CutoutError("output_exists", `${path} already exists`);
    // FAT, some network shares: no hard links. A copy that refuses to replace is still exclusive.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
    try {
      await copyFile(temp, path, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === "EEXIST") throw new CutoutError("output_exists", `${path} already exists`);
      // Created by this copy and cut short (a full disk): never leave half a file behind.
      await rm(path, { force: true });
      throw copyError;
    }
  }
}
