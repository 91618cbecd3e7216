import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";

/** fapihub's key, sent in ApiKey. fapihub has no account endpoint: the test posts no image, which a valid key answers with 400 (no credits charged) and a bad one with 401. */
export class FapihubApi implements ICredentialType {
  name = "fapihubApi";

  displayName = "Fapihub RemoveBG API";

  icon = "file:../nodes/Cutout/cutout.svg" as const;

  documentationUrl = "https://www.npmjs.com/package/n8n-nodes-cutout#credentials";

  properties: INodeProperties[] = [
    {
      displayName: "API Key",
      name: "apiKey",
      type: "string",
      typeOptions: { password: true },
      required: true,
      default: "",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: "generic",
    properties: { headers: { ApiKey: "={{$credentials.apiKey}}" } },
  };

  test: ICredentialTestRequest = {
    request: { baseURL: "https://fapihub.com/v2", url: "/rembg/", method: "POST", ignoreHttpStatusErrors: true },
    rules: [
      { type: "responseCode", properties: { value: 401, message: "The API key was refused (HTTP 401)" } },
      { type: "responseCode", properties: { value: 403, message: "The API key was refused (HTTP 403)" } },
    ],
  };
}
