import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { Remover } from "../node/remover.js";
import { AddressPolicy } from "./address-policy.js";
import { failureOf } from "./failures.js";
import { authorize, fail, type LogNote, type ServerContext, serveCutout } from "./handle.js";
import { KeyRing } from "./keys.js";
import { openApiDocument } from "./openapi.js";
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from "./options.js";
import { webPage } from "./page.js";
import { type Answer, type Failure, type Protocol, usualStatus } from "./protocol.js";
import { REMOVEBG } from "./protocols/removebg.js";
import { WorkQueue } from "./queue.js";
import { MegapixelRateLimit } from "./rate-limit.js";
import { IMAGE_ROUTES } from "./routes.js";

export interface CutoutServer {
  app: FastifyInstance;
  options: ResolvedServerOptions;
  /** Starts listening; resolves to the base URL. The model starts loading at once (see /readyz). */
  listen(): Promise<string>;
  /** Stops taking connections, finishes the requests in flight, then releases the model. */
  close(): Promise<void>;
  /** Resolves once the model is loaded; rejects with the reason it could not be. */
  ready: Promise<void>;
  /** Requests in work and waiting. */
  queue(): { running: number; waiting: number; capacity: number };
}

/** Answers outside the image routes (health, 404s): {error: {code, message}}. */
const PLAIN: Protocol = {
  ...REMOVEBG,
  failure: (failure: Failure): Answer => ({
    status: usualStatus(failure.code),
    headers: {},
    body: { error: { code: failure.code, message: failure.message } },
  }),
};

/**
 * A Cutout server: the paid APIs' routes (routes.ts), health and readiness,
 * an OpenAPI description, and a web page, around one Remover. It keeps no
 * state between requests beyond each key's rate-limit window, so replicas
 * behind a load balancer are interchangeable.
 */
export async function createCutoutServer(input: ServerOptions = {}): Promise<CutoutServer> {
  const options = resolveServerOptions(input);
  const remover = new Remover(options.engine);
  const context: ServerContext = {
    remover,
    keys: new KeyRing(options.keys),
    rate: options.rateLimit > 0 ? new MegapixelRateLimit(options.rateLimit) : undefined,
    queue: new WorkQueue(options.concurrency, options.queueSize),
    policy: new AddressPolicy(options.allowPrivateHosts),
    limits: {
      maxPixels: options.maxPixels,
      maxPngPixels: options.maxPngPixels,
      bodyLimit: options.bodyLimit,
      fetchTimeoutMs: options.fetchTimeoutMs,
    },
    notes: new WeakMap(),
    logAbandoned: (request, ms) => options.accessLog?.(accessLine(request, 499, ms, context.notes.get(request))),
    report: (error) =>
      options.errorLog(
        JSON.stringify({ time: new Date().toISOString(), level: "error", message: String((error as Error)?.stack ?? error) }),
      ),
  };
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
    requestTimeout: options.requestTimeoutMs,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });
  await app.register(formbody, { bodyLimit: options.bodyLimit });
  await app.register(multipart, {
    limits: { fileSize: options.bodyLimit, fieldSize: options.bodyLimit, files: 2, fields: 64, parts: 66 },
  });

  const protocols = new Map<string, Protocol>();
  // Connections, and those with a request in work: on close, one that never sent a request is not waited for.
  const sockets = new Set<Socket>();
  const working = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      working.delete(socket);
    });
  });
  app.addHook("onRequest", async (request, reply) => {
    working.add(request.raw.socket);
    reply.header("x-request-id", request.id);
  });
  // While closing, answers in work end their connections, so the server is not kept waiting on keep-alive.
  let closing = false;
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    working.delete(request.raw.socket);
    options.accessLog?.(accessLine(request, reply.statusCode, reply.elapsedTime, context.notes.get(request)));
  });
  app.setErrorHandler((error, request, reply) => {
    const failure = failureOf(error, options.bodyLimit);
    if (failure.code === "internal_error") context.report(error);
    const note = context.notes.get(request) ?? {};
    context.notes.set(request, note);
    fail(reply, protocols.get(request.routeOptions.url ?? "") ?? PLAIN, failure, undefined, note);
  });
  app.setNotFoundHandler((request, reply) => {
    const note: LogNote = {};
    context.notes.set(request, note);
    fail(reply, PLAIN, { code: "not_found", message: `No route ${request.method} ${request.url.split("?")[0]}` }, undefined, note);
  });

  for (const route of IMAGE_ROUTES) {
    protocols.set(route.url, route.protocol);
    app.route({
      method: route.method,
      url: route.url,
      handler: (request, reply) => serveCutout(context, route.protocol, route.reading, request, reply),
    });
  }

  app.get("/v1.0/account", async (request, reply) => {
    const note: LogNote = {};
    context.notes.set(request, note);
    let who: string;
    try {
      who = authorize(context, request);
    } catch (error) {
      return fail(reply, REMOVEBG, failureOf(error, options.bodyLimit), undefined, note);
    }
    // Local work costs no credits: the balance is what the rate limit leaves this minute, in megapixels, or a large number without one.
    const left = context.rate ? context.rate.peek(who).remaining : 1_000_000_000;
    reply.send({
      data: {
        attributes: { credits: { total: left, subscription: left, payg: 0, enterprise: 0 }, api: { free_calls: left, sizes: "all" } },
      },
    });
  });
  protocols.set("/v1.0/account", REMOVEBG);

  let loadError: string | undefined;
  let loaded = false;
  const ready = remover.load().then(() => {
    loaded = true;
  });
  const loading = ready.catch((error) => {
    loadError = (error as Error).message;
  });
  app.get("/healthz", async () => ({
    status: "ok",
    queue: context.queue.load,
    images: context.queue.stats,
    memory: { rss: process.memoryUsage.rss() },
  }));
  app.get("/readyz", async (_request, reply) => {
    if (loaded) return { status: "ready" };
    reply.code(503);
    return loadError ? { status: "failed", error: { code: "model_unavailable", message: loadError } } : { status: "loading" };
  });
  app.get("/openapi.json", async () => openApiDocument(IMAGE_ROUTES));
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(webPage({ keys: !context.keys.open })));

  return {
    app,
    options,
    ready,
    queue: () => context.queue.load,
    async listen() {
      await app.listen({ port: options.port, host: options.host });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      return `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${port}`;
    },
    async close() {
      // Requests in work are finished; a client that does not read its answer is cut off after the grace period.
      closing = true;
      const grace = setTimeout(() => app.server.closeAllConnections(), options.shutdownGraceMs);
      const closed = app.close();
      for (const socket of sockets) if (!working.has(socket)) socket.destroy();
      await closed;
      clearTimeout(grace);
      await loading;
      await remover.close();
    },
  };
}

/** One JSON line per request: never a key, never a query string (image URLs can carry tokens). */
function accessLine(request: FastifyRequest, status: number, ms: number, note: LogNote | undefined): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    id: request.id,
    method: request.method,
    route: request.routeOptions.url ?? request.url.split("?")[0],
    status,
    ms: Math.round(ms),
    ...(note?.megapixels === undefined ? {} : { megapixels: note.megapixels }),
    ...(note?.engine === undefined ? {} : { engine: note.engine }),
    ...(note?.code === undefined ? {} : { code: note.code }),
  });
}
