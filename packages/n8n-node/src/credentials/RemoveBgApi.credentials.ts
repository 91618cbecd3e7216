import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";
import { API_KEY_PROPERTY, CREDENTIAL_DOCS, CREDENTIAL_ICON, keyInHeader } from "./api-key";

/** remove.bg's key, sent in X-Api-Key; tested against its account endpoint (free, no credits). */
export class RemoveBgApi implements ICredentialType {
  name = "removeBgApi";

  displayName = "remove.bg API";

  icon = CREDENTIAL_ICON;

  documentationUrl = CREDENTIAL_DOCS;

  properties: INodeProperties[] = [API_KEY_PROPERTY];

  authenticate: IAuthenticateGeneric = keyInHeader("X-Api-Key");

  test: ICredentialTestRequest = {
    request: { baseURL: "https://api.remove.bg/v1.0", url: "/account" },
  };
}
