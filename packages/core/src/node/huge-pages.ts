import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * glibc's malloc asks the kernel for transparent huge pages (2 MB) on the
 * memory it maps with this tunable (glibc 2.35 and later; older versions and
 * musl ignore it). Everything big in the engine comes from malloc: the
 * onnxruntime arena, libvips' decoded pixels, our typed arrays, where
 * first-touching 4 kB pages is expensive (docs/benchmarks.md, "CLI: huge
 * pages").
 */
export const HUGE_PAGE_TUNABLE = "glibc.malloc.hugetlb=1";

/** Set to 0 to run in the invoked process, without the huge-page relaunch. */
export const HUGE_PAGES_SWITCH = "CUTOUT_HUGE_PAGES";

/** Tells the relaunched process its launcher's pid, so that it can stop when the launcher is killed outright. */
export const LAUNCHER_PID = "CUTOUT_LAUNCHER_PID";

export interface ProcessFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Node's own flags (`--inspect`, say); a relaunch would have to repeat them, so none is made. */
  execArgv: readonly string[];
  /** The selected mode in /sys/kernel/mm/transparent_hugepage/enabled, if readable. */
  thpMode: string | undefined;
}

/**
 * The environment to relaunch this process with so that malloc uses huge
 * pages, or undefined to carry on here: off Linux, when the user opted out or
 * already set the tunable (which is also how the relaunched process knows it
 * is one), when node was given flags, and when the kernel's mode makes it moot
 * (`always` applies huge pages anyway, `never` refuses them).
 */
export function hugePageEnv({ platform, env, execArgv, thpMode }: ProcessFacts): NodeJS.ProcessEnv | undefined {
  if (platform !== "linux" || env[HUGE_PAGES_SWITCH] === "0" || execArgv.length > 0 || thpMode !== "madvise") return undefined;
  const tunables = env.GLIBC_TUNABLES ?? "";
  if (choosesHugePages(tunables)) return undefined;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGE_TUNABLE}` : HUGE_PAGE_TUNABLE };
}

/** Whether a GLIBC_TUNABLES value already says whether malloc uses huge pages (either way). */
export function choosesHugePages(tunables: string | undefined): boolean {
  return tunables?.includes("glibc.malloc.hugetlb") ?? false;
}

/** The bracketed choice in a transparent_hugepage/enabled file ("always [madvise] never" is madvise). */
export function thpMode(path = "/sys/kernel/mm/transparent_hugepage/enabled"): string | undefined {
  try {
    return /\[(\w+)\]/.exec(readFileSync(path, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Runs `script` again in a child node with huge pages, when hugePageEnv says
 * so, and mirrors its exit: its code, or the signal that ended it. Returns
 * false, having started nothing, when the current process should do the work
 * itself; a child that cannot be started also lets it do so (`onFallback`).
 * The child shares stdin, stdout and stderr, so pipes and progress bars work
 * as before.
 */
export function relaunchWithHugePages(script: string, args: readonly string[], onFallback: () => void): boolean {
  const env = hugePageEnv({ platform: process.platform, env: process.env, execArgv: process.execArgv, thpMode: thpMode() });
  if (!env) return false;
  const child = spawn(process.execPath, [script, ...args], { env: { ...env, [LAUNCHER_PID]: String(process.pid) }, stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => {
    // A terminal's Ctrl-C reaches the child as well (one process group): passing it on would
    // make it a second Ctrl-C there. A SIGINT sent to this process alone is passed on.
    if (signal === "SIGINT" && inTerminalForeground()) return;
    child.kill(signal);
  };
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const detach = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
  let started = false;
  let failed = false;
  child.once("spawn", () => {
    started = true;
  });
  child.on("error", () => {
    // After a start, an error is a failed kill, say: the child's own exit still comes.
    if (started) return;
    // Node may still emit "exit" after a failed start: the fallback's own exit code must stand.
    failed = true;
    detach();
    onFallback();
  });
  child.on("exit", (code, signal) => {
    if (failed) return;
    detach();
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
  return true;
}

/**
 * In a relaunched process: exits once its launcher is gone (checked every
 * 500 ms, and after an inference in hand, which holds the thread). A launcher
 * killed with SIGKILL cannot pass that on, and the work it was asked for
 * should not go on behind its back (outputs are written atomically, so none
 * is left half written).
 */
export function followLauncher(): void {
  const launcher = Number(process.env[LAUNCHER_PID]);
  if (!launcher || process.ppid !== launcher) return;
  setInterval(() => {
    if (process.ppid !== launcher) process.exit(1);
  }, 500).unref();
}

/** Whether this process's group is its terminal's foreground group (fields 5 and 8 of /proc/self/stat). */
function inTerminalForeground(): boolean {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[2] === fields[5];
  } catch {
    return false;
  }
}
