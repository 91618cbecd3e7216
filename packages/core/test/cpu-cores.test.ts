import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { recordingRuntime } from "../../../test/support/recording-runtime.js";
import { cpuCores, threadSettings } from "../src/node/cpu-cores.js";
import { Remover } from "../src/node/remover.js";

const roots: string[] = [];

/** A fake /sys: each CPU's SMT siblings, the online list, and optional cgroup files. */
function sysfs(siblings: string[], extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "cutout-sysfs-"));
  roots.push(root);
  const files: Record<string, string> = { "devices/system/cpu/online": `0-${siblings.length - 1}\n`, ...extra };
  siblings.forEach((list, cpu) => {
    files[`devices/system/cpu/cpu${cpu}/topology/core_cpus_list`] = `${list}\n`;
  });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("cpuCores", () => {
  it("counts physical cores, not hyperthreads", () => {
    // Two cores with two threads each: CPUs 0 and 2 share a core, 1 and 3 the other.
    expect(cpuCores(sysfs(["0,2", "1,3", "0,2", "1,3"]))).toBe(Math.min(2, availableParallelism()));
    expect(cpuCores(sysfs(["0", "1"]))).toBe(Math.min(2, availableParallelism()));
  });

  it("leaves out offline CPUs", () => {
    const root = sysfs(["0", "1", "2", "3"], { "devices/system/cpu/online": "0,2\n" });
    expect(cpuCores(root)).toBe(Math.min(2, availableParallelism()));
  });

  it("stays within a cgroup's CPU quota (v2, and v1), rounding up", () => {
    const many = Array.from({ length: 8 }, (_, i) => String(i));
    expect(cpuCores(sysfs(many, { "fs/cgroup/cpu.max": "150000 100000\n" }))).toBe(Math.min(2, availableParallelism()));
    expect(cpuCores(sysfs(many, { "fs/cgroup/cpu.max": "max 100000\n" }))).toBe(Math.min(8, availableParallelism()));
    const v1 = { "fs/cgroup/cpu/cpu.cfs_quota_us": "100000\n", "fs/cgroup/cpu/cpu.cfs_period_us": "100000\n" };
    expect(cpuCores(sysfs(many, v1))).toBe(1);
    expect(cpuCores(sysfs(many, { ...v1, "fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n" }))).toBe(Math.min(8, availableParallelism()));
  });

  it("says nothing where sysfs does not say (onnxruntime then chooses)", () => {
    expect(cpuCores(join(tmpdir(), "no-such-sysfs"))).toBeUndefined();
    const root = sysfs(["0", "1"]);
    rmSync(join(root, "devices/system/cpu/cpu1/topology"), { recursive: true });
    expect(cpuCores(root)).toBeUndefined();
  });

  it("gives way to threads asked for", () => {
    expect(threadSettings(3).threads).toBe(3);
    expect(threadSettings().threads).toBe(cpuCores());
  });
});

describe("the Remover's session threads", () => {
  it("are the machine's cores unless threads are given", async () => {
    const { runtime, created } = recordingRuntime();
    const remover = new Remover({ runtime });
    try {
      await remover.load();
      const cores = cpuCores();
      expect(created[0]).toMatchObject(cores === undefined ? {} : { intraOpNumThreads: cores, interOpNumThreads: 1 });
    } finally {
      await remover.close();
    }
  });
});
