/**
 * Data safety: outputs are written atomically (a temporary file, then a
 * rename), an interrupted batch leaves no partial file and a re-run with
 * --skip-existing finishes the rest, and inputs are never modified.
 * (The corpus test also checks every host's inputs after each run.)
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../packages/core/src/node/write-atomic.js";
import { isOwnOutput } from "../../packages/core/src/output/file-names.js";
import { buildOnce, CLI, checkPng, FIXTURES, jsonLines, listFiles, runCli, sha256, tempDir } from "../support/cli";

const dirs: string[] = [];
async function workDir(label: string): Promise<string> {
  const dir = await tempDir(`safety-${label}`);
  dirs.push(dir);
  return dir;
}

beforeAll(() => buildOnce());
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

const PHOTOS = ["a.jpg", "b.jpg", "c.jpg", "d.jpg"];

async function batchFolder(label: string): Promise<{ dir: string; hashes: Map<string, string> }> {
  const dir = await workDir(label);
  await fs.mkdir(path.join(dir, "in"));
  const hashes = new Map<string, string>();
  for (const name of PHOTOS) {
    await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(dir, "in", name));
    hashes.set(name, await sha256(path.join(dir, "in", name)));
  }
  return { dir, hashes };
}

/** Starts the CLI and sends SIGINT (`times` times, 100 ms apart) once the first output appears in out/. */
async function interruptAfterFirstOutput(dir: string, args: string[], times = 1) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const killer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  for (;;) {
    const done = (await fs.readdir(path.join(dir, "out")).catch(() => [] as string[])).filter((f) => f.endsWith(".cutout.png"));
    if (done.length > 0) break;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  let beforeLastSignal: string[] = [];
  for (let i = 0; i < times; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    if (i === times - 1) beforeLastSignal = await listFiles(dir);
    child.kill("SIGINT");
  }
  const result = await exited;
  clearTimeout(killer);
  return { ...result, stderr, stdout, beforeLastSignal };
}

/** Every file in out/ is a complete PNG cut-out; no temporary or hidden file anywhere. */
async function expectOnlyCompleteOutputs(dir: string): Promise<string[]> {
  const all = await listFiles(dir);
  expect(
    all.filter((f) => path.basename(f).startsWith(".") || f.endsWith(".tmp")),
    "temporary files",
  ).toEqual([]);
  const outputs = all.filter((f) => f.startsWith("out/"));
  for (const file of outputs) {
    expect(file).toMatch(/^out\/[a-d]\.cutout\.png$/);
    expect(checkPng(await fs.readFile(path.join(dir, file))), file).toMatchObject({ width: 480, height: 360, channels: 4 });
  }
  return outputs;
}

describe("interrupting a CLI batch", () => {
  it("SIGINT finishes the image in hand and exits 130, leaving only complete outputs; --skip-existing finishes the rest", async () => {
    const { dir, hashes } = await batchFolder("sigint");

    const stopped = await interruptAfterFirstOutput(dir, ["in", "-o", "out/", "-q"]);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted; \d of 4 done\. Run again with --skip-existing to finish the rest/);
    const first = await expectOnlyCompleteOutputs(dir);
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first.length).toBeLessThan(4);
    const before = new Map<string, { hash: string; mtime: number }>();
    for (const file of first)
      before.set(file, { hash: await sha256(path.join(dir, file)), mtime: (await fs.stat(path.join(dir, file))).mtimeMs });

    const again = await runCli(["in", "-o", "out/", "-q", "--skip-existing", "--json"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const lines = jsonLines(again.stdout);
    expect(lines.map((l) => path.basename(l.input))).toEqual(PHOTOS);
    const skipped = lines.filter((l) => l.skipped === "up to date").map((l) => l.output);
    expect(skipped.sort()).toEqual(first.map((f) => path.join("out", path.basename(f))).sort());
    for (const line of lines.filter((l) => !l.skipped)) expect(line.error, line.input).toBeUndefined();
    console.log(`SIGINT: ${first.length} of 4 written before exit; the re-run skipped ${skipped.length} and cut out ${4 - skipped.length}`);

    expect((await expectOnlyCompleteOutputs(dir)).length).toBe(4);
    // What the first run finished is left as it was; the inputs were never touched.
    for (const [file, was] of before) {
      expect(await sha256(path.join(dir, file)), file).toBe(was.hash);
      expect((await fs.stat(path.join(dir, file))).mtimeMs, file).toBe(was.mtime);
    }
    for (const [name, hash] of hashes) expect(await sha256(path.join(dir, "in", name)), name).toBe(hash);
  });

  it("a second SIGINT stops at once, still without a partial output", async () => {
    const { dir, hashes } = await batchFolder("sigint2");
    const stopped = await interruptAfterFirstOutput(dir, ["in", "-o", "out/", "-q"], 2);
    // The default action of the second SIGINT: killed by the signal, without waiting for the image in hand,
    // so nothing was written after it (an image takes far longer than the few ms between listing and signal).
    expect(stopped.signal, stopped.stderr).toBe("SIGINT");
    const outputs = await expectOnlyCompleteOutputs(dir);
    expect(outputs.length).toBeLessThan(4);
    expect(await listFiles(dir)).toEqual(stopped.beforeLastSignal);
    for (const [name, hash] of hashes) expect(await sha256(path.join(dir, "in", name)), name).toBe(hash);
  });
});

