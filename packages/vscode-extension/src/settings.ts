/**
 * The `cutout.*` settings (package.json's contributes.configuration), read
 * per image where they may differ per folder, and the engine settings with
 * the API key from secret storage.
 */
import type { EngineChoice, Quality } from "@cutout/core";
import { CutoutError } from "@cutout/core/pure";
import * as vscode from "vscode";
import type { EngineSettings } from "./engine/protocol.js";
import { readApiKey } from "./secrets.js";

export type FormatSetting = "png" | "webp" | "jpg" | "auto" | "bmp" | "zip" | "mask";
export type IfOutputExists = "keepBoth" | "ask";

export interface OutputSettings {
  format: FormatSetting;
  outputFolder: string;
  ifOutputExists: IfOutputExists;
}

/** The settings that decide where one image's cutout goes (folder settings of multi-root workspaces apply per image). */
export function outputSettings(image: vscode.Uri): OutputSettings {
  const config = vscode.workspace.getConfiguration("cutout", image);
  return {
    format: config.get<FormatSetting>("format", "png"),
    outputFolder: config.get<string>("outputFolder", ""),
    ifOutputExists: config.get<IfOutputExists>("ifOutputExists", "keepBoth"),
  };
}

export interface EngineConfig {
  engine: EngineChoice;
  quality: Quality;
  provider: string;
  remoteUrl: string;
  threads: number;
}

export function engineConfig(): EngineConfig {
  const config = vscode.workspace.getConfiguration("cutout");
  return {
    engine: config.get<EngineChoice>("engine", "local"),
    quality: config.get<Quality>("quality", "best"),
    provider: config.get<string>("provider", "removebg"),
    remoteUrl: config.get<string>("remoteUrl", "").trim(),
    threads: config.get<number>("threads", 0),
  };
}

/**
 * What the engine process is started with. The remote engine without a key is
 * refused here, with the field that says which action helps; `auto` without a
 * key simply stays local.
 */
export async function engineSettings(secrets: vscode.SecretStorage): Promise<EngineSettings> {
  const config = engineConfig();
  const settings: EngineSettings = {
    engine: config.engine,
    quality: config.quality,
    ...(config.threads > 0 ? { threads: config.threads } : {}),
  };
  if (config.engine === "local") return settings;
  const apiKey = await readApiKey(secrets, config.provider);
  if (apiKey === undefined) {
    if (config.engine === "auto") return settings;
    throw new CutoutError("validation_error", `The remote engine needs an API key for ${config.provider}: run "Cutout: Set API key"`, {
      field: "apiKey",
    });
  }
  return { ...settings, remote: { provider: config.provider, apiKey, ...(config.remoteUrl ? { url: config.remoteUrl } : {}) } };
}
