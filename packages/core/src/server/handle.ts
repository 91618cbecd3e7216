import type { FastifyReply, FastifyRequest } from "fastify";
import sharp from "sharp";
import { CutoutError } from "../errors.js";
import type { Remover } from "../node/remover.js";
import { type CanonicalOptions, DIALECT_FIELDS, type FieldError, type ImageKind, parseDialect } from "../options/index.js";
import type { AddressPolicy } from "./address-policy.js";
import { type RequestBody, readRequestBody } from "./body.js";
import { failureOf, invalidFields, Refusal } from "./failures.js";
import { fetchPublicUrl } from "./fetch-url.js";
import { type KeyRing, presentedKey } from "./keys.js";
import type { Answer, Failure, Protocol } from "./protocol.js";
import type { WorkQueue } from "./queue.js";
import { MegapixelRateLimit, type RateState } from "./rate-limit.js";

/** What every request handler shares: one Remover (one model session), the keys, the limits. */
export interface ServerContext {
  remover: Remover;
  keys: KeyRing;
  rate: MegapixelRateLimit | undefined;
  queue: WorkQueue;
  policy: AddressPolicy;
  limits: { maxPixels: number; maxPngPixels: number; bodyLimit: number; fetchTimeoutMs: number };
  /** What the access log says about each request beyond its route and status. */
  notes: WeakMap<FastifyRequest, LogNote>;
  /** Where unexpected errors go (the server's error log). */
  report: (error: unknown) => void;
  /** The access log's line for a request whose client went away before its answer. */
  logAbandoned: (request: FastifyRequest, ms: number) => void;
}

export interface LogNote {
  megapixels?: number;
  code?: string;
  engine?: string;
}

/** How a route reads its request, beyond its protocol's dialect. */
export interface RouteReading {
  /** Fields come from the query string too (rembg's GET, and its POST's bgc). */
  query: boolean;
  /** Checks of the route's own (fapihub's endpoints). */
  check?: (fields: Readonly<Record<string, string>>) => FieldError[];
}

/** The client closed the connection before its answer: nothing is sent, and its work is dropped if it has not started. */
class ClientGone extends Error {}

/**
 * One image request, whatever the protocol: the key, the rate limit, the
 * fields parsed in the protocol's dialect (core decides every option,
 * default and error), the image from an upload, base64 or a URL fetched
 * safely, then the cutout in the queue and the answer in the protocol's
 * shape.
 */
export async function serveCutout(
  context: ServerContext,
  protocol: Protocol,
  reading: RouteReading,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const note: LogNote = {};
  context.notes.set(request, note);
  const gone = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) gone.abort(new ClientGone());
  });
  let rate: RateState | undefined;
  try {
    const who = authorize(context, request);
    rate = context.rate?.peek(who);
    if (rate && rate.remaining === 0) throw rateLimited(context.rate!.take(who, 1));
    const body = await readRequestBody(request, reading.query, context.limits.bodyLimit);
    const checked = reading.check?.(body.fields) ?? [];
    if (checked.length > 0) throw invalidFields(checked);
    const { canonical, image } = parse(protocol, body);
    if (!image) throw new Refusal({ code: "missing_image", message: protocol.missingImage });
    const bytes = await imageBytes(context, image, body, gone.signal);
    await fetchBackground(context, canonical, body, gone.signal);
    const pixels = await headerPixels(bytes);
    note.megapixels = Math.round(pixels / 10_000) / 100;
    if (context.rate) {
      rate = context.rate.take(who, MegapixelRateLimit.cost(pixels));
      if (rate.retryAfter !== undefined) throw rateLimited(rate);
    }
    const { maxPixels, maxPngPixels } = context.limits;
    const result = await context.queue.run(() => context.remover.remove(bytes, { canonical, maxPixels, maxPngPixels }), gone.signal);
    note.engine = result.engine;
    const success = { result, requestId: String(request.id), ms: reply.elapsedTime, fields: body.fields, accept: request.headers.accept };
    send(reply, protocol.success(success), rate);
  } catch (error) {
    if (gone.signal.aborted) {
      // Nobody to answer: fastify is told so, and the log says so (499, as nginx counts it).
      note.code = "client_closed";
      reply.hijack();
      request.raw.socket?.destroy();
      context.logAbandoned(request, reply.elapsedTime);
      return;
    }
    const failure = failureOf(error, context.limits.bodyLimit);
    if (failure.code === "internal_error") context.report(error);
    fail(reply, protocol, failure, rate, note);
  }
}

/** The key check: with keys configured, a request without a valid one is refused. Returns whom the rate limit counts against. */
export function authorize(context: ServerContext, request: FastifyRequest): string {
  const key = presentedKey(request.headers);
  if (!context.keys.accepts(key)) {
    const message = key === undefined ? "Missing API key: send it in the X-Api-Key header" : "Invalid API key";
    throw new Refusal({ code: "unauthorized", message });
  }
  return context.keys.open ? `ip:${request.ip}` : `key:${key}`;
}

