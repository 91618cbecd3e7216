/**
 * A stand-in for a remove.bg-compatible API, for every host's remote engine:
 * multipart upload, the key in X-Api-Key, a PNG back whose left half is
 * transparent; a 403 for any other key unless `failure` decides otherwise
 * (an error to answer, or "hang" to never answer). It records what each
 * request carried.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sharp } from "./cli";

export interface FakeRemote {
  url: string;
  requests: { key: string | undefined; fields: Record<string, string> }[];
  close(): void;
}

export interface FakeFailure {
  status: number;
  code: string;
  title: string;
}

export async function startFakeRemote(
  validKey: string,
  failure: (key: string | undefined, path: string) => FakeFailure | "hang" | undefined = () => undefined,
): Promise<FakeRemote> {
  const requests: FakeRemote["requests"] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = await new Response(Buffer.concat(chunks), { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData();
    const fields: Record<string, string> = {};
    for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
    const key = req.headers["x-api-key"] as string | undefined;
    requests.push({ key, fields });
    const failed =
      failure(key, req.url ?? "") ?? (key === validKey ? undefined : { status: 403, code: "auth_failed", title: "API Key invalid" });
    if (failed === "hang") return;
    if (failed) {
      res
        .writeHead(failed.status, { "content-type": "application/json" })
        .end(JSON.stringify({ errors: [{ title: failed.title, code: failed.code }] }));
      return;
    }
    const image = form.get("image_file") as Blob;
    res.writeHead(200, { "content-type": "image/png" }).end(await leftHalfCutout(Buffer.from(await image.arrayBuffer())));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/removebg`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The photo as a PNG whose left half is transparent: a "cutout" whose result is known exactly. */
export async function leftHalfCutout(photo: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(photo).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let y = 0; y < info.height; y++) for (let x = 0; x < info.width / 2; x++) data[(y * info.width + x) * 4 + 3] = 0;
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toBuffer();
}
