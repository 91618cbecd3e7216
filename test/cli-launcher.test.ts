/**
 * The CLI's huge-page relaunch (packages/core/src/node/huge-pages.ts): the
 * decision on its own, then the real bin script, whose relaunched child is
 * found through /proc and checked for the tunable, its output, and how
 * signals to the launcher reach it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUGE_PAGE_TUNABLE, hugePageEnv, LAUNCHER_PID, thpMode } from "../packages/core/src/node/huge-pages";
import { buildOnce, CLI, decode, FIXTURES, tempDir } from "./support/cli";

const linux = { platform: "linux" as const, env: {}, execArgv: [], thpMode: "madvise" };

describe("hugePageEnv", () => {
  it("adds the tunable on Linux when the kernel hands out huge pages on request", () => {
    expect(hugePageEnv({ ...linux, env: { PATH: "/bin" } })).toEqual({ PATH: "/bin", GLIBC_TUNABLES: HUGE_PAGE_TUNABLE });
  });

  it("keeps the user's other tunables", () => {
    const env = hugePageEnv({ ...linux, env: { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" } });
    expect(env?.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGE_TUNABLE}`);
  });

  it("does not relaunch when it would change nothing, was switched off, or cannot repeat node's flags", () => {
    expect(hugePageEnv({ ...linux, platform: "darwin" })).toBeUndefined();
    expect(hugePageEnv({ ...linux, platform: "win32" })).toBeUndefined();
    expect(hugePageEnv({ ...linux, thpMode: "always" })).toBeUndefined();
    expect(hugePageEnv({ ...linux, thpMode: "never" })).toBeUndefined();
    expect(hugePageEnv({ ...linux, thpMode: undefined })).toBeUndefined();
    expect(hugePageEnv({ ...linux, env: { CUTOUT_HUGE_PAGES: "0" } })).toBeUndefined();
    expect(hugePageEnv({ ...linux, execArgv: ["--inspect"] })).toBeUndefined();
    // Set by the user, or by the launcher itself: the relaunched process must not relaunch again.
    expect(hugePageEnv({ ...linux, env: { GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" } })).toBeUndefined();
    expect(hugePageEnv({ ...linux, env: { GLIBC_TUNABLES: HUGE_PAGE_TUNABLE } })).toBeUndefined();
  });

  it("reads the bracketed mode of a transparent_hugepage/enabled file", async () => {
    const dir = await tempDir("thp");
    const file = path.join(dir, "enabled");
    await fs.writeFile(file, "always [madvise] never\n");
    expect(thpMode(file)).toBe("madvise");
    await fs.writeFile(file, "[always] madvise never\n");
    expect(thpMode(file)).toBe("always");
    expect(thpMode(path.join(dir, "missing"))).toBeUndefined();
    await fs.rm(dir, { recursive: true });
  });
});

// The relaunch only happens where the kernel's mode is madvise (the CI machines' is).
const relaunches = process.platform === "linux" && thpMode() === "madvise";

describe.runIf(relaunches)("the cutout command relaunches itself with huge pages", () => {
  let dir: string;
  beforeAll(async () => {
    buildOnce();
    dir = await tempDir("launcher");
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it("runs the work in a child with the tunable; stdin, the output and the exit code pass through", async () => {
    const launcher = spawn(process.execPath, [CLI, "-", "-o", "out.png"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const exited = exit(launcher);
    const child = await childOf(launcher.pid!);
    // Between fork and exec the child still shows the launcher's environment, and during exec none:
    // wait for the variable that only the relaunched child's environment has.
    await until(() => environ(child)[LAUNCHER_PID] === String(launcher.pid));
    expect(environ(child).GLIBC_TUNABLES).toBe(HUGE_PAGE_TUNABLE);
    expect(environ(launcher.pid!).GLIBC_TUNABLES).toBeUndefined();
    launcher.stdin!.end(await fs.readFile(path.join(FIXTURES, "car-1.jpg")));
    expect(await exited).toEqual({ code: 0, signal: null });
    const out = await decode(path.join(dir, "out.png"));
    expect([out.width, out.height, out.channels]).toEqual([480, 360, 4]);
    expect(out.at(240, 200, 3)).toBe(255);
    expect(out.at(5, 5, 3)).toBe(0);
  });

  /** `cutout --json` on `count` copies of a photo: a batch that takes seconds, with a line on stdout per result. */
  async function startBatch(name: string, count: number) {
    const inputs = Array.from({ length: count }, (_, i) => path.join(dir, name, `${i}.jpg`));
    await fs.mkdir(path.join(dir, name));
    for (const file of inputs) await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), file);
    const out = path.join(dir, `${name}-out`);
    // Its own session: no controlling terminal, so a SIGINT to the launcher is passed on.
    const launcher = spawn(process.execPath, [CLI, "--json", "-o", out, ...inputs], {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    launcher.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = exit(launcher);
    const child = await childOf(launcher.pid!);
    // After the first result line the CLI's own Ctrl-C handler is in place.
    await new Promise<void>((resolve) => launcher.stdout!.once("data", () => resolve()));
    return { launcher, child, exited, stderr: () => stderr, written: async () => (await fs.readdir(out)).length };
  }

  it("SIGTERM to the launcher is passed on: the child stops mid-batch, and the launcher dies of it", async () => {
    const run = await startBatch("term", 16);
    run.launcher.kill("SIGTERM");
    expect(await run.exited).toEqual({ code: null, signal: "SIGTERM" });
    // Half a second's polling, after the inference in hand (onnxruntime holds the child's thread while it runs).
    await gone(run.child, 3000);
    expect(await run.written()).toBeLessThan(16);
  });

  it("a launcher killed outright takes the child with it within a few seconds, mid-batch", async () => {
    const run = await startBatch("kill", 16);
    run.launcher.kill("SIGKILL");
    await run.exited;
    // Half a second's polling, after the inference in hand (onnxruntime holds the child's thread while it runs).
    await gone(run.child, 3000);
    expect(await run.written()).toBeLessThan(16);
  });

  it("SIGINT to the launcher is the CLI's Ctrl-C: the image in hand is finished, then it stops with 130", async () => {
    const run = await startBatch("int", 4);
    run.launcher.kill("SIGINT");
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(run.stderr()).toMatch(/interrupted; [12] of 4 done/);
    expect(await run.written()).toBeLessThan(4);
  });

  // A terminal's Ctrl-C goes to its whole foreground process group, launcher and child alike: the
  // launcher must not pass on a second one, which the CLI takes as "kill now". util-linux's
  // `script` runs the command on a real pseudo-terminal, where ^C written to it is that Ctrl-C.
  const script = spawnSync("script", ["--version"]).status === 0;
  it.runIf(script)("a terminal's Ctrl-C is one Ctrl-C: the image in hand is finished, then it stops with 130", async () => {
    const inputs = ["a", "b", "c", "d"].map((n) => path.join(dir, "tty", `${n}.jpg`));
    await fs.mkdir(path.join(dir, "tty"));
    for (const file of inputs) await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), file);
    const command = [process.execPath, CLI, "--json", "-o", path.join(dir, "tty-out"), ...inputs].map((a) => `'${a}'`).join(" ");
    const terminal = spawn("script", ["-qec", command, "/dev/null"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    const firstResult = new Promise<void>((resolve) =>
      terminal.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('{"input"')) resolve();
      }),
    );
    const exited = exit(terminal);
    await firstResult;
    terminal.stdin!.write("\x03");
    // script -e exits with the command's code; a doubled Ctrl-C would kill the CLI at once instead.
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(output).toMatch(/interrupted; [123] of 4 done/);
  });
});

function exit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
}

/** The launcher's one child, from /proc, once it has been started. */
async function childOf(pid: number): Promise<number> {
  const children = () => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  await until(() => children() !== "", 10_000);
  return Number(children().split(" ")[0]);
}

function environ(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

/** Waits until `pid` runs nothing: gone, or a zombie (state Z, the field after the name). */
function gone(pid: number, withinMs: number): Promise<void> {
  return until(() => {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
    return !stat || stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  }, withinMs);
}

/** Polls `condition` (a /proc read that throws counts as not yet) until it holds. */
async function until(condition: () => boolean, withinMs = 5000): Promise<void> {
  const holds = () => {
    try {
      return condition();
    } catch {
      return false;
    }
  };
  for (let waited = 0; !holds(); waited += 20) {
    if (waited >= withinMs) throw new Error(`still not so after ${withinMs} ms`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