/** A failure in the protocol's shape, with Retry-After and the rate-limit headers where they apply. */
export function fail(reply: FastifyReply, protocol: Protocol, failure: Failure, rate: RateState | undefined, note: LogNote): void {
  note.code = failure.code;
  const answer = protocol.failure(failure, String(reply.request.id));
  if (failure.retryAfter !== undefined) answer.headers["retry-after"] = String(failure.retryAfter);
  send(reply, answer, rate);
}

function send(reply: FastifyReply, answer: Answer, rate: RateState | undefined): void {
  reply.code(answer.status).headers(answer.headers);
  if (rate) {
    reply.header("x-ratelimit-limit", String(rate.limit));
    reply.header("x-ratelimit-remaining", String(rate.remaining));
    reply.header("x-ratelimit-reset", String(rate.reset));
  }
  if (answer.body instanceof Uint8Array) reply.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
  else reply.type(answer.headers["content-type"] ?? "application/json; charset=utf-8").send(answer.body);
}

function rateLimited(rate: RateState): Refusal {
  return new Refusal({
    code: "rate_limited",
    message: `Rate limit exceeded: ${rate.limit} megapixels per minute; retry after ${rate.retryAfter} s`,
    retryAfter: rate.retryAfter ?? 1,
  });
}

/** Fields that may arrive as uploads: the dialect's file fields, and remove.bg's bg_image_file. */
function fileFields(protocol: Protocol): Set<string> {
  const { image } = DIALECT_FIELDS[protocol.dialect];
  const names = [...image].filter(([, kind]) => kind === "file").map(([name]) => name);
  if (DIALECT_FIELDS[protocol.dialect].options.includes("bg_image_file")) names.push("bg_image_file");
  return new Set(names);
}

/** The request's fields in the protocol's dialect; uploads take part as their field's name. */
function parse(protocol: Protocol, body: RequestBody): { canonical: CanonicalOptions; image?: { kind: ImageKind; field: string } } {
  const uploads = fileFields(protocol);
  for (const name of body.files.keys()) {
    if (!uploads.has(name)) throw invalidFields([{ field: name, value: "<file>", message: `${name} must be a text field, not a file` }]);
  }
  if (Object.hasOwn(body.fields, "bg_image_file")) {
    // Never a path on this machine: the background is the uploaded file itself.
    throw invalidFields([{ field: "bg_image_file", value: "", message: "bg_image_file must be an uploaded file (multipart/form-data)" }]);
  }
  const { image } = DIALECT_FIELDS[protocol.dialect];
  const sources = [...image.keys()].filter((name) => Object.hasOwn(body.fields, name) || body.files.has(name));
  if (sources.length > 1) {
    throw new Refusal({
      code: "multiple_sources",
      message: `Multiple image sources given (${sources.join(", ")}): give only one of ${[...image.keys()].join(", ")}`,
    });
  }
  const fields = { ...body.fields };
  for (const name of body.files.keys()) fields[name] = "upload";
  const parsed = parseDialect(protocol.dialect, fields);
  if (!parsed.ok) throw invalidFields(parsed.errors);
  return parsed.image ? { canonical: parsed.options, image: parsed.image } : { canonical: parsed.options };
}

async function imageBytes(
  context: ServerContext,
  image: { kind: ImageKind; field: string },
  body: RequestBody,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const text = body.fields[image.field] ?? "";
  switch (image.kind) {
    case "file":
      return body.files.get(image.field) ?? Buffer.from(text, "latin1");
    case "base64":
      return decodeBase64(text, image.field);
    case "url":
      return fetchPublicUrl(text.trim(), {
        policy: context.policy,
        maxBytes: context.limits.bodyLimit,
        timeoutMs: context.limits.fetchTimeoutMs,
        signal,
        field: image.field,
      });
  }
}

/** A background image arrives as an upload or a URL; either way the renderer gets bytes, never a path or a URL to follow itself. */
async function fetchBackground(context: ServerContext, canonical: CanonicalOptions, body: RequestBody, signal: AbortSignal): Promise<void> {
  const background = canonical.background;
  if (background.type !== "image") return;
  const upload = body.files.get("bg_image_file");
  if (upload) background.source = upload;
  else if (typeof background.source === "string") {
    background.source = await fetchPublicUrl(background.source, {
      policy: context.policy,
      maxBytes: context.limits.bodyLimit,
      timeoutMs: context.limits.fetchTimeoutMs,
      signal,
      field: "bg_image_url",
    });
  }
}

/** remove.bg's image_file_b64: standard or URL-safe base64, a data: URL prefix and white space allowed. */
function decodeBase64(text: string, field: string): Uint8Array {
  const data = text.replace(/^data:[^,]*;base64,/i, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
    throw new CutoutError("validation_error", `${field} is not base64-encoded image data`, { field });
  }
  return Buffer.from(data, "base64");
}

/** The input's pixels from its header alone, for the rate limit and the log; an unreadable header counts as one megapixel and is refused later, by core, with its code. */
async function headerPixels(bytes: Uint8Array): Promise<number> {
  try {
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    return (width ?? 0) * (height ?? 0);
  } catch {
    return 0;
  }
}
