import type { IAuthenticateGeneric, INodeProperties } from "n8n-workflow";

/** What every credential type of the node shares: Cutout's icon and the README's credentials section. */
export const CREDENTIAL_ICON = "file:../nodes/Cutout/cutout.svg" as const;
export const CREDENTIAL_DOCS = "https://www.npmjs.com/package/n8n-nodes-cutout#credentials";

export const API_KEY_PROPERTY: INodeProperties = {
  displayName: "API Key",
  name: "apiKey",
  type: "string",
  typeOptions: { password: true },
  required: true,
  default: "",
};

/**
 * The key in `header`, the one core sends it in (REMOTE_PROVIDERS' keyHeader;
 * the node's tests hold the two equal). Written out rather than imported, so
 * each credential file n8n loads stays a few kB instead of carrying core.
 */
export function keyInHeader(header: string): IAuthenticateGeneric {
  return { type: "generic", properties: { headers: { [header]: "={{$credentials.apiKey}}" } } };
}
