/**
 * Every entry point of Cutout, behind one adapter shape, so the robustness
 * corpus runs through each the same way: all files in one go (one process,
 * one model load where the host is a process), an outcome per file back.
 *
 * A host that does not exist yet has no `run`; its column in
 * docs/robustness.md says so. Adding `cutout serve` or the n8n node's
 * execute function is one `run` here, nothing else.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { isCutoutError } from "../../packages/core/src/errors.js";
import { type CutoutResult, Remover } from "../../packages/core/src/node/remover.js";
import { isImageFile } from "../../packages/core/src/output/file-names.js";
import { node24 } from "./action-node24";
import { type ActionRun, packageAction, runAction, workflowCommands } from "./action-runner";
import { jsonLines, runCli } from "./cli";

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

/** `cutout serve`: not built yet. Its `run` will POST each file and read the JSON error body's code. */
const serve: EntryPoint = {
  id: "serve",
  title: "`cutout serve`",
  how: "not built yet",
  selectsByExtension: false,
};

/** The n8n node's execute function: not built yet. Its `run` will call execute() with one item per file. */
const n8n: EntryPoint = {
  id: "n8n",
  title: "n8n node",
  how: "not built yet",
  selectsByExtension: false,
};

export const ENTRY_POINTS: readonly EntryPoint[] = [core, cli, action, serve, n8n];

/** Whether a host that selects by extension would ever take this file. */
export function selectable(host: EntryPoint, name: string): boolean {
  return !host.selectsByExtension || isImageFile(name);
}
