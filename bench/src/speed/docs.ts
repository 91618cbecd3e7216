import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FOUNDATION_HEADING = "## Foundation benchmark";
/** The side-by-side section written by `pnpm bench --baseline imgly --write-docs`. */
export const COMPARE_HEADING = "## Cutout vs imgly (speed)";

/** Sections for a preset other than best get their own heading (and chart), so each run replaces only its own. */
export function presetHeading(heading: string, quality: string | undefined): string {
  return quality === undefined || quality === "best"
    ? heading
    : heading.replace(/\)?$/, (close) => `${close ? ", " : " ("}quality ${quality})`);
}

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

/** Writes (or replaces) one section of docs/benchmarks.md (the "Foundation benchmark" by default), leaving the others alone. */
export async function writeBenchmarkDocs(root: string, body: string, heading = FOUNDATION_HEADING): Promise<string> {
  const file = path.join(root, "docs", "benchmarks.md");
  const section = `${heading}\n\n${body}\n`;
  let text = existsSync(file) ? await readFile(file, "utf8") : "";
  // The whole heading line: "## X" must not match "## X (quality fast)".
  const found = `\n${text}`.indexOf(`\n${heading}\n`);
  if (found >= 0) {
    const next = text.indexOf("\n## ", found + heading.length);
    text = text.slice(0, found) + section + (next >= 0 ? `\n${text.slice(next + 1)}` : "");
  } else {
    text = text ? `${text.trimEnd()}\n\n${section}` : `# Benchmarks\n\nProduced by \`pnpm bench\` (bench/src/speed/).\n\n${section}`;
  }
  await writeFile(file, text);
  return file;
}