describe("atomic writes", () => {
  it("a reader polling the file never sees a partial one while it is rewritten 40 times", async () => {
    const dir = await workDir("atomic");
    const target = path.join(dir, "out.png");
    const versions = [Buffer.alloc(8 << 20, 0xaa), Buffer.alloc(6 << 20, 0x55)];
    let writing = true;
    let reads = 0;
    const writer = (async () => {
      for (let i = 0; i < 40; i++) await writeFileAtomic(target, versions[i % 2]!);
      writing = false;
    })();
    const reader = (async () => {
      while (writing) {
        const got = await fs.readFile(target).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
        if (got) {
          reads++;
          expect(got.equals(versions[0]!) || got.equals(versions[1]!), `read ${reads}: ${got.length} bytes`).toBe(true);
        }
      }
    })();
    await Promise.all([writer, reader]);
    expect(reads).toBeGreaterThan(5);
    expect(await fs.readdir(dir)).toEqual(["out.png"]);
  });

  it("a failed write leaves neither the target nor its temporary file", async () => {
    const dir = await workDir("atomic-fail");
    // Renaming a file over a non-empty folder fails after the temporary file was written.
    await fs.mkdir(path.join(dir, "taken.png"));
    await fs.writeFile(path.join(dir, "taken.png", "inside"), "x");
    await expect(writeFileAtomic(path.join(dir, "taken.png"), Buffer.alloc(1 << 20))).rejects.toThrow();
    expect(await listFiles(dir)).toEqual(["taken.png/inside"]);
  });

  it("an exclusive write refuses an existing file with output_exists, keeping it and leaving no temporary file", async () => {
    const dir = await workDir("atomic-exclusive");
    const target = path.join(dir, "photo.cutout.png");
    await writeFileAtomic(target, Buffer.from("first"), { exclusive: true });
    await expect(writeFileAtomic(target, Buffer.from("second"), { exclusive: true })).rejects.toMatchObject({ code: "output_exists" });
    expect(await fs.readFile(target, "utf8")).toBe("first");
    expect(await listFiles(dir)).toEqual(["photo.cutout.png"]);
  });

  it("of two exclusive writers racing for one name, exactly one wins and its bytes are whole", async () => {
    const dir = await workDir("atomic-race");
    const target = path.join(dir, "out.png");
    const versions = [Buffer.alloc(4 << 20, 0xaa), Buffer.alloc(4 << 20, 0x55)];
    const outcomes = await Promise.allSettled(versions.map((data) => writeFileAtomic(target, data, { exclusive: true })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const winner = outcomes.findIndex((o) => o.status === "fulfilled");
    expect((await fs.readFile(target)).equals(versions[winner]!)).toBe(true);
    expect(await listFiles(dir)).toEqual(["out.png"]);
  });
});

describe("own outputs", () => {
  it("numbered outputs of hosts that never overwrite count as Cutout's own, so folder runs skip them", () => {
    for (const own of ["a.cutout.png", "a.cutout-1.png", "a b.cutout-12.webp", "x.mask-3.png", "A.CUTOUT.PNG"])
      expect(isOwnOutput(own), own).toBe(true);
    for (const input of ["a.png", "a.cutout-x.png", "cutout.png", "a.cutout-.png", "a-1.png"])
      expect(isOwnOutput(input), input).toBe(false);
  });
});
