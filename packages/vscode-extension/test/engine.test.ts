/**
 * The engine process: one per engine setting, kept (with its loaded model)
 * across commands, restarted when the settings change, ended on deactivate;
 * a crash fails only the image in hand. The extension host itself never
 * loads the native modules.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildOnce } from "../../../test/support/cli.js";
import { EngineClient } from "../src/engine/client.js";
import type { EngineSettings, OutputPlan } from "../src/engine/protocol.js";
import { CAR, EXTENSION } from "./support/harness.js";

const FAST: EngineSettings = { engine: "local", quality: "fast" };

/** The test process's child processes (the engine processes it started). */
function children(): number[] {
  const ps = spawnSync("ps", ["-o", "pid=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((pid) => pid > 0 && pid !== ps.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let dir: string;
let client: EngineClient;
const logged: string[] = [];
const plan = (stem: string): OutputPlan => ({ dir, stem, matte: false, replace: false });

beforeAll(async () => {
  buildOnce();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-engine-"));
  client = new EngineClient(path.join(EXTENSION, "dist", "engine.js"), (line) => logged.push(line));
});
afterAll(async () => {
  await client.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe("the engine process", () => {
  it("is started on first use and kept: later images reuse its model", async () => {
    expect(children()).toEqual([]);
    const first = await client.remove(CAR, {}, plan("a"), FAST);
    const [pid] = children();
    expect(pid).toBeGreaterThan(0);
    const second = await client.remove(CAR, {}, plan("b"), FAST);
    expect(children()).toEqual([pid]);
    expect(first.timings.modelLoad).toBeGreaterThan(second.timings.modelLoad);
    expect([path.basename(first.output), path.basename(second.output)]).toEqual(["a.cutout.png", "b.cutout.png"]);
    expect(second.bytes).toBe((await fs.stat(second.output)).size);
  });

  it("restarts when the engine settings change; the old one finishes its image and exits", async () => {
    const [old] = children();
    const pending = client.remove(CAR, {}, plan("c"), FAST);
    const changed = client.remove(CAR, {}, plan("d"), { ...FAST, threads: 1 });
    const [c, d] = await Promise.all([pending, changed]);
    expect(path.basename(c.output)).toBe("c.cutout.png");
    expect(path.basename(d.output)).toBe("d.cutout.png");
    await vi.waitFor(() => expect(alive(old!)).toBe(false), { timeout: 10_000 });
    const now = children();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old);
  });

  it("a crash fails the image in hand with inference_failed and a message; the next image gets a new process", async () => {
    const [victim] = children();
    const doomed = client.remove(CAR, {}, plan("e"), { ...FAST, threads: 1 });
    process.kill(victim!, "SIGKILL");
    await expect(doomed).rejects.toMatchObject({
      code: "inference_failed",
      message: expect.stringContaining("stopped unexpectedly (signal SIGKILL)"),
    });
    expect(logged.some((l) => l.includes("signal SIGKILL"))).toBe(true);
    const next = await client.remove(CAR, {}, plan("f"), { ...FAST, threads: 1 });
    expect(path.basename(next.output)).toBe("f.cutout.png");
    expect(children()).toHaveLength(1);
    expect(children()[0]).not.toBe(victim);
    // Nothing half-written by the killed process: e's cutout is absent, and no temporary file is left.
    expect((await fs.readdir(dir)).filter((f) => f.startsWith("e.") || f.endsWith(".tmp"))).toEqual([]);
  });

  it("bad engine settings fail each image with core's validation error", async () => {
    await expect(client.remove(CAR, {}, plan("g"), { ...FAST, threads: 0 })).rejects.toMatchObject({
      code: "validation_error",
      field: "threads",
    });
  });

  it("close() with an image in hand stops at once (the window is closing); the next image starts a new process", async () => {
    const busy = client.remove(CAR, {}, plan("h"), { ...FAST, threads: 1 });
    const stopping = children();
    await client.close();
    await expect(busy).rejects.toMatchObject({ code: "inference_failed" });
    await vi.waitFor(() => expect(stopping.filter(alive)).toEqual([]), { timeout: 10_000 });
    expect((await fs.readdir(dir)).filter((f) => f.startsWith("h.") || f.endsWith(".tmp"))).toEqual([]);
    const after = await client.remove(CAR, {}, plan("i"), { ...FAST, threads: 1 });
    expect(path.basename(after.output)).toBe("i.cutout.png");
  });

  it("close() releases the model: the process exits", async () => {
    const running = children();
    expect(running.length).toBeGreaterThan(0);
    await client.close();
    await vi.waitFor(() => expect(running.filter(alive)).toEqual([]), { timeout: 10_000 });
    expect(children()).toEqual([]);
  });
});

describe("the extension host's bundle", () => {
  it("never loads the native modules: only the engine process does", () => {
    const host = readFileSync(path.join(EXTENSION, "dist", "extension.js"), "utf8");
    const engine = readFileSync(path.join(EXTENSION, "dist", "engine.js"), "utf8");
    // onnxruntime-node is imported lazily (`import()`), sharp at start (`require`).
    for (const native of ["sharp", "onnxruntime-node"]) {
      const loads = new RegExp(`(require|import)\\("${native}"\\)`);
      expect(host, native).not.toMatch(loads);
      expect(engine, native).toMatch(loads);
    }
  });
});
