import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { get, readText } from "../src/http";

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("get", () => {
  it("sends credentials within their origin only, across redirects", async () => {
    const seen: Array<[string, string | undefined]> = [];
    const other = await serve((req, res) => {
      seen.push(["other", req.headers.authorization]);
      res.end("done");
    });
    const origin = await serve((req, res) => {
      seen.push([req.url ?? "", req.headers.authorization]);
      if (req.url === "/start") res.writeHead(302, { location: "/middle" }).end();
      else res.writeHead(307, { location: `${other}/end` }).end();
    });
    const response = await get(new URL(`${origin}/start`), { idleTimeoutMs: 5000, authorization: () => "Bearer t" });
    expect(await readText(response)).toBe("done");
    expect(response.url.toString()).toBe(`${other}/end`);
    expect(seen).toEqual([
      ["/start", "Bearer t"],
      ["/middle", "Bearer t"],
      ["other", undefined],
    ]);
  });

  it("stops after five redirects", async () => {
    const base = await serve((_req, res) => res.writeHead(302, { location: "/again" }).end());
    await expect(get(new URL(`${base}/`), { idleTimeoutMs: 5000 })).rejects.toThrow(/too many redirects/);
  });

  it("times out when the body stalls", async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 100 });
      res.write("partial");
    });
    const response = await get(new URL(`${base}/`), { idleTimeoutMs: 200 });
    await expect(readText(response)).rejects.toThrow(/timed out/);
  });

  it("fails when the connection closes before the body is complete", async () => {
    const base = await serve((req, res) => {
      res.writeHead(200, { "content-length": 100 });
      res.write("partial", () => req.socket.destroy());
    });
    const response = await get(new URL(`${base}/`), { idleTimeoutMs: 5000 });
    await expect(readText(response)).rejects.toThrow();
  });
});
