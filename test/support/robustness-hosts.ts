/**
 * Every entry point of Cutout, behind one adapter shape, so the robustness
 * corpus runs through each the same way: all files in one go (one process,
 * one model load where the host is a process), an outcome per file back.
 *
 * A host that does not exist yet has no `run`; its column in
 * docs/robustness.md says so. Adding a host is one `run` here.
 */
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { isCutoutError } from "../../packages/core/src/errors.js";
import { type CutoutResult, Remover } from "../../packages/core/src/node/remover.js";
import { isImageFile } from "../../packages/core/src/output/file-names.js";
import type { IBinaryData, INodeExecutionData, INodeType } from "../../packages/n8n-node/node_modules/n8n-workflow";
import { clearBinaryStore, executeContext } from "../../packages/n8n-node/test/execute-context";
import { node24 } from "./action-node24";
import { type ActionRun, packageAction, runAction, workflowCommands } from "./action-runner";
import { jsonLines, ROOT, runCli, sharp } from "./cli";
import { startServe } from "./serve";

/** An error code, `ok`, or `not_selected`: the host never took the file (its globs select by extension). */
export type OutcomeCode = string;

export interface Outcome {
  code: OutcomeCode;
  /** The result's warnings, as the host reports them. */
  warnings: string[];
  message?: string;
  /** The written output file, for hosts that write files. */
  output?: string;
  /** Milliseconds for this file, where the host reports it per file. */
  ms?: number;
}

export interface HostRun {
  outcomes: Map<string, Outcome>;
  /** Wall-clock milliseconds for the whole batch. */
  ms: number;
  /** The core API's own results and errors, for deeper checks. */
  results?: Map<string, CutoutResult | Error>;
  /** Everything the host printed, for the secret and stack checks. */
  log: string;
  exitCode?: number | null;
  /** Folders the host wrote its outputs into. */
  outputDirs: string[];
}

export interface CorpusInput {
  name: string;
  path: string;
}

export interface EntryPoint {
  id: "core" | "cli" | "action" | "serve" | "n8n";
  title: string;
  /** How the host is given the corpus, for the docs. */
  how: string;
  /** True when the host picks inputs by extension from globs, so a file of another type is never read. */
  selectsByExtension: boolean;
  /** Absent while the host does not exist. */
  run?: (files: readonly CorpusInput[], work: string) => Promise<HostRun>;
}

/**
 * Every host runs the `fast` preset: what is checked here is each input's
 * outcome (code, warnings, size, orientation, colour), which does not depend on
 * the model's input size, and fast is the cheapest preset to run 60 times.
 */
const QUALITY = "fast";

/** The core API: one Remover, `remove(path)` per file, in order. */
const core: EntryPoint = {
  id: "core",
  title: "Core API",
  how: `\`new Remover({ quality: "${QUALITY}" }).remove(path)\` for each file, one Remover`,
  selectsByExtension: false,
  async run(files) {
    const remover = new Remover({ quality: QUALITY });
    const outcomes = new Map<string, Outcome>();
    const results = new Map<string, CutoutResult | Error>();
    const started = performance.now();
    try {
      for (const file of files) {
        const t0 = performance.now();
        try {
          const result = await remover.remove(file.path);
          results.set(file.name, result);
          outcomes.set(file.name, { code: "ok", warnings: result.warnings, ms: performance.now() - t0 });
        } catch (error) {
          results.set(file.name, error as Error);
          outcomes.set(file.name, {
            code: isCutoutError(error) ? error.code : `uncoded ${(error as Error)?.name}`,
            warnings: [],
            message: (error as Error)?.message,
            ms: performance.now() - t0,
          });
        }
      }
    } finally {
      await remover.close();
    }
    const log = [...results.values()].map((r) => (r instanceof Error ? `${r.message}\n${r.stack}` : JSON.stringify(r.warnings))).join("\n");
    return { outcomes, results, ms: performance.now() - started, log, outputDirs: [] };
  },
};

/** The CLI: `cutout --json -q -o out/ <every file>`, one process. */
const cli: EntryPoint = {
  id: "cli",
  title: "CLI",
  how: `\`cutout --json -q --quality ${QUALITY} -o out/ <every file>\`: one process, files named explicitly`,
  selectsByExtension: false,
  async run(files, work) {
    const inDir = path.join(work, "in");
    await fs.mkdir(inDir, { recursive: true });
    for (const file of files) await fs.copyFile(file.path, path.join(inDir, file.name));
    const args = ["--json", "-q", "--quality", QUALITY, "-o", "out/", ...files.map((f) => `in/${f.name}`)];
    const result = await runCli(args, { cwd: work, timeoutMs: 900_000 });
    const outcomes = new Map<string, Outcome>();
    for (const line of jsonLines(result.stdout)) {
      const name = path.basename(line.input);
      outcomes.set(name, {
        code: line.error?.code ?? "ok",
        warnings: (line.warnings as string[] | undefined) ?? [],
        ...(line.error ? { message: line.error.message } : { output: path.resolve(work, line.output) }),
      });
    }
    return {
      outcomes,
      ms: result.ms,
      log: `${result.stdout.toString("utf8")}\n${result.stderr}`,
      exitCode: result.code,
      outputDirs: [path.join(work, "out")],
    };
  },
};

