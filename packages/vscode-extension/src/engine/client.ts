/**
 * The extension's side of the engine process: starts it on first use, keeps
 * it (and its loaded model) for later commands, restarts it when the engine
 * settings or the API key change, and stops it on deactivate.
 */
import { type ChildProcess, fork } from "node:child_process";
import type { RemoveOptions } from "@cutout/core";
import { CutoutError } from "@cutout/core/pure";
import type { EngineResult, EngineSettings, OutputPlan, Reply, Request } from "./protocol.js";

export type ModelProgress = Extract<Reply, { type: "progress" }>;

interface Pending {
  resolve: (result: EngineResult) => void;
  reject: (error: CutoutError) => void;
  onProgress?: (progress: ModelProgress) => void;
}

interface Engine {
  process: ChildProcess;
  key: string;
  pending: Map<number, Pending>;
  /** The requests' promises, which settle on an answer or when the process exits. */
  inFlight: Set<Promise<EngineResult>>;
  exited: Promise<void>;
}

/** How long a closing engine may take to release its model before it is killed. */
const CLOSE_GRACE_MS = 5000;

export class EngineClient {
  private current: Engine | undefined;
  private nextId = 1;

  /** `script`: the bundled engine (dist/engine.js). `log`: the Output channel. */
  constructor(
    private readonly script: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Cuts `input` out and writes it as `output` plans; resolves to the result with the file written. */
  remove(
    input: string,
    options: RemoveOptions,
    output: OutputPlan,
    settings: EngineSettings,
    onProgress?: (progress: ModelProgress) => void,
  ): Promise<EngineResult> {
    const engine = this.engineFor(settings);
    const id = this.nextId++;
    const result = new Promise<EngineResult>((resolve, reject) => {
      engine.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.post(engine, { type: "remove", id, input, options, output });
    });
    engine.inFlight.add(result);
    const settled = () => engine.inFlight.delete(result);
    result.then(settled, settled);
    return result;
  }

  /**
   * Stops the engine process now, releasing the model (deactivate: the window
   * is closing). An image in hand is abandoned: its file is written
   * atomically, so none is left half-written.
   */
  async close(): Promise<void> {
    const engine = this.current;
    this.current = undefined;
    if (!engine) return;
    if (engine.pending.size > 0) {
      engine.process.kill("SIGTERM");
      await engine.exited;
      return;
    }
    await this.retire(engine);
  }

  private engineFor(settings: EngineSettings): Engine {
    const key = JSON.stringify(settings);
    if (this.current?.key === key && this.current.process.exitCode === null && this.current.process.signalCode === null)
      return this.current;
    const old = this.current;
    // Requests in flight finish on the engine they started on.
    if (old) void this.retire(old);
    this.current = this.start(settings, key);
    return this.current;
  }

  private start(settings: EngineSettings, key: string): Engine {
    // ELECTRON_RUN_AS_NODE: in desktop VS Code, process.execPath is Electron, which must act as Node here.
    const child = fork(this.script, [], {
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    });
    const pending = new Map<number, Pending>();
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.stdout?.resume();
    child.on("message", (reply: Reply) => {
      if (reply.type === "progress") {
        for (const request of pending.values()) request.onProgress?.(reply);
        return;
      }
      if (reply.type === "closed") return;
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.type === "done") request?.resolve(reply.result);
      else
        request?.reject(
          new CutoutError(reply.error.code, reply.error.message, reply.error.field === undefined ? {} : { field: reply.error.field }),
        );
    });
    const exited = new Promise<void>((resolve) => {
      const finish = (how: string, error?: Error) => {
        if (pending.size > 0 || error) {
          this.log(`The engine process stopped (${how})${stderr ? `:\n${stderr.trim()}` : ""}`);
        }
        const failure = new CutoutError(
          "inference_failed",
          `The Cutout engine stopped unexpectedly (${how}); the next image starts a new one. Details are in the Cutout output.`,
        );
        for (const request of pending.values()) request.reject(failure);
        pending.clear();
        resolve();
      };
      child.once("error", (error) => finish(error.message, error));
      child.once("exit", (code, signal) => finish(signal ? `signal ${signal}` : `exit code ${code}`));
    });
    const engine = { process: child, key, pending, inFlight: new Set<Promise<EngineResult>>(), exited };
    this.post(engine, { type: "configure", settings });
    return engine;
  }

  private post(engine: Engine, request: Request): void {
    if (!engine.process.connected) return; // its exit handler rejects what is pending
    engine.process.send(request, (error) => {
      if (error) this.log(`Could not reach the engine process: ${error.message}`);
    });
  }

  /** Lets an engine finish what it was asked, then closes it; kills it if it does not go. */
  private async retire(engine: Engine): Promise<void> {
    await Promise.allSettled(engine.inFlight);
    this.post(engine, { type: "close" });
    const timer = setTimeout(() => engine.process.kill("SIGKILL"), CLOSE_GRACE_MS);
    await engine.exited;
    clearTimeout(timer);
  }
}
