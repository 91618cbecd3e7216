import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from "n8n-workflow";
import { API_KEY_PROPERTY, CREDENTIAL_DOCS, CREDENTIAL_ICON, keyInHeader } from "./api-key";

/** rembg.com's key, sent in x-api-key; tested against its membership-usage endpoint. */
export class RembgComApi implements ICredentialType {
  name = "rembgComApi";

  displayName = "rembg.com API";

  icon = CREDENTIAL_ICON;

  documentationUrl = CREDENTIAL_DOCS;

  properties: INodeProperties[] = [API_KEY_PROPERTY];

  authenticate: IAuthenticateGeneric = keyInHeader("x-api-key");

  test: ICredentialTestRequest = {
    request: { baseURL: "https://www.rembg.com/api", url: "/membership-usage" },
  };
}
