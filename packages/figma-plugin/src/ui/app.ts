/**
 * The plugin's UI (dist/ui.html): the options panel, and the engine that
 * cuts out each image the main thread sends. Runs in Figma's plugin iframe:
 * origin "null", inline script only, no storage of its own (settings, the API
 * key and timings are kept by the main thread in figma.clientStorage).
 */
import { DEFAULT_NPM_CDN } from "@cutout/core/browser";
import { describeRun, describeSelection } from "../messages.js";
import {
  DEFAULT_SETTINGS,
  type EngineStats,
  type ImageJob,
  type MainToUi,
  type PluginSettings,
  type RunSummary,
  type SelectionSummary,
  type UiToMain,
} from "../protocol.js";
import { checkSettings, cutoutOptions } from "./cutout-options.js";
import { EngineClient, EngineError } from "./engine-client.js";
import type { EngineConfig } from "./engine-protocol.js";
import { element, readSettings, showProblems, showSettings, updateVisibility } from "./panel.js";
import { Progress } from "./progress.js";

/** The engine worker's script, inlined by the build (build.config.mjs). */
declare const ENGINE_WORKER_SCRIPT: string;

let settings: PluginSettings = { ...DEFAULT_SETTINGS };
let apiKey = "";
let stats: EngineStats = { cutoutMs: {} };
let selection: SelectionSummary = { images: 0, layers: 0, withoutImage: 0 };
/** Where npm packages' files come from: the CDN the manifest allows (a test points it at a local stand-in). */
let cdn = DEFAULT_NPM_CDN;
let runs = 0;
let current: { id: number; cancelling: boolean } | undefined;

const progress = new Progress(element("progress"), element("status"));
const engine = new EngineClient(ENGINE_WORKER_SCRIPT, {
  onProgress: (p) => progress.model(p),
  onFetch: (request) => post({ type: "fetch", ...request }),
});

function post(message: UiToMain): void {
  parent.postMessage({ pluginMessage: message }, "*");
}

addEventListener("message", (event: MessageEvent<{ pluginMessage?: MainToUi }>) => {
  const message = event.data?.pluginMessage;
  if (!message || typeof message !== "object") return;
  switch (message.type) {
    case "init":
      settings = message.settings;
      apiKey = message.apiKey;
      stats = message.stats;
      if (message.cdn) cdn = message.cdn;
      element<HTMLInputElement>("api-key").value = apiKey;
      showSettings(settings);
      showSelection(message.selection);
      showQualityHint();
      return;
    case "selection":
      return showSelection(message.selection);
    case "job":
      return void cutOut(message.run, message.job);
    case "run-done":
      return finished(message.run, message.summary);
    case "run-refused":
      progress.fail(message.message);
      return setRunning(false);
    case "fetch-response": {
      const { type: _type, ...response } = message;
      return engine.answerFetch(response);
    }
  }
});

function showSelection(summary: SelectionSummary): void {
  selection = summary;
  const line = element("selection");
  line.textContent = describeSelection(summary);
  line.classList.toggle("empty", summary.images === 0);
  element<HTMLButtonElement>("run").disabled = Boolean(current) || summary.images === 0;
}

function engineConfig(): EngineConfig {
  return { cdn, quality: settings.quality, engine: settings.engine, apiKey: settings.engine === "local" ? "" : apiKey };
}

function start(): void {
  if (current || selection.images === 0) return;
  settings = readSettings();
  const problems = checkSettings(settings);
  if (settings.engine !== "local" && !apiKey)
    problems.push({ control: "api-key", message: "Enter your remove.bg API key, or run the engine on this computer." });
  showProblems(problems);
  if (problems.length > 0) return;
  current = { id: ++runs, cancelling: false };
  setRunning(true);
  progress.begin("Starting…");
  post({ type: "run", run: current.id, settings });
}

