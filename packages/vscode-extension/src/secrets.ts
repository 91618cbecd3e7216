/**
 * API keys of the remote providers, one per provider, in VS Code's
 * SecretStorage (the OS keychain on desktop): never in settings.json, never
 * in the Output channel.
 */
import * as vscode from "vscode";

export function secretName(provider: string): string {
  return `cutout.apiKey.${provider}`;
}

export async function readApiKey(secrets: vscode.SecretStorage, provider: string): Promise<string | undefined> {
  const key = await secrets.get(secretName(provider));
  return key === undefined || key.trim() === "" ? undefined : key;
}

/** A key as pasted: surrounding spaces and newlines dropped; inner whitespace is refused (it would only fail at the provider). */
export function checkApiKey(value: string): string | undefined {
  const key = value.trim();
  if (key === "") return "Paste the provider's API key";
  if (/\s/.test(key)) return "An API key has no spaces or line breaks";
  return undefined;
}

/** Asks for a key (masked); undefined when the user cancels. */
export async function askApiKey(label: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Cutout: API key for ${label}`,
    prompt: "Kept in VS Code's secret storage, never in settings. Used only by the remote and auto engines.",
    password: true,
    ignoreFocusOut: true,
    validateInput: checkApiKey,
  });
  return value?.trim();
}

export async function storeApiKey(secrets: vscode.SecretStorage, provider: string, key: string): Promise<void> {
  await secrets.store(secretName(provider), key);
}

export async function clearApiKey(secrets: vscode.SecretStorage, provider: string): Promise<void> {
  await secrets.delete(secretName(provider));
}
