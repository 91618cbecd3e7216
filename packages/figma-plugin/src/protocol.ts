/**
 * The messages between the plugin's two halves: the main thread (Figma's
 * sandbox: the document, no DOM) and the UI iframe (the engine, no document).
 * The main thread sends one image at a time and the next only once the UI
 * has answered, so at most one photo's bytes are in flight.
 */

/** What happens to a layer once its image is cut out. */
export type ResultMode = "non-destructive" | "replace" | "mask";
export type BackgroundChoice = "transparent" | "color" | "gradient" | "blur";
export type ShadowChoice = "none" | "drop" | "3D" | "car";
export type QualityChoice = "fast" | "balanced" | "best";
export type EngineChoice = "local" | "remote" | "auto";

/** The options panel, kept in figma.clientStorage between launches (the API key is kept apart). */
export interface PluginSettings {
  mode: ResultMode;
  background: BackgroundChoice;
  bgColor: string;
  gradientFrom: string;
  gradientTo: string;
  /** Degrees, CSS convention: 180 runs top to bottom. */
  gradientAngle: number;
  /** 1..50, relative to a 1000 px image (core's bgBlur). */
  blurRadius: number;
  crop: boolean;
  /** core's cropMargin: "0", "20px", "5%", or 2 or 4 values. */
  cropMargin: string;
  shadow: ShadowChoice;
  quality: QualityChoice;
  engine: EngineChoice;
}

/** Figma refuses images over 4096 px on either side (figma.createImage). */
export const FIGMA_MAX_IMAGE_SIDE = 4096;

/** What the current selection holds, for the UI's summary line. */
export interface SelectionSummary {
  /** Distinct images to cut out (a photo used by several layers is cut out once). */
  images: number;
  /** Layers that will receive a result. */
  layers: number;
  /** Selected layers with no image fill anywhere inside. */
  withoutImage: number;
}

/** One image to cut out. `id` is its Figma image hash. */
export interface ImageJob {
  id: string;
  /** 0-based position in this run, and the run's length. */
  index: number;
  total: number;
  /** The first layer's name, for the progress line. */
  label: string;
  /** The encoded file as Figma stores it (PNG, JPEG or GIF). */
  bytes: Uint8Array;
  /** Mask mode wants the matte alone. */
  matteOnly: boolean;
}

export interface RunSummary {
  /** Layers that received a result. */
  done: number;
  /** Images that failed, and layers that could not take their result, each with a reason. */
  failures: string[];
  /** Notes on layers that succeeded differently than asked (kept as a hidden fill inside an instance, say). */
  notes: string[];
  cancelled: boolean;
}

/** Timings the UI keeps between launches (its iframe has no storage of its own), to pace its progress bar. */
export interface EngineStats {
  /** Milliseconds the last local cutout took, by quality preset. */
  cutoutMs: Partial<Record<QualityChoice, number>>;
}

/**
 * The remote engine's HTTP requests, made by the main thread: Figma's fetch
 * there is not subject to CORS, which a paid API need not allow for a
 * null-origin iframe. The main thread forwards only to REMOTE_API_HOSTS.
 */
export interface RelayedRequest {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export type RelayedResponse =
  | { id: number; ok: true; status: number; statusText: string; headers: Record<string, string>; body: Uint8Array }
  | { id: number; ok: false; message: string };

/** Hosts the main thread forwards the remote engine's requests to: the manifest's networkAccess allows the same. */
export const REMOTE_API_HOSTS = ["api.remove.bg"];

export type MainToUi =
  | {
      type: "init";
      settings: PluginSettings;
      apiKey: string;
      stats: EngineStats;
      selection: SelectionSummary;
      /**
       * Base URL serving npm packages' files, for the model and onnxruntime's WASM. The plugin never sets
       * it (the UI uses jsDelivr, the manifest's allowed domain); a test points it at a local stand-in.
       */
      cdn?: string;
    }
  | { type: "selection"; selection: SelectionSummary }
  | { type: "job"; run: number; job: ImageJob }
  | { type: "run-done"; run: number; summary: RunSummary }
  /** A run that could not start (nothing to cut out), with what to do instead. */
  | { type: "run-refused"; message: string }
  | ({ type: "fetch-response" } & RelayedResponse);

export interface CutoutReply {
  run: number;
  id: string;
  /** PNG bytes, at most FIGMA_MAX_IMAGE_SIDE on either side. */
  image: Uint8Array;
  width: number;
  height: number;
  /** Set when the result was larger than Figma takes and was scaled down to fit: its size before. */
  scaledFrom?: { width: number; height: number };
}

export type UiToMain =
  | { type: "ready" }
  | { type: "run"; run: number; settings: PluginSettings }
  | ({ type: "result" } & CutoutReply)
  | { type: "failed"; run: number; id: string; code: string; message: string }
  | { type: "cancel"; run: number }
  | { type: "save-settings"; settings: PluginSettings }
  /** An empty key forgets the saved one. */
  | { type: "save-api-key"; apiKey: string }
  | { type: "save-stats"; stats: EngineStats }
  | ({ type: "fetch" } & RelayedRequest);

export const DEFAULT_SETTINGS: PluginSettings = {
  mode: "non-destructive",
  background: "transparent",
  bgColor: "#ffffff",
  gradientFrom: "#ffffff",
  gradientTo: "#d9d9d9",
  gradientAngle: 180,
  blurRadius: 20,
  crop: false,
  cropMargin: "0",
  shadow: "none",
  quality: "fast",
  engine: "local",
};

/** The words each choice accepts. */
export const CHOICES = {
  mode: ["non-destructive", "replace", "mask"],
  background: ["transparent", "color", "gradient", "blur"],
  shadow: ["none", "drop", "3D", "car"],
  quality: ["fast", "balanced", "best"],
  engine: ["local", "remote", "auto"],
} as const satisfies Partial<Record<keyof PluginSettings, readonly string[]>>;

/**
 * Settings read back from storage (an older version's, or damaged): known
 * keys whose values have the right type (and, for choices, a known word);
 * the defaults for the rest.
 */
export function settingsFrom(stored: unknown): PluginSettings {
  const settings = { ...DEFAULT_SETTINGS };
  if (stored === null || typeof stored !== "object") return settings;
  const record = settings as unknown as Record<string, unknown>;
  const choices = CHOICES as Record<string, readonly string[]>;
  for (const [key, value] of Object.entries(stored)) {
    // Not Object.hasOwn: this runs in Figma's sandbox too, whose built-ins are only promised to ES2020.
    if (!Object.keys(DEFAULT_SETTINGS).includes(key) || typeof value !== typeof record[key]) continue;
    if (choices[key] && !choices[key].includes(value as string)) continue;
    if (typeof value === "number" && !Number.isFinite(value)) continue;
    record[key] = value;
  }
  return settings;
}
