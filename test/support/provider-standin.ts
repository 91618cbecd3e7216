/**
 * A small local HTTP server standing in for any of the paid APIs: it records
 * every request (method, path, headers, form fields, uploaded files) and
 * answers from a script of replies, each a provider's documented error body
 * and status or the photo "cut out" (its left half made transparent). Once
 * the script is used up it keeps answering with its last reply.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { leftHalfCutout } from "./action-remote";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  fields: Record<string, string>;
  files: Record<string, Buffer>;
  /** Milliseconds since the stand-in started. */
  at: number;
}

export type Reply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** 200 with the uploaded image's left half made transparent, as a PNG. */
  | { cutout: true; headers?: Record<string, string> }
  /** Never answers. */
  | { hang: true };

export interface StandIn {
  /** http://127.0.0.1:port (no path). */
  origin: string;
  requests: Recorded[];
  /** Replaces the script. */
  script(...replies: Reply[]): void;
  close(): void;
}

export async function startStandIn(...initial: Reply[]): Promise<StandIn> {
  let replies: Reply[] = initial.length > 0 ? initial : [{ cutout: true }];
  const requests: Recorded[] = [];
  const started = performance.now();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    const type = req.headers["content-type"] ?? "";
    if (/multipart\/form-data/.test(type)) {
      const form = await new Response(Buffer.concat(chunks), { headers: { "content-type": type } }).formData();
      for (const [name, value] of form) {
        if (typeof value === "string") fields[name] = value;
        else files[name] = Buffer.from(await value.arrayBuffer());
      }
    }
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      headers: req.headers,
      fields,
      files,
      at: performance.now() - started,
    });
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    if ("hang" in reply) return;
    if ("cutout" in reply) {
      const photo = Object.values(files)[0];
      if (!photo) return void res.writeHead(400, { "content-type": "text/plain" }).end("no file in the form");
      res.writeHead(200, { "content-type": "image/png", ...reply.headers }).end(await leftHalfCutout(photo));
      return;
    }
    const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
    const contentType = reply.json !== undefined ? "application/json" : "text/plain";
    res.writeHead(reply.status, { "content-type": contentType, ...reply.headers }).end(body);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (...next) => {
      replies = next;
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
