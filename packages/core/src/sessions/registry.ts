import { CutoutError } from "../errors.js";
import type { Normalization } from "../matte/preprocess.js";
import { IsnetSession } from "./isnet.js";
import type { MatteSession, OrtRuntime, SessionSettings } from "./session.js";

/** What the manifest says about a model, as far as building a session goes. */
export interface ModelDescription {
  family: string;
  inputSize: readonly [number, number];
  normalization: Normalization;
}

type SessionFactory = (
  runtime: OrtRuntime,
  model: Uint8Array,
  description: ModelDescription,
  settings: SessionSettings,
) => Promise<MatteSession>;

/** Model family name to session class, as rembg's sessions/ does it. */
const families: Record<string, SessionFactory> = {
  isnet: (runtime, model, d, settings) => IsnetSession.create(runtime, model, d.inputSize, d.normalization, settings),
};

export function createSession(
  runtime: OrtRuntime,
  model: Uint8Array,
  description: ModelDescription,
  settings: SessionSettings = {},
): Promise<MatteSession> {
  const factory = families[description.family];
  if (!factory) {
    throw new CutoutError("model_unavailable", `Unknown model family '${description.family}'; known: ${Object.keys(families).join(", ")}`);
  }
  return factory(runtime, model, description, settings);
}
