/**
 * Core's error codes, told the VS Code way: a short sentence for the
 * notification, the engine's own message after it, and the action that
 * helps. The table is keyed by ErrorCode, so a new code does not compile
 * until it has a message here.
 */
import { CutoutError, type ErrorCode, isCutoutError } from "@cutout/core/pure";

export type Action = "setApiKey" | "openSettings" | "showOutput";

export const ACTION_LABELS: Readonly<Record<Action, string>> = {
  setApiKey: "Set API key",
  openSettings: "Open settings",
  showOutput: "Show details",
};

interface Explanation {
  headline: string;
  actions: readonly Action[];
}

const EXPLAINED: Readonly<Record<ErrorCode, Explanation>> = {
  validation_error: { headline: "A setting or option is not valid", actions: ["openSettings"] },
  invalid_image: { headline: "This file is not an image Cutout can read", actions: [] },
  image_too_large: { headline: "The image is too large", actions: ["openSettings"] },
  unsupported_format: { headline: "This output format cannot hold the result", actions: ["openSettings"] },
  model_unavailable: { headline: "The background-removal model could not be loaded", actions: ["openSettings"] },
  inference_failed: { headline: "The model failed on this image", actions: [] },
  input_unreadable: { headline: "The image could not be read", actions: [] },
  output_exists: { headline: "The output file already exists", actions: ["openSettings"] },
  output_unwritable: { headline: "The cutout could not be written", actions: ["openSettings"] },
  network_error: { headline: "The remote engine could not be reached", actions: ["openSettings"] },
  timeout: { headline: "The remote engine did not answer in time", actions: ["openSettings"] },
  no_foreground: { headline: "The remote engine found no subject in this image", actions: [] },
  remote_auth_failed: { headline: "The remote provider refused the API key", actions: ["setApiKey"] },
  remote_quota_exceeded: { headline: "The remote provider's credits are used up", actions: ["setApiKey", "openSettings"] },
  remote_rate_limited: { headline: "The remote provider asks to slow down; try again in a minute", actions: [] },
  remote_error: { headline: "The remote provider failed", actions: ["openSettings"] },
};

export interface Explained {
  code: ErrorCode;
  /** For the notification: the headline and the engine's message. */
  message: string;
  actions: Action[];
  /** The setting to open with "Open settings" (`cutout.` + the field, when the field is a setting). */
  setting: string;
}

/** Settings a failing field points at. */
const FIELD_SETTINGS: Readonly<Record<string, string>> = {
  format: "cutout.format",
  provider: "cutout.provider",
  url: "cutout.remoteUrl",
  quality: "cutout.quality",
  threads: "cutout.threads",
  engine: "cutout.engine",
};

/** Anything thrown while cutting out or writing, as the user sees it. A non-Cutout error is a failure to write or read. */
export function explain(error: unknown): Explained {
  const known = isCutoutError(error)
    ? error
    : new CutoutError("inference_failed", error instanceof Error ? error.message : String(error), { cause: error });
  const { headline, actions } = EXPLAINED[known.code];
  const wantsKey = known.code === "validation_error" && known.field === "apiKey";
  return {
    code: known.code,
    message: `${headline}. ${known.message}`,
    actions: wantsKey ? ["setApiKey", "showOutput"] : [...actions, "showOutput"],
    setting: (known.field && FIELD_SETTINGS[known.field]) || settingFor(known.code),
  };
}

function settingFor(code: ErrorCode): string {
  if (code === "output_unwritable" || code === "output_exists") return "cutout.outputFolder";
  if (code.startsWith("remote_") || code === "network_error" || code === "timeout") return "cutout.remoteUrl";
  if (code === "model_unavailable") return "cutout.engine";
  return "cutout";
}
