import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";
import { API_KEY_PROPERTY, CREDENTIAL_DOCS, CREDENTIAL_ICON, keyInHeader } from "./api-key";

/** fapihub's key, sent in ApiKey. fapihub has no account endpoint: the test posts no image, which a valid key answers with 400 (no credits charged) and a bad one with 401. */
export class FapihubApi implements ICredentialType {
  name = "fapihubApi";

  displayName = "Fapihub RemoveBG API";

  icon = CREDENTIAL_ICON;

  documentationUrl = CREDENTIAL_DOCS;

  properties: INodeProperties[] = [API_KEY_PROPERTY];

  authenticate: IAuthenticateGeneric = keyInHeader("ApiKey");

  test: ICredentialTestRequest = {
    request: { baseURL: "https://fapihub.com/v2", url: "/rembg/", method: "POST", ignoreHttpStatusErrors: true },
    rules: [
      { type: "responseCode", properties: { value: 401, message: "The API key was refused (HTTP 401)" } },
      { type: "responseCode", properties: { value: 403, message: "The API key was refused (HTTP 403)" } },
    ],
  };
}
