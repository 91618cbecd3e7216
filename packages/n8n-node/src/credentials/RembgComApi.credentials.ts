import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";

/** rembg.com's key, sent in x-api-key; tested against its membership-usage endpoint. */
export class RembgComApi implements ICredentialType {
  name = "rembgComApi";

  displayName = "rembg.com API";

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
    properties: { headers: { "x-api-key": "={{$credentials.apiKey}}" } },
  };

  test: ICredentialTestRequest = {
    request: { baseURL: "https://www.rembg.com/api", url: "/membership-usage" },
  };
}
