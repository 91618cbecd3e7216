/**
 * The extension activated against the vscode double, with its real engine
 * process (dist/engine.js, the real model) and a temporary workspace whose
 * paths hold spaces and unicode.
 */
import { mkdtempSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { buildOnce, FIXTURES } from "../../../../test/support/cli.js";
import * as vscode from "./vscode-double.js";

export const EXTENSION = fileURLToPath(new URL("../..", import.meta.url));
export const CAR = path.join(FIXTURES, "car-1.jpg");

export interface Harness {
  extension: typeof import("../../src/extension.js");
  context: ReturnType<typeof vscode.extensionContext>;
  /** A fresh folder under the OS temp folder ("cutout vscode ü-..."). */
  folder(label: string): Promise<string>;
  /** Runs a contributed command as VS Code would, with the arguments its menus pass. */
  run<T = unknown>(command: string, ...args: unknown[]): Promise<T>;
  /** The Cutout output channel's lines. */
  log(): string[];
  close(): Promise<void>;
}

/** Builds once, then activates the extension; every test starts from default settings and a fresh user. */
export async function activate(): Promise<Harness> {
  buildOnce();
  const extension = await import("../../src/extension.js");
  const context = vscode.extensionContext(EXTENSION);
  vscode.resetUser();
  vscode.resetSettings();
  extension.activate(context as never);
  const root = mkdtempSync(path.join(os.tmpdir(), "cutout vscode ü-"));
  return {
    extension,
    context,
    async folder(label) {
      const dir = path.join(root, label);
      await fs.mkdir(dir, { recursive: true });
      return dir;
    },
    run: (command, ...args) => vscode.commands.executeCommand(command, ...args),
    log: () => vscode.user.outputs.find((o) => o.name === "Cutout")?.lines ?? [],
    async close() {
      await extension.deactivate();
      for (const d of context.subscriptions) d.dispose();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** An explorer right-click: VS Code passes the clicked item and the whole selection. */
export function explorer(...files: string[]): [vscode.Uri, vscode.Uri[]] {
  const uris = files.map((f) => vscode.Uri.file(f));
  return [uris[0]!, uris];
}

/**
 * The extension for a whole test file: activated once, closed at the end;
 * before each test the scripted user and the settings start afresh, with
 * `settings` set as the user's.
 */
export function useExtension(settings: Record<string, unknown> = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await activate();
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    vscode.resetUser();
    vscode.resetSettings();
    for (const [name, value] of Object.entries(settings)) vscode.setSetting(name, value);
  });
  const live = () => {
    if (!current) throw new Error("the extension is not active yet");
    return current;
  };
  return {
    get extension() {
      return live().extension;
    },
    get context() {
      return live().context;
    },
    folder: (label) => live().folder(label),
    run: (command, ...args) => live().run(command, ...args),
    log: () => live().log(),
    close: () => live().close(),
  };
}

/** A copy of the car photo at `dir/name`. */
export async function photo(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.copyFile(CAR, file);
  return file;
}
