import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { COMPARE_HEADING, FOUNDATION_HEADING, presetHeading, writeBenchmarkDocs } from "../src/bench/docs.js";

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
