import { describe, expect, it } from "vitest";
import { readTar } from "../src/tar";

/** A minimal tar writer, enough to build the shapes npm tarballs use. */
function header(name: string, size: number, flag: string, prefix = ""): Uint8Array {
  const block = new Uint8Array(512);
  const put = (text: string, at: number) => block.set(new TextEncoder().encode(text), at);
  put(name, 0);
  put("0000644\0", 100);
  put(`${size.toString(8).padStart(11, "0")}\0`, 124);
  put("        ", 148);
  put(flag, 156);
  put("ustar\0", 257);
  put("00", 263);
  put(prefix, 345);
  const sum = block.reduce((a, b) => a + b, 0);
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

function entry(name: string, body: string, flag = "0", prefix = ""): Uint8Array[] {
  const bytes = new TextEncoder().encode(body);
  const padded = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
  padded.set(bytes);
  return [header(name, bytes.length, flag, prefix), padded];
}

function pax(path: string): string {
  const record = (len: number) => `${len} path=${path}\n`;
  let len = record(0).length;
  while (record(len).length !== len) len = record(len).length;
  return record(len);
}

function archive(...parts: Uint8Array[][]): Uint8Array {
  const blocks = [...parts.flat(), new Uint8Array(1024)];
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Feeds the archive in awkward slice sizes, as a network or gunzip would. */
async function* slices(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString();
}

const longName = `package/${"d".repeat(120)}/file.txt`;
const sample = archive(
  entry("package/", "", "5"),
  entry("package/a.txt", "hello"),
  entry("././@LongLink", longName, "L"),
  entry("package/truncated-name", "gnu long name"),
  entry("PaxHeader", pax(`${longName}.pax`), "x"),
  entry("package/short", "pax name"),
  entry("b.txt", "x".repeat(1500), "0", "package/dist"),
);

describe("readTar", () => {
  for (const size of [1, 7, 512, 100_000]) {
    it(`reads names, types and bodies (source chunks of ${size} bytes)`, async () => {
      const seen: Array<[string, string, string]> = [];
      for await (const e of readTar(slices(sample, size))) seen.push([e.name, e.type, await text(e.body)]);
      expect(seen).toEqual([
        ["package/", "directory", ""],
        ["package/a.txt", "file", "hello"],
        [longName, "file", "gnu long name"],
        [`${longName}.pax`, "file", "pax name"],
        ["package/dist/b.txt", "file", "x".repeat(1500)],
      ]);
    });
  }

  it("skips bodies that are not read, or read only in part", async () => {
    const names: string[] = [];
    for await (const e of readTar(slices(sample, 300))) {
      names.push(e.name);
      if (e.name.endsWith("b.txt")) {
        for await (const part of e.body) {
          expect(part.length).toBeGreaterThan(0);
          break;
        }
      }
    }
    expect(names).toHaveLength(5);
  });

  it("rejects a corrupt header and a truncated archive", async () => {
    const bad = Uint8Array.from(sample);
    bad[512 + 10] = 0x41; // inside the second header's name
    await expect(async () => {
      for await (const _ of readTar(slices(bad, 4096))) {
        // consume
      }
    }).rejects.toThrow(/checksum/);
    await expect(async () => {
      for await (const e of readTar(slices(sample.subarray(0, 1024 + 100), 4096))) await text(e.body);
    }).rejects.toThrow(/truncated/);
  });
});
