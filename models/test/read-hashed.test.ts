import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readHashed } from "../src/read-hashed";

const dir = mkdtempSync(join(tmpdir(), "cutout-read-hashed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("readHashed", () => {
  it("reads a file over several chunks, and hashes exactly its bytes", async () => {
    // Not a multiple of the 4 MiB chunk, so the last read is short.
    const content = randomBytes((9 << 20) + 123);
    const file = join(dir, "model.onnx");
    writeFileSync(file, content);
    const { bytes, sha256: hash } = await readHashed(file);
    expect(bytes.length).toBe(content.length);
    expect(bytes.equals(content)).toBe(true);
    expect(hash).toBe(sha256(content));
  });

  it("reads an empty file", async () => {
    const file = join(dir, "empty");
    writeFileSync(file, new Uint8Array(0));
    const { bytes, sha256: hash } = await readHashed(file);
    expect(bytes.length).toBe(0);
    expect(hash).toBe(sha256(new Uint8Array(0)));
  });

  it("reads past the size stat gives (a file that grew, or one stat cannot size)", async () => {
    // Files in /proc stat as 0 bytes and still have content.
    if (!existsSync("/proc/version")) return;
    const expected = readFileSync("/proc/version");
    expect(expected.length).toBeGreaterThan(0);
    const { bytes, sha256: hash } = await readHashed("/proc/version");
    expect(bytes.equals(expected)).toBe(true);
    expect(hash).toBe(sha256(expected));
  });

  it("passes on the file system's error", async () => {
    await expect(readHashed(join(dir, "missing.onnx"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
