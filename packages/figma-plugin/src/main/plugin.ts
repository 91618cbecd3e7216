/**
 * The main thread: shows the UI, answers its messages, and runs a cutout
 * run. A run takes the selection as it is when it starts, sends its images
 * to the UI one at a time, and places each result as it comes back, so the
 * canvas shows progress. The whole run is one undo step.
 */
import { describeRun, describeSelection } from "../messages.js";
import {
  type CutoutReply,
  type EngineStats,
  FIGMA_MAX_IMAGE_SIDE,
  type MainToUi,
  type PluginSettings,
  type RunSummary,
  settingsFrom,
  type UiToMain,
} from "../protocol.js";
import type { FigmaApi, FigmaFetch, SceneNode } from "./figma-api.js";
import { relay } from "./relay.js";
import { PlacementError, placeCutout } from "./results.js";
import { findImageWork, type ImageWork } from "./targets.js";

/** figma.clientStorage keys. */
export const STORAGE_KEYS = { settings: "settings", apiKey: "apiKey", stats: "stats" } as const;

export const UI_SIZE = { width: 300, height: 560 };

interface Run {
  id: number;
  settings: PluginSettings;
  images: ImageWork[];
  /** The image the UI is working on. */
  index: number;
  placed: SceneNode[];
  failures: string[];
  notes: string[];
}

export function startPlugin(figma: FigmaApi, html: string, fetch: FigmaFetch): CutoutPlugin {
  figma.showUI(html, { themeColors: true, title: "Cutout", ...UI_SIZE });
  const plugin = new CutoutPlugin(figma, fetch);
  figma.ui.onmessage = (message) => plugin.receive(message as UiToMain);
  figma.on("selectionchange", () => plugin.selectionChanged());
  return plugin;
}

