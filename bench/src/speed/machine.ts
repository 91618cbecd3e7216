import os from "node:os";
import { cpuSummary } from "@cutout/core/node";

export interface MachineInfo {
  /** The CPU with the features that decide onnxruntime's kernels (its int8 path: VNNI or not). */
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpuSummary(),
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 1e9),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
