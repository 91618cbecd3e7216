/**
 * Child process of `pnpm eval --baseline imgly`: runs imgly's own public API
 * (`removeBackground`, @imgly/background-removal-node, AGPL, a dev
 * dependency of this private bench package only) on each photo and writes
 * its PNG output. A process of its own, because imgly brings its own
 * onnxruntime-node (1.17), which must not share a process with Cutout's.
 *
 * stdin: {"model": "medium", "items": [{"name", "input", "output"}]}
 * stdout: one JSON line per item, {"name", "ms"} or {"name", "error"}.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

interface Job {
  model: "small" | "medium";
  items: { name: string; input: string; output: string }[];
}

const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  const job = JSON.parse(await readStdin()) as Job;
  let entry: string;
  try {
    entry = require.resolve("@imgly/background-removal-node");
  } catch {
    throw new Error("@imgly/background-removal-node is not installed: it is a dev dependency of bench/ (run pnpm install)");
  }
  const { removeBackground } = (await import("@imgly/background-removal-node")) as unknown as {
    removeBackground: (image: Blob, config: Record<string, unknown>) => Promise<Blob>;
  };
  // imgly's default publicPath is node_modules/... under the cwd; point it at the package itself.
  const publicPath = `${pathToFileURL(path.dirname(entry)).href}/`;
  for (const item of job.items) {
    const t0 = performance.now();
    try {
      // A typed Blob: imgly picks its decoder from the MIME type, and sharp sniffs the actual format.
      const input = new Blob([await readFile(item.input)], { type: "application/octet-stream" });
      const blob = await removeBackground(input, { publicPath, model: job.model, output: { format: "image/png" } });
      await writeFile(item.output, Buffer.from(await blob.arrayBuffer()));
      process.stdout.write(`${JSON.stringify({ name: item.name, ms: performance.now() - t0 })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ name: item.name, error: String((error as Error).message ?? error) })}\n`);
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message ?? error}\n`);
  process.exit(1);
});