export class CutoutPlugin {
  private run: Run | undefined;
  /** Settles when the message being handled is done (tests await it). */
  idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly figma: FigmaApi,
    private readonly fetch: FigmaFetch,
  ) {}

  receive(message: UiToMain): Promise<void> {
    // A remote request takes seconds: it must not hold up the messages behind it (a cancel, say).
    if (message.type === "fetch") return relay(this.fetch, message).then((answer) => this.post({ type: "fetch-response", ...answer }));
    this.idle = this.idle.then(() => this.handle(message)).catch((error) => this.fail(error));
    return this.idle;
  }

  selectionChanged(): void {
    this.post({ type: "selection", selection: findImageWork(this.figma, this.figma.currentPage.selection).summary });
  }

  private async handle(message: UiToMain): Promise<void> {
    const storage = this.figma.clientStorage;
    switch (message.type) {
      case "ready": {
        const [settings, apiKey, stats] = await Promise.all([
          storage.getAsync(STORAGE_KEYS.settings),
          storage.getAsync(STORAGE_KEYS.apiKey),
          storage.getAsync(STORAGE_KEYS.stats),
        ]);
        const selection = findImageWork(this.figma, this.figma.currentPage.selection).summary;
        this.post({
          type: "init",
          settings: settingsFrom(settings),
          apiKey: typeof apiKey === "string" ? apiKey : "",
          stats: statsFrom(stats),
          selection,
        });
        return;
      }
      case "save-settings":
        return storage.setAsync(STORAGE_KEYS.settings, settingsFrom(message.settings));
      case "save-api-key":
        return message.apiKey ? storage.setAsync(STORAGE_KEYS.apiKey, message.apiKey) : storage.deleteAsync(STORAGE_KEYS.apiKey);
      case "save-stats":
        return storage.setAsync(STORAGE_KEYS.stats, statsFrom(message.stats));
      case "run":
        return this.start(message.run, settingsFrom(message.settings));
      case "result":
        if (this.run?.id === message.run) await this.place(this.run, message);
        return;
      case "failed":
        if (this.run?.id === message.run) await this.skip(this.run, `${this.nameOf(this.run)}: ${message.message}`);
        return;
      case "cancel":
        if (this.run?.id === message.run) this.finish(this.run, true);
        return;
    }
  }

  private async start(id: number, settings: PluginSettings): Promise<void> {
    if (this.run) return this.post({ type: "run-refused", message: "A run is already in progress." });
    const { images, summary } = findImageWork(this.figma, this.figma.currentPage.selection);
    if (images.length === 0) return this.post({ type: "run-refused", message: describeSelection(summary) });
    await this.figma.clientStorage.setAsync(STORAGE_KEYS.settings, settings);
    // Whatever came before is its own undo step; everything this run does is the next one.
    this.figma.commitUndo();
    this.run = { id, settings, images, index: 0, placed: [], failures: [], notes: [] };
    await this.sendCurrent(this.run);
  }

  /** Sends the run's current image to the UI, or finishes the run when none is left. */
  private async sendCurrent(run: Run): Promise<void> {
    for (; run.index < run.images.length; run.index++) {
      const work = run.images[run.index]!;
      const image = this.figma.getImageByHash(work.hash);
      const bytes = await image?.getBytesAsync().catch(() => undefined);
      if (this.run !== run) return; // cancelled while the bytes loaded
      if (!bytes) {
        run.failures.push(`${this.nameOf(run)}: Figma could not provide its image`);
        continue;
      }
      const job = {
        id: work.hash,
        index: run.index,
        total: run.images.length,
        label: this.nameOf(run),
        bytes,
        matteOnly: run.settings.mode === "mask",
      };
      return this.post({ type: "job", run: run.id, job });
    }
    this.finish(run, false);
  }

  private async place(run: Run, reply: CutoutReply): Promise<void> {
    const work = run.images[run.index];
    if (!work || work.hash !== reply.id) return;
    const image = this.upload(run, reply);
    if (image) {
      const resized = reply.scaledFrom ? reply.width / reply.scaledFrom.width : 1;
      for (const target of work.targets) {
        try {
          const placed = await placeCutout(this.figma, target, { hash: image.hash, resized, original: work.hash }, run.settings.mode);
          run.placed.push(placed.node);
          if (placed.note) run.notes.push(placed.note);
        } catch (error) {
          if (!(error instanceof PlacementError)) throw error;
          run.failures.push(error.message);
        }
      }
      if (reply.scaledFrom) {
        const { width, height } = reply.scaledFrom;
        run.notes.push(
          `${this.nameOf(run)}: the ${width}x${height} result was scaled to ${reply.width}x${reply.height}, Figma's largest image`,
        );
      }
    }
    run.index++;
    await this.sendCurrent(run);
  }

  /** The result as a Figma image, or undefined (with the reason recorded) when Figma refuses it. */
  private upload(run: Run, reply: CutoutReply) {
    if (reply.width > FIGMA_MAX_IMAGE_SIDE || reply.height > FIGMA_MAX_IMAGE_SIDE) {
      run.failures.push(`${this.nameOf(run)}: the result is ${reply.width}x${reply.height}, over Figma's ${FIGMA_MAX_IMAGE_SIDE} px limit`);
      return undefined;
    }
    try {
      return this.figma.createImage(reply.image);
    } catch (error) {
      run.failures.push(`${this.nameOf(run)}: Figma refused the result (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }

  private async skip(run: Run, failure: string): Promise<void> {
    run.failures.push(failure);
    run.index++;
    await this.sendCurrent(run);
  }

  private finish(run: Run, cancelled: boolean): void {
    this.run = undefined;
    this.figma.commitUndo();
    const placed = run.placed.filter((node) => !node.removed && pageOf(node) === this.figma.currentPage);
    if (placed.length > 0) this.figma.currentPage.selection = placed;
    const summary: RunSummary = { done: run.placed.length, failures: run.failures, notes: run.notes, cancelled };
    this.post({ type: "run-done", run: run.id, summary });
    this.figma.notify(describeRun(summary), { error: summary.done === 0 && summary.failures.length > 0 });
  }

  /** An unexpected error ends the run (what was placed stays, as one undo step) and is shown, not swallowed. */
  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.run) {
      this.run.failures.push(`Stopped: ${message}`);
      this.finish(this.run, false);
    } else {
      this.figma.notify(`Cutout: ${message}`, { error: true });
    }
  }

  private nameOf(run: Run): string {
    const targets = run.images[run.index]?.targets ?? [];
    const first = targets[0]?.name ?? "image";
    return targets.length > 1 ? `'${first}' (and ${targets.length - 1} more with the same image)` : `'${first}'`;
  }

  private post(message: MainToUi): void {
    this.figma.ui.postMessage(message);
  }
}

function pageOf(node: SceneNode) {
  let parent = node.parent;
  while (parent && parent.type !== "PAGE") parent = parent.parent;
  return parent;
}

function statsFrom(stored: unknown): EngineStats {
  const cutoutMs: EngineStats["cutoutMs"] = {};
  const given = (stored as EngineStats | undefined)?.cutoutMs;
  if (given && typeof given === "object") {
    for (const quality of ["fast", "balanced", "best"] as const) {
      const ms = given[quality];
      if (typeof ms === "number" && Number.isFinite(ms) && ms > 0) cutoutMs[quality] = ms;
    }
  }
  return { cutoutMs };
}
