/**
 * The engines this n8n process keeps: one core Remover per engine setting,
 * created on first use and shared by every execution and item, so the model
 * session (about a second and 300 MB to create) exists once per process. In
 * queue mode that is once per worker.
 *
 * core's Node half (sharp, and onnxruntime-node when a model loads) is
 * imported here, on first use: n8n loads the node's file to list it, and
 * Get Account needs no image library, so neither may depend on native
 * modules that a machine might lack.
 */
import type { EngineChoice, EngineOptions, Remover } from "@cutout/core";
import type { RemoteSettings } from "@cutout/core/pure";

type Core = typeof import("@cutout/core");
type ModelProgress = Parameters<NonNullable<EngineOptions["onModelProgress"]>>[0];

let core: Promise<Core> | undefined;

export function loadCore(): Promise<Core> {
  // A failure is kept: a bundled module that failed halfway cannot be initialised again in this process.
  core ??= import("@cutout/core").catch((error: unknown) => {
    const reason = String((error as Error)?.message ?? error).split("\n")[0];
    throw new Error(
      `Cutout's image engine could not load (${reason}); it needs the package's dependencies sharp and onnxruntime-node: reinstall n8n-nodes-cutout, then restart n8n`,
      { cause: error },
    );
  });
  return core;
}

export interface EngineSetting {
  engine: EngineChoice;
  model?: string;
  quality?: EngineOptions["quality"];
  precision?: EngineOptions["precision"];
  remote?: RemoteSettings;
}

/** Where progress goes: n8n's logger (set by the node on each execution). */
export type Log = (message: string) => void;

interface Entry {
  remover: Remover;
  /** Calls in flight: an entry is closed only when idle. */
  busy: number;
}

/** Several settings may be in use at once (two models, or auto with two credentials); beyond this, the least recently used idle one is closed. */
const MAX_ENGINES = 4;
const engines = new Map<string, Entry>();

/** Settings that make the same engine give the same key (the local engine ignores remote settings). */
function keyOf({ engine, model, quality, precision, remote }: EngineSetting): string {
  return JSON.stringify([engine, model, quality, precision, engine === "local" ? undefined : remote]);
}

/** Runs `work` with the process's Remover for `setting`, creating it on first use. */
export async function withRemover<T>(setting: EngineSetting, log: Log, work: (remover: Remover) => Promise<T>): Promise<T> {
  const key = keyOf(setting);
  let entry = engines.get(key);
  if (!entry) {
    const { Remover } = await loadCore();
    // Another item may have created it while core loaded.
    entry = engines.get(key) ?? {
      remover: new Remover({
        engine: setting.engine,
        ...(setting.model ? { model: setting.model } : {}),
        ...(setting.quality ? { quality: setting.quality } : {}),
        ...(setting.precision ? { precision: setting.precision } : {}),
        ...(setting.engine !== "local" && setting.remote ? { remote: setting.remote } : {}),
        onModelProgress: progressLogger(log),
      }),
      busy: 0,
    };
  }
  // Re-inserted: the Map's order is the order of use.
  engines.delete(key);
  engines.set(key, entry);
  entry.busy++;
  evictIdle();
  try {
    return await work(entry.remover);
  } finally {
    entry.busy--;
  }
}

function evictIdle(): void {
  for (const [key, entry] of engines) {
    if (engines.size <= MAX_ENGINES) return;
    if (entry.busy > 0) continue;
    engines.delete(key);
    entry.remover.close().catch(() => undefined);
  }
}

const PHASES: Record<ModelProgress["phase"], string> = {
  download: "Downloading the model",
  verify: "Verifying the model",
  assemble: "Assembling the model",
  quantize: "Preparing the int8 model",
};

/** A first run's download, one log line per phase and per 10% of it, so a long first execution is never silent. */
function progressLogger(log: Log): (progress: ModelProgress) => void {
  let last = "";
  return ({ phase, received, total }) => {
    const percent = total ? Math.floor((received / total) * 10) * 10 : undefined;
    const line = `Cutout: ${PHASES[phase]}${percent === undefined ? "" : ` ${percent}%`}`;
    if (line === last) return;
    last = line;
    log(total ? `${line} (${(received / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB)` : line);
  };
}
