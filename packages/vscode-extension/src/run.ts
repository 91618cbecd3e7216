/**
 * Remove background for one or several images: one progress notification
 * with counts (and the model's download on a first run), cancellable between
 * images (the image in hand finishes and is written whole), then the results.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { RemoveOptions } from "@cutout/core";
import { outputSuffix } from "@cutout/core/pure";
import * as vscode from "vscode";
import type { EngineClient, ModelProgress } from "./engine/client.js";
import type { EngineResult, OutputPlan } from "./engine/protocol.js";
import { type Explained, explain } from "./errors.js";
import { outputDirectory, stemOf } from "./naming.js";
import type { Pairs } from "./pairs.js";
import { engineSettings, type OutputSettings, outputSettings } from "./settings.js";

export interface Services {
  context: vscode.ExtensionContext;
  engine: EngineClient;
  log: vscode.LogOutputChannel;
  pairs: Pairs;
  /** Shows a failure with its actions (commands.ts, reporter). */
  report: (explained: Explained, file?: string) => Promise<void>;
}

export type Outcome =
  | { image: string; output: string; result: EngineResult; ms: number }
  | { image: string; skipped: "exists" }
  | { image: string; error: Explained };

export interface Run {
  outcomes: Outcome[];
  /** Images never started because the user cancelled. */
  notStarted: string[];
}

/**
 * Cuts out each image with `options` (format etc. from the settings unless
 * given), writing each result before the next starts.
 */
export async function removeBackgrounds(services: Services, images: vscode.Uri[], options: RemoveOptions = {}): Promise<Run | undefined> {
  const { engine, log } = services;
  let settings: Awaited<ReturnType<typeof engineSettings>>;
  try {
    settings = await engineSettings(services.context.secrets);
  } catch (error) {
    await services.report(explain(error));
    return undefined;
  }
  const title = images.length === 1 ? `Cutout: ${path.basename(images[0]!.fsPath)}` : `Cutout: ${images.length} images`;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const run: Run = { outcomes: [], notStarted: [] };
      const step = 100 / images.length;
      for (const [i, uri] of images.entries()) {
        const image = uri.fsPath;
        if (token.isCancellationRequested) {
          run.notStarted = images.slice(i).map((u) => u.fsPath);
          break;
        }
        const counts = images.length > 1 ? `${i + 1} of ${images.length}: ` : "";
        progress.report({ message: `${counts}${path.basename(image)}` });
        const started = performance.now();
        // The model's phases show while they run; once one is done the image's name is back.
        const onModel = (p: ModelProgress) => {
          const done = p.total !== undefined && p.received >= p.total;
          progress.report({ message: `${counts}${done ? path.basename(image) : describeModelProgress(p)}` });
        };
        try {
          const output = outputSettings(uri);
          const format = options.format ?? output.format;
          const plan = await planOutput(uri, output, format, options.channels === "alpha");
          if (plan === undefined) {
            run.outcomes.push({ image, skipped: "exists" });
            log.info(`${image}: skipped (its cutout exists)`);
          } else {
            const result = await engine.remove(image, { maxPngPixels: false, ...options, format }, plan, settings, onModel);
            const ms = performance.now() - started;
            run.outcomes.push({ image, output: result.output, result, ms });
            await services.pairs.record(image, result.output);
            log.info(
              `${image} -> ${result.output} (${result.width}x${result.height} ${result.format}, ${result.engine} ${result.model}, ${Math.round(ms)} ms)`,
            );
            for (const warning of result.warnings) log.warn(`${image}: ${warning}`);
          }
        } catch (error) {
          const explained = explain(error);
          run.outcomes.push({ image, error: explained });
          log.error(`${image}: ${explained.code}: ${explained.message}`);
        }
        progress.report({ increment: step });
      }
      return run;
    },
  );
}

/** The model loader's phases, as the notification says them. */
export function describeModelProgress(progress: ModelProgress): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
  switch (progress.phase) {
    case "download":
      return progress.total
        ? `Downloading the model: ${mb(progress.received)} of ${mb(progress.total)}`
        : `Downloading the model: ${mb(progress.received)}`;
    case "verify":
      return "Checking the model";
    case "assemble":
      return "Unpacking the model";
    case "quantize":
      return "Preparing the model for this machine (once)";
  }
}

/**
 * Where the image's cutout goes. When its name is taken and the setting says
 * ask, the user decides before any work is done: keep both (the next free
 * name), replace, or skip (undefined). Format auto is planned as png.
 */
async function planOutput(uri: vscode.Uri, settings: OutputSettings, format: string, alpha: boolean): Promise<OutputPlan | undefined> {
  const image = uri.fsPath;
  const matte = format === "mask" || alpha;
  const dir = outputDirectory(image, settings.outputFolder, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
  const plan = { dir, stem: stemOf(image), matte, replace: false };
  if (settings.ifOutputExists !== "ask") return plan;
  const concrete = format === "mask" || format === "auto" ? "png" : format;
  const planned = path.join(dir, `${plan.stem}${outputSuffix({ format: "auto", channels: matte ? "alpha" : "rgba" }, concrete)}`);
  if (!existsSync(planned)) return plan;
  const answer = await askCollision(planned);
  return answer === "skip" ? undefined : { ...plan, replace: answer === "replace" };
}

type Collision = "keepBoth" | "replace" | "skip";

async function askCollision(existing: string): Promise<Collision> {
  const keep = "Keep both";
  const replace = "Replace";
  const answer = await vscode.window.showWarningMessage(
    `${path.basename(existing)} already exists in ${path.dirname(existing)}.`,
    { modal: true, detail: "Keep both writes the new cutout under the next free name (-1, -2...); Replace overwrites the existing file." },
    keep,
    replace,
  );
  return answer === keep ? "keepBoth" : answer === replace ? "replace" : "skip";
}
