import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";
import { API_KEY_PROPERTY, CREDENTIAL_DOCS, CREDENTIAL_ICON, keyInHeader } from "./api-key";

/** BgCut's key (a remove.bg-compatible API), sent in X-Api-Key; tested against its account endpoint. */
export class BgCutApi implements ICredentialType {
  name = "bgCutApi";

  displayName = "BgCut API";

  icon = CREDENTIAL_ICON;

  documentationUrl = CREDENTIAL_DOCS;

  properties: INodeProperties[] = [API_KEY_PROPERTY];

  authenticate: IAuthenticateGeneric = keyInHeader("X-Api-Key");

  test: ICredentialTestRequest = {
    request: { baseURL: "https://api.rembg.click/v1.0", url: "/account" },
  };
}
