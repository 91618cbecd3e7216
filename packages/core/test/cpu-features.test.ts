import { describe, expect, it } from "vitest";
import { cpuFeatures, cpuSummary, readCpuFeatures } from "../src/node/cpu-features.js";

const x86 = (flags: string) => `processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: ${flags}\nbugs\t\t: sysret_ss_attrs\n`;

describe("cpuFeatures", () => {
  it("names the int8 path of each CPU family from /proc/cpuinfo", () => {
    const vnni = readCpuFeatures(x86("fpu sse4_1 avx avx2 fma avx512f avx512bw avx512_vnni avx512_bf16"), "x64", "AMD EPYC 9R14", "linux");
    expect(vnni).toEqual({
      arch: "x64",
      model: "AMD EPYC 9R14",
      simd: ["sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16"],
      int8: "vnni",
    });
    expect(readCpuFeatures(x86("fpu sse4_1 avx avx2 fma"), "x64", "AMD EPYC 7R32", "linux").int8).toBe("avx2");
    // Alder Lake and later: VNNI without AVX-512.
    expect(readCpuFeatures(x86("sse4_1 avx avx2 fma avx_vnni"), "x64", "Intel Core i7-12700", "linux").int8).toBe("vnni");
    expect(readCpuFeatures(x86("sse2 sse4_1"), "x64", "old", "linux").int8).toBe("sse");
    const graviton = readCpuFeatures("processor\t: 0\nFeatures\t: fp asimd evtstrm aes asimddp i8mm sve\n", "arm64", undefined, "linux");
    expect(graviton).toMatchObject({ simd: ["asimd", "asimddp", "i8mm", "sve"], int8: "dotprod", model: "unknown CPU" });
    expect(readCpuFeatures(undefined, "arm64", "Apple M2", "darwin")).toMatchObject({ simd: [], int8: "dotprod" });
    expect(readCpuFeatures(undefined, "x64", "Intel", "win32").int8).toBe("unknown");
  });

  it("describes this machine in one line", () => {
    const cpu = cpuFeatures();
    expect(cpu.arch).toBe(process.arch);
    expect(cpuSummary()).toContain(`int8 ${cpu.int8}`);
    if (process.platform === "linux" && process.arch === "x64") expect(cpu.simd).toContain("sse4_1");
  });
});
