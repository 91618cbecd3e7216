import { CutoutError } from "../errors.js";
import { accountUrl, readAccount, remoteTarget } from "./protocols.js";
import type { RemoteAccount, RemoteSettings } from "./providers.js";
import { callRemote, describeTarget, readCapped } from "./transport.js";

const DEFAULT_MAX_RESPONSE_BYTES = 200 * 1024 * 1024;

/** What a provider sent back for one photo. */
export interface RemoteCutout {
  /** The cutout as the provider encoded it (a full-size RGBA PNG). */
  image: Uint8Array;
  /** The provider's id. */
  provider: string;
  /** Credits the provider says the call cost (remove.bg's X-Credits-Charged), where it says. */
  creditsCharged?: number;
}

/**
 * Asks a provider for the plain cutout of a photo. Effects are applied
 * locally afterwards, so every option means the same whichever engine cut
 * the subject out. Pure: the global fetch only, so the browser host can call
 * it too. The key travels in the provider's header and never appears in an
 * error, a log line or a result.
 */
export async function requestRemoteCutout(image: Uint8Array, settings: RemoteSettings): Promise<RemoteCutout> {
  const target = remoteTarget(settings);
  const maxBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const { protocol, provider } = target;
  const request = (): RequestInit => {
    const form = new FormData();
    form.append(protocol.imageField, new Blob([image as BlobPart]), "image");
    for (const [name, value] of Object.entries(protocol.fields)) form.append(name, value);
    return { method: "POST", body: form, headers: { [provider.keyHeader]: settings.apiKey } };
  };
  return callRemote(target, settings, request, async (response) => {
    const body = await readCapped(response, maxBytes, describeTarget(target));
    const charged = Number.parseFloat(response.headers.get("x-credits-charged") ?? "");
    return { image: body, provider: provider.id, ...(Number.isFinite(charged) ? { creditsCharged: charged } : {}) };
  });
}

/** The cutout's bytes alone (see requestRemoteCutout). */
export async function fetchRemoteCutout(image: Uint8Array, settings: RemoteSettings): Promise<Uint8Array> {
  return (await requestRemoteCutout(image, settings)).image;
}

/**
 * The provider's credit balance: remove.bg's and BgCut's GET /v1.0/account
 * (a Cutout server answers it too), rembg.com's membership usage. Providers
 * without an account endpoint reject with validation_error, naming the
 * provider.
 */
export async function fetchRemoteAccount(settings: RemoteSettings): Promise<RemoteAccount> {
  const target = remoteTarget(settings);
  const url = accountUrl(target);
  const where = describeTarget({ ...target, url });
  return callRemote(
    { ...target, url },
    settings,
    () => ({ method: "GET", headers: { [target.provider.keyHeader]: settings.apiKey, accept: "application/json" } }),
    async (response) => {
      const body = await readCapped(response, 1024 * 1024, where);
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(body));
      } catch {
        throw new CutoutError("remote_error", `The remote engine (${where}) answered its account endpoint with something other than JSON`);
      }
      return readAccount(target, json);
    },
  );
}