async function cutOut(run: number, job: ImageJob): Promise<void> {
  if (current?.id !== run || current.cancelling) return;
  const config = engineConfig();
  try {
    // Loaded up front, so its download shows as such; under auto the cutout loads it, falling back to remove.bg if it cannot.
    if (config.engine === "local" && !engine.loaded(config)) {
      progress.begin(engine.mode ? "Loading the model…" : "Starting the engine…");
      await engine.load(config);
    }
    if (current?.id !== run) return;
    const expected = config.engine === "remote" ? undefined : stats.cutoutMs[config.quality];
    progress.cutting(job, expected);
    const result = await engine.cut(config, { bytes: job.bytes, options: cutoutOptions(settings, job.matteOnly) });
    if (current?.id !== run) return;
    if (result.engine === "local") {
      stats = { cutoutMs: { ...stats.cutoutMs, [config.quality]: Math.round(result.totalMs - result.modelLoadMs) } };
      post({ type: "save-stats", stats });
    }
    void showPreview(result.image);
    post({
      type: "result",
      run,
      id: job.id,
      image: result.image,
      width: result.width,
      height: result.height,
      scaledFrom: result.scaledFrom,
    });
  } catch (error) {
    if (current?.id !== run) return;
    const { code, message } = error instanceof EngineError ? error : new EngineError("unexpected", String(error));
    if (code === "cancelled") return;
    post({ type: "failed", run, id: job.id, code, message });
    // Without the model no other image can be cut out either: stop here rather than fail each in turn.
    if (code === "model_unavailable") cancel();
  }
}

function cancel(): void {
  if (!current || current.cancelling) return;
  current.cancelling = true;
  const stopped = engine.cancel();
  progress.begin(stopped ? "Cancelling…" : "Cancelling after the image in hand…");
  element<HTMLButtonElement>("cancel").disabled = true;
  post({ type: "cancel", run: current.id });
}

function finished(run: number, summary: RunSummary): void {
  if (current?.id !== run) return;
  current = undefined;
  setRunning(false);
  const text = describeRun(summary);
  if (summary.done === 0 && summary.failures.length > 0) progress.fail(text);
  else progress.end(text);
  const list = element("messages");
  list.replaceChildren(
    ...[...summary.failures, ...summary.notes].map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }),
  );
  element("outcome").hidden = summary.done === 0 && list.childElementCount === 0;
  showQualityHint();
}

function setRunning(running: boolean): void {
  element<HTMLButtonElement>("run").hidden = running;
  const cancelButton = element<HTMLButtonElement>("cancel");
  cancelButton.hidden = !running;
  cancelButton.disabled = false;
  element<HTMLButtonElement>("run").disabled = running || selection.images === 0;
  for (const fieldset of document.querySelectorAll<HTMLFieldSetElement>("#options > fieldset")) {
    fieldset.toggleAttribute("inert", running);
  }
  if (running) cancelButton.focus();
  else element<HTMLButtonElement>("run").focus();
}

/** The last cutout, drawn small on a checkerboard (no URL: the iframe may not load blob: URLs). */
async function showPreview(png: Uint8Array): Promise<void> {
  const canvas = element<HTMLCanvasElement>("preview");
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: "image/png" }));
  const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
  const width = bitmap.width * scale;
  const height = bitmap.height * scale;
  const context = canvas.getContext("2d")!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height);
  bitmap.close();
  element("outcome").hidden = false;
}

function showQualityHint(): void {
  const ms = stats.cutoutMs[settings.quality];
  const words = {
    fast: "Model input 704 px, the quickest; as accurate as the others on our test set",
    balanced: "Model input 896 px",
    best: "Model input 1024 px, nearly twice Fast's time",
  };
  const time = ms ? ` About ${(ms / 1000).toFixed(1)} s per photo on this computer.` : "";
  element("quality-hint").textContent = `${words[settings.quality]}.${time}`;
}

let saving: ReturnType<typeof setTimeout> | undefined;
element("options").addEventListener("input", () => {
  updateVisibility();
  settings = readSettings();
  showQualityHint();
  clearTimeout(saving);
  saving = setTimeout(() => post({ type: "save-settings", settings }), 300);
});
element("options").addEventListener("submit", (event) => event.preventDefault());
element<HTMLInputElement>("api-key").addEventListener("change", (event) => {
  apiKey = (event.target as HTMLInputElement).value.trim();
  post({ type: "save-api-key", apiKey });
});
element("forget-key").addEventListener("click", () => {
  apiKey = "";
  element<HTMLInputElement>("api-key").value = "";
  post({ type: "save-api-key", apiKey });
});
element("run").addEventListener("click", start);
element("cancel").addEventListener("click", cancel);
addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
    event.preventDefault();
    start();
  }
  if (event.key === "Escape" && current) {
    event.preventDefault();
    cancel();
  }
});

showSettings(settings);
post({ type: "ready" });
