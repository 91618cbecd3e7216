import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";

/** BgCut's key (a remove.bg-compatible API), sent in X-Api-Key; tested against its account endpoint. */
export class BgCutApi implements ICredentialType {
  name = "bgCutApi";

  displayName = "BgCut API";

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
    properties: { headers: { "X-Api-Key": "={{$credentials.apiKey}}" } },
  };

  test: ICredentialTestRequest = {
    request: { baseURL: "https://api.rembg.click/v1.0", url: "/account" },
  };
}
