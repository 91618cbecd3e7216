/**
 * Cutout for VS Code: activated by its commands only. The model is loaded
 * on first use in the engine process, kept for later commands, and released
 * on deactivate.
 */
import * as vscode from "vscode";
import { commandHandlers, reporter } from "./commands.js";
import { EngineClient } from "./engine/client.js";
import { Pairs } from "./pairs.js";

let engine: EngineClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("Cutout", { log: true });
  engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, "dist", "engine.js").fsPath, (line) => log.error(line));
  const services = { context, engine, log, pairs: new Pairs(context.workspaceState), report: reporter(log) };
  context.subscriptions.push(log);
  for (const [id, handler] of Object.entries(commandHandlers(services))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  log.info(
    `Cutout activated (extension host: Node ${process.version}, ${process.platform}-${process.arch}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ""})`,
  );
}

export async function deactivate(): Promise<void> {
  await engine?.close();
  engine = undefined;
}