/** The GitHub Action, packaged as a release and started as the runner starts it, on `paths: corpus/*`. */
const action: EntryPoint = {
  id: "action",
  title: "GitHub Action",
  how: `the packaged action (\`node dist/index.js\`, Node 24, runner environment) with \`paths: corpus/*\`, \`quality: ${QUALITY}\`, \`fail-on-error: false\``,
  selectsByExtension: true,
  async run(files, work) {
    const actionDir = packageAction(path.join(work, "runner", "_actions", "cutout", "v1"));
    const workspace = path.join(work, "workspace");
    const corpus = path.join(workspace, "corpus");
    await fs.mkdir(corpus, { recursive: true });
    for (const file of files) await fs.copyFile(file.path, path.join(corpus, file.name));
    const node = node24();
    const run: ActionRun = await runAction({
      actionDir,
      workspace,
      node: node.path,
      eventName: "workflow_dispatch",
      event: {},
      with: { paths: "corpus/*", quality: QUALITY, "fail-on-error": "false" },
      timeoutMs: 900_000,
    });
    const listed = JSON.parse(run.outputs.files ?? "[]") as {
      input: string;
      output: string;
      status: string;
      error?: { code: string; message: string };
    }[];
    const warnings = workflowCommands(run.stdout).filter((c) => c.name === "warning");
    const outcomes = new Map<string, Outcome>();
    for (const file of files) {
      const entry = listed.find((f) => f.input === `corpus/${file.name}`);
      if (!entry) {
        outcomes.set(file.name, { code: "not_selected", warnings: [] });
        continue;
      }
      outcomes.set(file.name, {
        code: entry.status === "processed" ? "ok" : entry.status === "failed" ? (entry.error?.code ?? "failed") : entry.status,
        warnings: warnings.filter((w) => w.properties.file === entry.input).map((w) => w.message),
        ...(entry.error ? { message: entry.error.message } : {}),
        ...(entry.status === "processed" ? { output: path.join(workspace, entry.output) } : {}),
      });
    }
    return {
      outcomes,
      ms: run.ms,
      log: `${run.stdout}\n${run.stderr}\n${JSON.stringify(run.outputs)}\n${run.summary}`,
      exitCode: run.code,
      outputDirs: [corpus],
    };
  },
};

/**
 * Each protocol's upload route, and how its error answer names core's code.
 * Each reader checks the protocol's own shape first: an answer in another
 * shape has no code.
 */
// biome-ignore lint/suspicious/noExplicitAny: an answer's JSON, whose shape each reader checks.
const SERVE_ROUTES: { path: string; field: string; code: (status: number, body: any) => string | undefined }[] = [
  {
    path: "/v1.0/removebg",
    field: "image_file",
    code: (_s, b) => (typeof b?.errors?.[0]?.title === "string" ? b.errors[0].code : undefined),
  },
  { path: "/rmbg", field: "image", code: (s, b) => (typeof b?.error === "string" && b.status === s ? b.code : undefined) },
  { path: "/v2/rembg/", field: "image", code: (_s, b) => (typeof b?.message === "string" ? b.code : undefined) },
  {
    path: "/v1/remove",
    field: "image_file",
    code: (_s, b) => (typeof b?.message === "string" && typeof b.request_id === "string" ? b.code : undefined),
  },
  { path: "/api/remove", field: "file", code: (_s, b) => (typeof b?.detail === "string" ? b.code : undefined) },
];

/** One file through one route: its code (ok, or the error's), its warnings, its output size. */
async function serveOne(url: string, route: (typeof SERVE_ROUTES)[number], bytes: Buffer, name: string) {
  const body = new FormData();
  body.append(route.field, new Blob([bytes as BlobPart]), name);
  const response = await fetch(`${url}${route.path}`, { method: "POST", body });
  const answer = Buffer.from(await response.arrayBuffer());
  if (response.ok) {
    const meta = await sharp(answer).metadata();
    const warnings = JSON.parse(response.headers.get("x-cutout-warnings") ?? "[]") as string[];
    return { code: "ok", warnings, size: `${meta.width}x${meta.height}`, text: "" };
  }
  const text = answer.toString("utf8");
  let code: string | undefined;
  try {
    code = route.code(response.status, JSON.parse(text));
  } catch {
    code = undefined;
  }
  if (/\n\s+at /.test(text)) code = "stack trace in the answer";
  return { code: code ?? `not ${route.path}'s error shape`, warnings: [] as string[], size: "", text };
}

