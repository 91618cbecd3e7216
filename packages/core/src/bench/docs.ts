import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HEADING = "## Foundation benchmark";
/** The side-by-side section written by `pnpm bench --baseline imgly --write-docs`. */
export const COMPARE_HEADING = "## Cutout vs imgly (speed)";

/** The workspace root: the nearest folder above this file with pnpm-workspace.yaml. */
export function workspaceRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Writes (or replaces) the "Foundation benchmark" section of docs/benchmarks.md, leaving other sections alone. */
export async function writeBenchmarkDocs(root: string, body: string, heading = HEADING): Promise<string> {
  const HEADING = heading;
  const file = path.join(root, "docs", "benchmarks.md");
  const section = `${HEADING}\n\n${body}\n`;
  let text = existsSync(file) ? await readFile(file, "utf8") : "";
  const start = text.indexOf(HEADING);
  if (start >= 0) {
    const next = text.indexOf("\n## ", start + HEADING.length);
    text = text.slice(0, start) + section + (next >= 0 ? `\n${text.slice(next + 1)}` : "");
  } else {
    text = text
      ? `${text.trimEnd()}\n\n${section}`
      : `# Benchmarks\n\nProduced by \`pnpm bench\` (packages/core/src/bench/).\n\n${section}`;
  }
  await writeFile(file, text);
  return file;
}
