/**
 * The remote providers the node offers, each with its n8n credential type.
 * Endpoints, key headers and protocols are core's (REMOTE_PROVIDERS); the
 * node only says which credential holds each provider's key.
 */
import { REMOTE_PROVIDERS, type RemoteSettings } from "@cutout/core/pure";
import type { ICredentialDataDecryptedObject, INodePropertyOptions } from "n8n-workflow";

/** Provider id -> credential type name. core's "minimal" provider has no public endpoint, so no credential of its own. */
export const PROVIDER_CREDENTIALS = {
  removebg: "removeBgApi",
  bgcut: "bgCutApi",
  "rembg-com": "rembgComApi",
  fapihub: "fapihubApi",
  cutout: "cutoutServerApi",
} as const;

export type ProviderId = keyof typeof PROVIDER_CREDENTIALS;

export const PROVIDER_IDS = Object.keys(PROVIDER_CREDENTIALS) as ProviderId[];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && Object.hasOwn(PROVIDER_CREDENTIALS, value);
}

/** The providers as n8n options; `withAccount` keeps those with a credits endpoint. */
export function providerOptions(withAccount = false): INodePropertyOptions[] {
  return PROVIDER_IDS.filter((id) => !withAccount || REMOTE_PROVIDERS[id]?.account).map((id) => ({
    name: REMOTE_PROVIDERS[id]?.label ?? id,
    value: id,
  }));
}

/** A provider's credential as core's RemoteSettings. The key never leaves this object except in the provider's header. */
export function remoteSettings(provider: ProviderId, credentials: ICredentialDataDecryptedObject, timeoutMs?: number): RemoteSettings {
  const apiKey = typeof credentials.apiKey === "string" ? credentials.apiKey : "";
  const url = provider === "cutout" && typeof credentials.baseUrl === "string" ? credentials.baseUrl.trim() : undefined;
  return { provider, apiKey, ...(url ? { url } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
}
