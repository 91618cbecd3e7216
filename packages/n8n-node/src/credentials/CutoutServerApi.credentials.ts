import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";

/** A Cutout server (`cutout serve`): its base URL and one of its keys, sent in X-Api-Key; tested against its account endpoint. */
export class CutoutServerApi implements ICredentialType {
  name = "cutoutServerApi";

  displayName = "Cutout Server API";

  icon = "file:../nodes/Cutout/cutout.svg" as const;

  documentationUrl = "https://www.npmjs.com/package/n8n-nodes-cutout#credentials";

  properties: INodeProperties[] = [
    {
      displayName: "Base URL",
      name: "baseUrl",
      type: "string",
      required: true,
      default: "",
      placeholder: "http://cutout.internal:7000",
      description: "The server's origin; the node adds the remove.bg route (/v1.0/removebg) itself",
    },
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
    request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: "/v1.0/account" },
  };
}
