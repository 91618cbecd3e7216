// Writes test/goldens/<id>.png: car-1.jpg cut out once by the real model and
// rendered with every case in effect-cases.ts. The golden tests compare with a
// perceptual metric, so regenerate only when an effect is meant to look
// different, and look at the new images before committing. Run: pnpm goldens
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { EFFECT_CASES, fixtureCutout, GOLDEN_DIR, ROOT, renderCase, renderedPng } from "./effect-cases.js";

async function main(): Promise<void> {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  const wanted = new Set(EFFECT_CASES.map(({ id }) => `${id}.png`));
  for (const name of readdirSync(GOLDEN_DIR)) if (name.endsWith(".png") && !wanted.has(name)) rmSync(join(GOLDEN_DIR, name));
  // Two threads, as the test runs it, so the goldens are what the test renders on the same machine.
  const fixture = await fixtureCutout(2);
  let total = 0;
  for (const { id, options } of EFFECT_CASES) {
    const rendered = await renderCase(fixture, options);
    const path = join(GOLDEN_DIR, `${id}.png`);
    writeFileSync(path, await renderedPng(rendered));
    const size = statSync(path).size;
    total += size;
    process.stdout.write(
      `${relative(ROOT, path)}  ${rendered.width}x${rendered.height}x${rendered.channels}  ${(size / 1024).toFixed(0)} KiB\n`,
    );
  }
  process.stdout.write(`${EFFECT_CASES.length} goldens, ${(total / 1024 / 1024).toFixed(2)} MiB\n`);
}

await main();
