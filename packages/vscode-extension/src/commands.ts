/**
 * The commands package.json contributes, and what they do with the URIs VS
 * Code passes: the explorer gives (clicked, selected[]), the editor title
 * gives (uri, context), the command palette gives nothing (then the active
 * image, else a file picker).
 */
import path from "node:path";
import { fetchRemoteAccount, IMAGE_EXTENSIONS, isCutoutError, REMOTE_PROVIDERS } from "@cutout/core/pure";
import * as vscode from "vscode";
import { toOptions } from "./choices.js";
import { askChoices } from "./choices-flow.js";
import { showCompare } from "./compare.js";
import { ACTION_LABELS, type Action, type Explained, explain } from "./errors.js";
import { type Run, removeBackgrounds, type Services } from "./run.js";
import { askApiKey, clearApiKey, storeApiKey } from "./secrets.js";
import { engineConfig, outputSettings } from "./settings.js";

export const COMMANDS = {
  removeBackground: "cutout.removeBackground",
  removeBackgroundWithOptions: "cutout.removeBackgroundWithOptions",
  compare: "cutout.compare",
  setApiKey: "cutout.setApiKey",
  clearApiKey: "cutout.clearApiKey",
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Every command's handler; activate() registers them all. */
export function commandHandlers(services: Services): Record<CommandId, (...args: unknown[]) => Promise<unknown>> {
  return {
    [COMMANDS.removeBackground]: async (uri, uris) => {
      const images = await imagesFrom(uri, uris, true);
      if (!images) return undefined;
      return finish(services, await removeBackgrounds(services, images));
    },
    [COMMANDS.removeBackgroundWithOptions]: async (uri, uris) => {
      const images = await imagesFrom(uri, uris, true);
      if (!images) return undefined;
      const choices = await askChoices(services.context, outputSettings(images[0]!).format);
      if (!choices) return undefined;
      return finish(services, await removeBackgrounds(services, images, toOptions(choices)));
    },
    [COMMANDS.compare]: async (uri) => {
      const image = (await imagesFrom(uri, undefined, false))?.[0];
      if (!image) return undefined;
      let pair = services.pairs.find(image.fsPath);
      if (!pair) {
        const make = "Remove background";
        const answer = await vscode.window.showInformationMessage(`Cutout: ${path.basename(image.fsPath)} has no cutout yet.`, make);
        if (answer !== make) return undefined;
        await finish(services, await removeBackgrounds(services, [image]), false);
        pair = services.pairs.find(image.fsPath);
      }
      return pair && showCompare(services.context.extensionUri, pair);
    },
    [COMMANDS.setApiKey]: async () => {
      const provider = await pickProvider("Set the API key of");
      if (!provider) return false;
      const key = await askApiKey(REMOTE_PROVIDERS[provider]!.label);
      if (key === undefined || !(await checkWithProvider(provider, key, services))) return false;
      await storeApiKey(services.context.secrets, provider, key);
      const config = vscode.workspace.getConfiguration("cutout");
      if (provider !== engineConfig().provider) await config.update("provider", provider, vscode.ConfigurationTarget.Global);
      if (engineConfig().engine === "local") {
        const fallback = "Use as fallback";
        const always = "Always use remote";
        void vscode.window
          .showInformationMessage(
            `Cutout: key saved for ${REMOTE_PROVIDERS[provider]!.label}. Images are still cut out locally: use the provider when the local model cannot run, or for every image?`,
            fallback,
            always,
          )
          .then((answer) => {
            if (answer) void config.update("engine", answer === fallback ? "auto" : "remote", vscode.ConfigurationTarget.Global);
          });
      }
      return true;
    },
    [COMMANDS.clearApiKey]: async () => {
      const provider = await pickProvider("Clear the API key of");
      if (!provider) return false;
      await clearApiKey(services.context.secrets, provider);
      void vscode.window.showInformationMessage(`Cutout: the API key for ${REMOTE_PROVIDERS[provider]!.label} is cleared.`);
      return true;
    },
  };
}

/**
 * A key is checked where the provider can tell (its account endpoint): a
 * refused key is not saved. When the check cannot run (offline, no endpoint
 * set yet), the key is saved and the user told so.
 */
async function checkWithProvider(provider: string, apiKey: string, services: Services): Promise<boolean> {
  const { label, account } = REMOTE_PROVIDERS[provider]!;
  if (!account) return true;
  const url = engineConfig().remoteUrl;
  try {
    const balance = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Cutout: checking the key with ${label}` },
      () => fetchRemoteAccount({ provider, apiKey, retries: 0, timeoutMs: 15_000, ...(url ? { url } : {}) }),
    );
    services.log.info(
      `${label} accepted the key: ${balance.credits.total} credits${balance.freeCalls === undefined ? "" : `, ${balance.freeCalls} free calls`}`,
    );
    return true;
  } catch (error) {
    const explained = explain(error);
    if (isCutoutError(error) && error.code === "remote_auth_failed") {
      void services.report(explained);
      return false;
    }
    services.log.warn(`The key for ${label} could not be checked: ${explained.message}`);
    void vscode.window.showWarningMessage(`Cutout: the key is saved, but ${label} could not check it now (${explained.code}).`);
    return true;
  }
}

function isImage(uri: vscode.Uri): boolean {
  return uri.scheme === "file" && IMAGE_EXTENSIONS.has(path.extname(uri.fsPath).toLowerCase());
}

function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}

/**
 * The images a command was invoked on. Items of a selection that are not
 * images (folders, text files) are left out and named; with nothing at all,
 * the active editor's image, else a file picker.
 */
async function imagesFrom(uri: unknown, uris: unknown, many: boolean): Promise<vscode.Uri[] | undefined> {
  let chosen: vscode.Uri[] = Array.isArray(uris) && uris.some(isUri) ? uris.filter(isUri) : isUri(uri) ? [uri] : [];
  if (chosen.length === 0) {
    const active = activeImage();
    if (active) chosen = [active];
  }
  if (chosen.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      title: "Cutout: choose images",
      canSelectMany: many,
      filters: { Images: [...IMAGE_EXTENSIONS].map((e) => e.slice(1)) },
    });
    if (!picked || picked.length === 0) return undefined;
    chosen = picked;
  }
  const images = chosen.filter(isImage);
  const others = chosen.filter((u) => !isImage(u));
  if (others.length > 0) {
    const names = others.map((u) => path.basename(u.fsPath)).join(", ");
    void vscode.window.showWarningMessage(
      `Cutout: skipped ${others.length === 1 ? "an item that is not an image" : `${others.length} items that are not images`} Cutout reads: ${names}`,
    );
  }
  return images.length > 0 ? images : undefined;
}

/** The image in the active editor tab (VS Code's image preview is a custom editor, so no text editor). */
function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: unknown } | undefined;
  return isUri(input?.uri) && isImage(input.uri) ? input.uri : undefined;
}

async function pickProvider(verb: string): Promise<string | undefined> {
  const current = engineConfig().provider;
  const providers = Object.values(REMOTE_PROVIDERS).sort((a, b) => Number(b.id === current) - Number(a.id === current));
  const items = providers.map((p) => ({ label: p.label, description: p.id === current ? "current provider" : "", id: p.id }));
  const chosen = await vscode.window.showQuickPick(items, { title: `Cutout: ${verb}`, placeHolder: "Provider" });
  return chosen?.id;
}

/**
 * Tells the user how it went, without waiting for them: one image written is
 * revealed in the explorer, with Open and Compare; a batch gets one summary.
 * Resolves to the run, for callers that go on (Compare, tests).
 */
export async function finish(services: Services, run: Run | undefined, announce = true): Promise<Run | undefined> {
  if (!run) return run;
  const written = run.outcomes.filter((o) => "output" in o);
  const failed = run.outcomes.filter((o) => "error" in o);
  const last = written.at(-1);
  if (last) await vscode.commands.executeCommand("revealInExplorer", vscode.Uri.file(last.output));
  if (run.outcomes.length === 1 && run.notStarted.length === 0) {
    const only = run.outcomes[0]!;
    if ("error" in only) void services.report(only.error, only.image);
    else if ("output" in only && announce) offerOpen(services, only.image, only.output);
    return run;
  }
  const parts = [`cut out ${written.length} of ${run.outcomes.length + run.notStarted.length} images`];
  if (failed.length > 0) parts.push(`${failed.length} failed`);
  const skipped = run.outcomes.length - written.length - failed.length;
  if (skipped > 0) parts.push(`${skipped} skipped (output exists)`);
  if (run.notStarted.length > 0) parts.push(`stopped, ${run.notStarted.length} not started`);
  const text = `Cutout: ${parts.join("; ")}.`;
  const details = ACTION_LABELS.showOutput;
  const show = failed.length > 0 ? vscode.window.showWarningMessage(text, details) : vscode.window.showInformationMessage(text);
  void show.then((answer) => {
    if (answer === details) services.log.show(true);
  });
  return run;
}

function offerOpen(services: Services, image: string, output: string): void {
  const open = "Open";
  const compare = "Compare";
  void vscode.window.showInformationMessage(`Cutout: wrote ${path.basename(output)}`, open, compare).then((answer) => {
    if (answer === open) void vscode.commands.executeCommand("vscode.open", vscode.Uri.file(output));
    if (answer === compare) showCompare(services.context.extensionUri, { image, cutout: output });
  });
}

/** A failure as a notification with its actions ("Set API key", "Open settings", "Show details"). */
export function reporter(log: vscode.LogOutputChannel): (explained: Explained, file?: string) => Promise<void> {
  return async (explained, file) => {
    const labels = explained.actions.map((a) => ACTION_LABELS[a]);
    const where = file ? `${path.basename(file)}: ` : "";
    const answer = await vscode.window.showErrorMessage(`Cutout: ${where}${explained.message}`, ...labels);
    const action = (Object.keys(ACTION_LABELS) as Action[]).find((a) => ACTION_LABELS[a] === answer);
    if (action === "setApiKey") await vscode.commands.executeCommand(COMMANDS.setApiKey);
    if (action === "openSettings") await vscode.commands.executeCommand("workbench.action.openSettings", explained.setting);
    if (action === "showOutput") log.show(true);
  };
}
