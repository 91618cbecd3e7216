import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 1e9),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** The CPU's model and the SIMD features that decide onnxruntime's int8 kernels (VNNI or not). */
export function cpuName(): string {
  let flags = "";
  try {
    flags = readFileSync("/proc/cpuinfo", "utf8").match(/^flags\s*:(.*)$/m)?.[1] ?? "";
  } catch {
    // Not Linux: the model name alone.
  }
  const have = ["avx512_vnni", "avx_vnni", "avx512f", "avx2"].filter((flag) => new RegExp(`\\b${flag}\\b`).test(flags));
  return `${machineInfo().cpu}${have.length > 0 ? ` (${have.join(", ")})` : ""}`;
}
