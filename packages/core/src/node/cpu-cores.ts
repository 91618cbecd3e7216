import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { SessionSettings } from "../sessions/session.js";

/**
 * How many inference threads this machine can really run: its physical cores
 * (hyperthreads add little to convolutions), no more than the CPUs this
 * process may use (affinity) or its cgroup's CPU quota (a container's
 * `--cpus`). Undefined where Linux's sysfs does not say, and onnxruntime
 * chooses.
 *
 * onnxruntime's own choice is not enough: it counts cores through cpuinfo,
 * which on some virtual machines finds one core where there are two (the
 * 2-core benchmark machines of 2026-12-05, whose sysfs lists no caches), so a
 * session ran on one thread, 1.55 times slower than on two.
 */
export function cpuCores(sys = "/sys"): number | undefined {
  const cores = physicalCores(sys);
  if (cores === undefined) return undefined;
  const quota = cgroupQuota(sys);
  return Math.max(1, Math.min(cores, availableParallelism(), quota ?? Number.POSITIVE_INFINITY));
}

/** The thread setting a session gets (the Remover's, and the bench's bare session): the threads asked for, else cpuCores(). */
export function threadSettings(requested?: number): SessionSettings {
  const threads = requested ?? cpuCores();
  return threads === undefined ? {} : { threads };
}

/** Distinct cores among the online CPUs, from each CPU's list of SMT siblings. */
function physicalCores(sys: string): number | undefined {
  const root = join(sys, "devices/system/cpu");
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => /^cpu\d+$/.test(name));
  } catch {
    return undefined;
  }
  const online = new Set(cpuList(read(join(root, "online")) ?? names.map((n) => n.slice(3)).join(",")));
  const cores = new Set<string>();
  for (const name of names) {
    if (!online.has(Number(name.slice(3)))) continue;
    const topology = join(root, name, "topology");
    const siblings = read(join(topology, "core_cpus_list")) ?? read(join(topology, "thread_siblings_list"));
    if (siblings === undefined) return undefined;
    cores.add(siblings);
  }
  return cores.size > 0 ? cores.size : undefined;
}

/** CPUs' worth of the cgroup's quota (v2 cpu.max, or v1 cfs quota and period), rounded up; undefined when unlimited. */
function cgroupQuota(sys: string): number | undefined {
  const v2 = read(join(sys, "fs/cgroup/cpu.max"))?.split(/\s+/);
  const [quota, period] = v2 ?? [read(join(sys, "fs/cgroup/cpu/cpu.cfs_quota_us")), read(join(sys, "fs/cgroup/cpu/cpu.cfs_period_us"))];
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? Math.ceil(q / p) : undefined;
}

/** "0-3,8,10-11" to its CPU numbers. */
function cpuList(text: string): number[] {
  return text
    .split(",")
    .filter((part) => part.trim() !== "")
    .flatMap((part) => {
      const [from, to] = part.split("-").map(Number);
      if (from === undefined || Number.isNaN(from)) return [];
      const last = to === undefined || Number.isNaN(to) ? from : to;
      return Array.from({ length: last - from + 1 }, (_, i) => from + i);
    });
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}
