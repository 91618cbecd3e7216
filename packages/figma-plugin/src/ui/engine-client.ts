/**
 * The UI's side of the engine worker. The worker is started from a data: URL
 * (Figma's plugin iframe refuses blob: URLs, "Not allowed to load local
 * resource: blob:null/…"), then from a blob: URL; where neither may start, the
 * same script runs in the iframe itself behind a MessagePort, and a cancel
 * then waits for the image in hand. The model the worker builds is kept here,
 * in memory, so a worker ended by a cancel is replaced without a download.
 */
import type { RelayedRequest, RelayedResponse } from "../protocol.js";
import type { CutRequest, CutResult, EngineConfig, FromWorker, ToWorker } from "./engine-protocol.js";

export type EngineMode = "worker" | "inline";

/** A failure from the engine, with core's error code (or "cancelled"). */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface EngineEvents {
  onProgress(progress: { phase: "download" | "verify" | "quantize"; received: number; total?: number }): void;
  /** A request the main thread must make (the remote engine's); its answer goes back through answerFetch. */
  onFetch(request: RelayedRequest): void;
}

interface Channel {
  postMessage(message: ToWorker): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  terminate?(): void;
}

/** How long a new worker may take to say it is ready before the next way is tried. */
const WORKER_START_MS = 15_000;

export class EngineClient {
  private channel: Promise<Channel> | undefined;
  private configured: string | undefined;
  private loadedFor: string | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: CutResult | undefined): void; reject(error: EngineError): void }>();
  /** What the worker asked to keep (the model form it built, onnxruntime's WASM), by key; one model at a time, each is tens of MB. */
  private readonly kept = new Map<string, Uint8Array>();
  mode: EngineMode | undefined;

  constructor(
    private readonly script: string,
    private readonly events: EngineEvents,
  ) {}

  /** Loads the model for `config` (downloading it on first use, with progress). */
  async load(config: EngineConfig): Promise<void> {
    await this.configure(config);
    await this.call({ method: "load" });
    this.loadedFor = this.configured;
  }

  /** Whether the worker has the model for `config` loaded (a new worker, after a cancel, has not). */
  loaded(config: EngineConfig): boolean {
    return this.loadedFor !== undefined && this.loadedFor === JSON.stringify(config);
  }

  async cut(config: EngineConfig, request: CutRequest): Promise<CutResult> {
    await this.configure(config);
    return (await this.call({ method: "cut", request })) as CutResult;
  }

  /** Stops the work in hand: at once in a worker (it is ended), after the image in hand otherwise. Returns whether it stopped at once. */
  cancel(): boolean {
    if (this.pending.size === 0) return true;
    if (this.mode !== "worker") return false;
    this.stop(new EngineError("cancelled", "Cancelled"));
    return true;
  }

  /** Ends the worker and fails what it had in hand; the next call starts a new one. */
  private stop(error: EngineError): void {
    void this.channel?.then((channel) => channel.terminate?.());
    this.channel = undefined;
    this.configured = undefined;
    this.loadedFor = undefined;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /** The main thread's answer to a request the worker asked it to make. */
  answerFetch(response: RelayedResponse): void {
    void this.channel?.then((channel) => channel.postMessage({ fetchReply: response }));
  }

  private async configure(config: EngineConfig): Promise<void> {
    const key = JSON.stringify(config);
    if (this.configured === key && this.channel) return;
    await this.call({ method: "configure", config });
    this.configured = key;
  }

  private async call(request: { method: "configure"; config: EngineConfig } | { method: "load" } | { method: "cut"; request: CutRequest }) {
    this.channel ??= this.start();
    const channel = await this.channel;
    const id = this.nextId++;
    return new Promise<CutResult | undefined>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      channel.postMessage({ id, ...request } as ToWorker);
    });
  }

  private receive(channel: Channel, message: FromWorker): void {
    if ("progress" in message) {
      this.events.onProgress(message.progress);
      return;
    }
    if ("fetchRequest" in message) {
      this.events.onFetch(message.fetchRequest);
      return;
    }
    if ("cacheRequest" in message) {
      if (message.op === "put") this.keep(message.key, message.bytes);
      else channel.postMessage({ cacheReply: message.cacheRequest, bytes: this.kept.get(message.key) });
      return;
    }
    if (!("id" in message)) return;
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!waiting) return;
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new EngineError(message.code, message.message));
  }

  private async start(): Promise<Channel> {
    for (const url of [
      `data:text/javascript;base64,${base64(this.script)}`,
      () => URL.createObjectURL(new Blob([this.script], { type: "text/javascript" })),
    ]) {
      const worker = await startWorker(typeof url === "string" ? url : url());
      if (worker) {
        this.mode = "worker";
        return this.listen(worker);
      }
    }
    this.mode = "inline";
    return this.listen(await startInline(this.script));
  }

  /** A new model form replaces the one before; the WASM (keyed by its SHA-256, 64 hex digits) stays. */
  private keep(key: string, bytes: Uint8Array): void {
    const isWasm = /^[0-9a-f]{64}$/.test(key);
    if (!isWasm) for (const old of this.kept.keys()) if (!/^[0-9a-f]{64}$/.test(old)) this.kept.delete(old);
    this.kept.set(key, bytes);
  }

  private listen(channel: Channel): Channel {
    channel.onmessage = (event) => this.receive(channel, event.data);
    // A worker that dies (out of memory, say) must not leave a run waiting for ever.
    if (channel instanceof Worker) {
      channel.onerror = (event) =>
        this.stop(new EngineError("inference_failed", `The engine stopped: ${event.message || "the worker failed"}`));
    }
    return channel;
  }
}

/** A worker that said it is ready, or undefined when this page may not start one from `url`. */
function startWorker(url: string): Promise<Worker | undefined> {
  let worker: Worker;
  try {
    worker = new Worker(url);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), WORKER_START_MS);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      if (!ok) worker.terminate();
      resolve(ok ? worker : undefined);
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) => done("ready" in event.data);
    worker.onerror = () => done(false);
  });
}

/** The worker's script run in this page, talking over a MessageChannel as it would from a worker. */
function startInline(script: string): Promise<Channel> {
  const { port1, port2 } = new MessageChannel();
  (globalThis as { cutoutEnginePort?: MessagePort }).cutoutEnginePort = port2;
  return new Promise((resolve) => {
    port1.onmessage = (event: MessageEvent<FromWorker>) => {
      if (!("ready" in event.data)) return;
      port1.onmessage = null;
      resolve(port1 as unknown as Channel);
    };
    const element = document.createElement("script");
    element.textContent = script;
    document.head.append(element);
  });
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
