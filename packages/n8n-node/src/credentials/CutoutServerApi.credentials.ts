import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";
import { API_KEY_PROPERTY, CREDENTIAL_DOCS, CREDENTIAL_ICON, keyInHeader } from "./api-key";

/** A Cutout server (`cutout serve`): its base URL and one of its keys, sent in X-Api-Key; tested against its account endpoint. */
export class CutoutServerApi implements ICredentialType {
  name = "cutoutServerApi";

  displayName = "Cutout Server API";

  icon = CREDENTIAL_ICON;

  documentationUrl = CREDENTIAL_DOCS;

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
    API_KEY_PROPERTY,
  ];

  authenticate: IAuthenticateGeneric = keyInHeader("X-Api-Key");

  test: ICredentialTestRequest = {
    request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: "/v1.0/account" },
  };
}
