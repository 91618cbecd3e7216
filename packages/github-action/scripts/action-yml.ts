/**
 * Writes action.yml and the README's inputs table from src/metadata.ts.
 * `--check` writes nothing and exits 1 when either is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderActionYml, withInputsTable } from "../src/metadata.js";

const files = [
  { path: fileURLToPath(new URL("../action.yml", import.meta.url)), render: () => renderActionYml() },
  { path: fileURLToPath(new URL("../README.md", import.meta.url)), render: (current: string) => withInputsTable(current) },
];

let stale = false;
for (const file of files) {
  let current = "";
  try {
    current = readFileSync(file.path, "utf8");
  } catch {}
  const text = file.render(current);
  if (text === current) continue;
  if (process.argv.includes("--check")) {
    process.stderr.write(`${file.path} is out of date: run \`pnpm --filter @cutout/github-action run action-yml\`\n`);
    stale = true;
  } else {
    writeFileSync(file.path, text);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}
process.exitCode = stale ? 1 : 0;
