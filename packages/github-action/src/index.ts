/**
 * The action's entry point, as the runner starts it: `node dist/index.js`.
 * It checks the platform before loading anything native: dist/ carries
 * sharp's and onnxruntime's linux-x64 binaries only, and a bare "cannot load
 * sharp" from another runner would not say why. Then it loads dist/run.js,
 * the action itself, and reports a failure to load as clearly. Like the CLI,
 * on Linux it first runs itself again with glibc's huge pages switched on
 * (core's node/huge-pages.ts): a batch of images runs faster with them.
 */
import { fileURLToPath } from "node:url";
import { followLauncher, relaunchWithHugePages } from "@cutout/core/launch";
import { command } from "./runtime.js";

const fail = (message: string) => {
  process.stdout.write(`${command("error", { title: "Cutout" }, message)}\n`);
  process.exitCode = 1;
};

if (process.platform !== "linux" || process.arch !== "x64") {
  fail(
    `This action ships native binaries for Linux x64 only (ubuntu-latest and other ubuntu-* x64 runners); this runner is ${process.platform}-${process.arch}. Run the job on ubuntu-latest, or use the cutout CLI (packages/core) in a run step.`,
  );
} else {
  // A path computed at run time: esbuild leaves it alone, so run.js stays a separate file.
  const entry = new URL("./run.js", import.meta.url).href;
  const runHere = () =>
    import(entry).catch((error: unknown) => {
      fail(`Cutout could not load its engine (sharp, onnxruntime-node in dist/node_modules): ${(error as Error)?.stack ?? String(error)}`);
    });
  if (!relaunchWithHugePages(fileURLToPath(import.meta.url), process.argv.slice(2), runHere)) {
    followLauncher();
    runHere();
  }
}