/** `cutout serve`, one process: every file through each protocol's upload route; a file's outcome is theirs when all agree. */
const serve: EntryPoint = {
  id: "serve",
  title: "`cutout serve`",
  how: "`cutout serve`, one process; each file POSTed to remove.bg's route, then a result to rembg.com's too (WebP), a failure to every other protocol's route (/rmbg, /v2/rembg/, /v1/remove, /api/remove); all must give the same outcome, each error in its protocol's own shape",
  selectsByExtension: false,
  async run(files) {
    const started = performance.now();
    const server = await startServe(["-q"], { ready: true });
    const outcomes = new Map<string, Outcome>();
    const answers: string[] = [];
    try {
      for (const file of files) {
        const t0 = performance.now();
        const bytes = await fs.readFile(file.path);
        // A failure goes through every route; a result through remove.bg's (PNG or JPEG) and rembg.com's (WebP) only:
        // the others share their pipeline and encoders, and sixty more inferences would cost minutes of CI.
        const [removebg, ...others] = SERVE_ROUTES as [(typeof SERVE_ROUTES)[number], ...typeof SERVE_ROUTES];
        const first = await serveOne(server.url, removebg, bytes, file.name);
        const rest = first.code === "ok" ? others.slice(0, 1) : others;
        const each = [first, ...(await Promise.all(rest.map((route) => serveOne(server.url, route, bytes, file.name))))];
        answers.push(...each.map((e) => e.text));
        const same = each.every((e) => e.code === first.code && e.size === first.size && e.warnings.join() === first.warnings.join());
        const code = same
          ? first.code
          : `routes disagree: ${each.map((e, i) => `${SERVE_ROUTES[i]!.path} ${e.code} ${e.size}`).join(", ")}`;
        outcomes.set(file.name, { code, warnings: first.warnings, ms: performance.now() - t0 });
      }
      const health = await fetch(`${server.url}/healthz`);
      if (!health.ok) throw new Error(`cutout serve is not healthy after the corpus: HTTP ${health.status}`);
    } finally {
      await server.stop();
    }
    return {
      outcomes,
      ms: performance.now() - started,
      log: `${server.stdout()}\n${server.stderr()}\n${answers.join("\n")}`,
      outputDirs: [],
    };
  },
};

/**
 * The n8n node's execute() from its built package (what n8n require()s), one
 * execution with one item per file, On Error "continue", binary data in n8n's
 * filesystem mode, through the IExecuteFunctions stand-in of its unit tests;
 * each cut-out binary is written out as a file. test/n8n runs the same
 * package in a real n8n.
 */
const n8n: EntryPoint = {
  id: "n8n",
  title: "n8n node",
  how: "the built node's `execute()` (dist/nodes/Cutout/Cutout.node.js), one item per file with On Error set to continue, binary data in n8n's filesystem mode (through the unit tests' IExecuteFunctions stand-in); each output binary written to out/",
  selectsByExtension: false,
  async run(files, work) {
    const { Cutout } = createRequire(import.meta.url)(
      path.join(ROOT, "packages", "n8n-node", "dist", "nodes", "Cutout", "Cutout.node.js"),
    ) as {
      Cutout: new () => INodeType;
    };
    const items: INodeExecutionData[] = [];
    const test = executeContext({
      items,
      storage: "filesystem",
      onError: "continueRegularOutput",
      parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" },
    });
    for (const file of files) {
      items.push({ json: {}, binary: { data: test.store(await fs.readFile(file.path), file.name, "application/octet-stream") } });
    }
    const started = performance.now();
    const [output = []] = (await new Cutout().execute!.call(test.context)) as INodeExecutionData[][];
    const ms = performance.now() - started;
    const outDir = path.join(work, "out");
    await fs.mkdir(outDir, { recursive: true });
    const outcomes = new Map<string, Outcome>();
    for (const item of output) {
      const file = files[(item.pairedItem as { item: number }).item] as CorpusInput;
      const meta = item.json.cutout as { fileName: string; warnings: string[] } | undefined;
      if (!meta) {
        const details = item.json.details as { code?: string } | undefined;
        outcomes.set(file.name, { code: details?.code ?? `uncoded: ${item.json.error}`, warnings: [], message: String(item.json.error) });
        continue;
      }
      const written = path.join(outDir, meta.fileName);
      await fs.writeFile(written, test.read(item.binary?.data as IBinaryData));
      outcomes.set(file.name, { code: "ok", warnings: meta.warnings, output: written });
    }
    clearBinaryStore();
    return { outcomes, ms, log: `${JSON.stringify(output)}\n${test.logs.join("\n")}`, outputDirs: [outDir] };
  },
};

export const ENTRY_POINTS: readonly EntryPoint[] = [core, cli, action, serve, n8n];

/** Whether a host that selects by extension would ever take this file. */
export function selectable(host: EntryPoint, name: string): boolean {
  return !host.selectsByExtension || isImageFile(name);
}
