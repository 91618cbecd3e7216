import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseBenchArgs } from "../src/speed/args.js";
import { renderCliBench } from "../src/speed/cli-runs.js";
import { COMPARE_HEADING, FOUNDATION_HEADING, presetHeading, writeBenchmarkDocs } from "../src/speed/docs.js";
import { renderPngBench } from "../src/speed/png-writer.js";
import type { BareColdReport, ColdReport } from "../src/speed/protocol.js";
import { medianPair } from "../src/speed/summary.js";

it("each preset's benchmark section replaces only itself in docs/benchmarks.md", async () => {
  const root = await mkdtemp(join(tmpdir(), "cutout-bench-docs-"));
  try {
    await mkdir(join(root, "docs"));
    const file = join(root, "docs", "benchmarks.md");
    await writeFile(file, "# Benchmarks\n\nIntro.\n\n## Notes\n\nKept.\n");
    const fast = presetHeading(COMPARE_HEADING, "fast");
    expect(fast).toBe("## Cutout vs imgly (speed, quality fast)");
    expect(presetHeading(FOUNDATION_HEADING, "balanced")).toBe("## Foundation benchmark (quality balanced)");
    expect(presetHeading(COMPARE_HEADING, "best")).toBe(COMPARE_HEADING);
    await writeBenchmarkDocs(root, "fast v1", fast);
    await writeBenchmarkDocs(root, "best v1", COMPARE_HEADING);
    await writeBenchmarkDocs(root, "best v2", COMPARE_HEADING);
    await writeBenchmarkDocs(root, "fast v2", fast);
    const text = await readFile(file, "utf8");
    expect(text).toContain(`${fast}\n\nfast v2\n`);
    expect(text).toContain(`${COMPARE_HEADING}\n\nbest v2\n`);
    expect(text).not.toMatch(/v1/);
    expect(text).toContain("## Notes\n\nKept.");
    expect(text.match(/^## /gm)).toHaveLength(3); // Notes, fast and best: nothing duplicated
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

it("pnpm bench --cli batches 10 images unless told, and is not mixed with --baseline", () => {
  expect(parseBenchArgs(["--cli"])).toMatchObject({ cli: true, batch: 10 });
  expect(parseBenchArgs(["--cli", "--batch", "3"])).toMatchObject({ cli: true, batch: 3 });
  expect(parseBenchArgs([])).toMatchObject({ cli: false, batch: 20 });
  expect(() => parseBenchArgs(["--cli", "--baseline", "imgly"])).toThrow("--cli times the cutout command alone");
});

it("the CLI section gives medians and their ratios per photo", () => {
  const body = renderCliBench(
    [{ label: "1 MP (1155x866)", cold: { on: [2000, 2400, 2200], off: [3000, 2900, 3100] }, batch: { on: [700], off: [800] } }],
    3,
    10,
    "pnpm bench --cli --sizes 1",
    "2026-12-05",
  );
  expect(body).toContain("| 1 MP (1155x866) |                 2.20 |              3.00 |  0.73 |");
  expect(body).toContain("|                            0.70 |        0.80 |  0.88 |");
  expect(body).toContain("Reproduce: `pnpm bench --cli --sizes 1`.");
});

it("pnpm bench --png is a section of its own", () => {
  expect(parseBenchArgs(["--png"])).toMatchObject({ png: true, cli: false });
  expect(parseBenchArgs([])).toMatchObject({ png: false });
  expect(() => parseBenchArgs(["--png", "--cli"])).toThrow("--png times the PNG writers alone");
  expect(() => parseBenchArgs(["--png", "--baseline", "imgly"])).toThrow("--png times the PNG writers alone");
});

it("the PNG section gives each writer's median time, CPU time and size, and Cutout's ratios to libvips level 3", () => {
  const body = renderPngBench(
    [
      {
        label: "12 MP (4000x3000)",
        writers: {
          cutout: { ms: [90, 80, 100], cpuMs: [170, 160, 180], bytes: 3_000_000 },
          "libvips level 3, unfiltered": { ms: [160, 150, 170], cpuMs: [150, 140, 160], bytes: 5_000_000 },
          "libvips level 3, adaptive filter": { ms: [700, 710, 720], cpuMs: [690, 700, 710], bytes: 2_700_000 },
        },
      },
    ],
    3,
    "generated",
    "pnpm bench --png --sizes 12",
    "2026-12-05",
  );
  const row = body.split("\n").find((line) => line.startsWith("| 12 MP")) ?? "";
  expect(row.split("|").map((cell) => cell.trim())).toEqual([
    "",
    "12 MP (4000x3000)",
    "90",
    "170",
    "3.00",
    "160",
    "150",
    "5.00",
    "710",
    "700",
    "2.70",
    "0.56",
    "1.13",
    "0.60",
    "",
  ]);
  expect(body).toContain("Photos: generated. Date: 2026-12-05. Reproduce: `pnpm bench --png --sizes 12`.");
});

it("pnpm bench --cold-runs takes turns and shows the pair whose ratio is the median", () => {
  expect(parseBenchArgs([])).toMatchObject({ coldRuns: 1 });
  expect(parseBenchArgs(["--cold-runs", "5"])).toMatchObject({ coldRuns: 5 });
  expect(() => parseBenchArgs(["--cold-runs", "0"])).toThrow("cold-runs");
  const run = <T>(report: T) => ({ report, wallMs: 0 });
  const ours = [2600, 2400, 3000].map((firstResultMs) => run({ firstResultMs } as ColdReport));
  const bare = [2000, 2200, 2000].map((firstResultMs) => run({ firstResultMs } as BareColdReport));
  // Ratios 1.30, 1.09, 1.50: the median is the first pair's, not the pair of medians (2600 over 2000).
  expect(medianPair(ours, bare)).toBe(0);
  // Two pairs: the lower of the two.
  expect(medianPair(ours.slice(1), bare.slice(1))).toBe(0);
});
