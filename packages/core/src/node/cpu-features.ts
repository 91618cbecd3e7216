import { readFileSync } from "node:fs";
import os from "node:os";

/**
 * The CPU features that decide which onnxruntime kernels run (and so how fast
 * int8 inference is): named in `--json` output and benchmark headers, so a
 * timing always says which family it came from. docs/benchmarks.md says what
 * each family gets.
 */
export interface CpuFeatures {
  arch: string;
  model: string;
  /** The SIMD features onnxruntime's int8 and float kernels dispatch on, as the kernel names them. */
  simd: string[];
  /** The widest int8 dot-product path: VNNI (x86) or dot-product (ARM) instructions, else plain SIMD. */
  int8: "vnni" | "avx2" | "sse" | "dotprod" | "neon" | "unknown";
}

/** x86 flags and ARM features (their /proc/cpuinfo names) worth reporting, widest last within each family. */
const REPORTED = [
  "sse4_1",
  "avx",
  "avx2",
  "fma",
  "avx512f",
  "avx512bw",
  "avx512_vnni",
  "avx_vnni",
  "avx512_bf16",
  "amx_int8",
  "asimd",
  "asimddp",
  "i8mm",
  "sve",
];

let found: CpuFeatures | undefined;

export function cpuFeatures(): CpuFeatures {
  found ??= readCpuFeatures(process.platform === "linux" ? readCpuinfo() : undefined, process.arch, os.cpus()[0]?.model, process.platform);
  return found;
}

/** One line for logs and JSON: "x64, AMD EPYC 9R14, int8 vnni (avx2 fma avx512f ...)". */
export function cpuSummary(): string {
  const cpu = cpuFeatures();
  return `${cpu.arch}, ${cpu.model}, int8 ${cpu.int8}${cpu.simd.length > 0 ? ` (${cpu.simd.join(" ")})` : ""}`;
}

/** Pure, for tests: /proc/cpuinfo's text (Linux), Node's arch, the CPU model name and the platform. */
export function readCpuFeatures(cpuinfo: string | undefined, arch: string, model: string | undefined, platform: string): CpuFeatures {
  const line = cpuinfo && /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo)?.[1];
  const present = new Set((line ?? "").split(/\s+/));
  const simd = REPORTED.filter((name) => present.has(name));
  const has = (name: string) => present.has(name);
  let int8: CpuFeatures["int8"] = "unknown";
  if (line !== undefined && line !== "") {
    if (has("avx512_vnni") || has("avx_vnni") || has("amx_int8")) int8 = "vnni";
    else if (has("avx2")) int8 = "avx2";
    else if (has("sse4_1")) int8 = "sse";
    else if (has("asimddp")) int8 = "dotprod";
    else if (has("asimd")) int8 = "neon";
  } else if (arch === "arm64") int8 = platform === "darwin" ? "dotprod" : "neon"; // every Apple Silicon has the dot product
  return { arch, model: model?.trim() || "unknown CPU", simd, int8 };
}

function readCpuinfo(): string | undefined {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return undefined;
  }
}
