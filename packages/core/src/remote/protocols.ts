import { CutoutError } from "../errors.js";
import { REMOTE_PROVIDERS, type RemoteAccount, type RemoteProvider, type RemoteSettings } from "./providers.js";

/**
 * How each provider is asked for a plain full-size cutout, and where its
 * account lives. Field names and routes come from each service's API
 * reference; every request asks for a PNG at the input's resolution, since
 * effects are applied locally afterwards.
 */
interface Protocol {
  /** The route added to a base URL (see RemoteSettings.url). */
  route: string;
  imageField: string;
  fields: Readonly<Record<string, string>>;
  /** The account endpoint, relative to the cutout endpoint; `home` where the provider's own lives on another host. */
  account?: { at: string; home?: string; read: (json: unknown, provider: string) => RemoteAccount };
}

const REMOVEBG_ACCOUNT = { at: "account", read: readRemoveBgAccount };

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  // remove.bg's "full" is the input's resolution up to 25 MP; "auto" may give less when credits run short.
  removebg: { route: "/v1.0/removebg", imageField: "image_file", fields: { size: "full", format: "png" }, account: REMOVEBG_ACCOUNT },
  bgcut: { route: "/v1.0/removebg", imageField: "image_file", fields: { size: "full", format: "png" }, account: REMOVEBG_ACCOUNT },
  // A Cutout server's "auto" keeps the input's resolution whatever its size.
  cutout: { route: "/v1.0/removebg", imageField: "image_file", fields: { size: "auto", format: "png" }, account: REMOVEBG_ACCOUNT },
  "rembg-com": {
    route: "/rmbg",
    imageField: "image",
    fields: { format: "png" },
    account: {
      at: "/api/membership-usage?expand=billing_cycle",
      home: "https://www.rembg.com/api/membership-usage?expand=billing_cycle",
      read: readRembgComAccount,
    },
  },
  fapihub: { route: "/v2/rembg/", imageField: "image", fields: {} },
  minimal: { route: "/v1/remove", imageField: "image_file", fields: { format: "png", size: "full", channels: "rgba" } },
};

export interface Target {
  provider: RemoteProvider;
  protocol: Protocol;
  /** The cutout endpoint. */
  url: URL;
  /** The user gave the URL. */
  custom: boolean;
}

/** Checks the settings and works out where to send the photo. */
export function remoteTarget(settings: RemoteSettings): Target {
  if (settings === null || typeof settings !== "object") {
    throw new CutoutError("validation_error", "The remote engine needs settings ({ provider, apiKey, url })", { field: "remote" });
  }
  const id = settings.provider ?? "removebg";
  const provider = Object.hasOwn(REMOTE_PROVIDERS, id) ? REMOTE_PROVIDERS[id] : undefined;
  const protocol = Object.hasOwn(PROTOCOLS, id) ? PROTOCOLS[id] : undefined;
  if (!provider || !protocol) {
    throw new CutoutError(
      "validation_error",
      `Unknown remote provider '${String(id)}'; known: ${Object.keys(REMOTE_PROVIDERS).join(", ")}`,
      {
        field: "provider",
      },
    );
  }
  if (typeof settings.apiKey !== "string" || settings.apiKey.trim() === "") {
    throw new CutoutError("validation_error", "The remote engine needs an API key (apiKey)", { field: "apiKey" });
  }
  const given = settings.url ?? provider.url;
  if (given === undefined || given === "") {
    throw new CutoutError("validation_error", `The remote provider '${id}' has no public endpoint: give its url (the server's base URL)`, {
      field: "url",
    });
  }
  return { provider, protocol, url: endpoint(given, protocol.route), custom: settings.url !== undefined };
}

/** A base URL (path "/") gets the provider's route; anything else is the endpoint itself. */
function endpoint(given: string, route: string): URL {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new CutoutError("validation_error", "Expected an http(s) URL for url", { field: "url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CutoutError("validation_error", `Expected an http(s) URL for url but received a ${url.protocol} URL`, { field: "url" });
  }
  if (url.pathname === "/") url.pathname = route;
  return url;
}

/** The account endpoint, or a validation_error naming the provider when it has none. */
export function accountUrl(target: Target): URL {
  const account = target.protocol.account;
  if (!account || !target.provider.account) {
    throw new CutoutError(
      "validation_error",
      `The remote provider '${target.provider.id}' (${target.provider.label}) has no account endpoint`,
      {
        field: "provider",
      },
    );
  }
  return !target.custom && account.home ? new URL(account.home) : new URL(account.at, target.url);
}

export function readAccount(target: Target, json: unknown): RemoteAccount {
  return (target.protocol.account as NonNullable<Protocol["account"]>).read(json, target.provider.id);
}

/** remove.bg's GET /v1.0/account: {data: {attributes: {credits: {...}, api: {free_calls}}}}. */
function readRemoveBgAccount(json: unknown, provider: string): RemoteAccount {
  const attributes = (json as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes;
  const credits = attributes?.credits as Record<string, unknown> | undefined;
  const total = numberOf(credits?.total);
  if (total === undefined) throw unexpectedAccount(provider);
  const part = (name: string) => numberOf(credits?.[name]);
  const freeCalls = numberOf((attributes?.api as Record<string, unknown> | undefined)?.free_calls);
  return {
    provider,
    credits: withDefined({ total, subscription: part("subscription"), payg: part("payg"), enterprise: part("enterprise") }),
    ...(freeCalls === undefined ? {} : { freeCalls }),
  };
}

/**
 * rembg.com's GET /api/membership-usage?expand=billing_cycle: included
 * credits left this billing window (subscription) plus prepaid ones (payg).
 * Without the billing block, what the month's usage leaves of `credits`.
 */
function readRembgComAccount(json: unknown, provider: string): RemoteAccount {
  const body = json as Record<string, unknown> | undefined;
  const cycle = body?.billingCycle as Record<string, unknown> | undefined;
  const included = numberOf(body?.credits);
  const used = (numberOf(body?.app_usage) ?? 0) + (numberOf(body?.api_usage) ?? 0);
  const subscription = numberOf(cycle?.remainingIncludedCredits) ?? (included === undefined ? undefined : Math.max(0, included - used));
  const payg = numberOf(body?.prepaidCredits) ?? numberOf(cycle?.prepaidCredits) ?? 0;
  if (subscription === undefined) throw unexpectedAccount(provider);
  return { provider, credits: { total: subscription + payg, subscription, payg } };
}

function unexpectedAccount(provider: string): CutoutError {
  return new CutoutError("remote_error", `The remote provider '${provider}' answered its account endpoint with an unexpected body`);
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

function withDefined<T extends Record<string, number | undefined>>(record: T): { [K in keyof T]: number } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as { [K in keyof T]: number };
}
