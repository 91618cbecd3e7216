/**
 * Beyond one machine: two `cutout serve` processes behind Debian's nginx
 * (installed by the test set-up), a bounded load through nginx, and one
 * replica killed (SIGKILL) while it has requests in work. nginx retries
 * those on the other replica, and every request gets the correct answer:
 * the same bytes, since the replicas hold no state and the engine is
 * deterministic.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharp, tempDir } from "../support/cli";
import { nginxPath } from "../support/hosts";
import { answer, CAR, form, type ServeProcess, startServe, until } from "../support/serve";

const REQUESTS = 24;
const CONCURRENCY = 4;
let replicas: ServeProcess[] = [];
let nginx: ChildProcess | undefined;
let work: string;
let front: string;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

beforeAll(async () => {
  const binary = nginxPath();
  work = await tempDir("serve-replicas");
  await fs.chmod(work, 0o755);
  replicas = await Promise.all([0, 1].map(() => startServe(["--quality", "fast", "-q"], { ready: true })));
  const port = await freePort();
  front = `http://127.0.0.1:${port}`;
  const upstreams = replicas.map((r) => `    server ${new URL(r.url).host} max_fails=1 fail_timeout=60s;`).join("\n");
  const temp = (name: string) => `${name}_temp_path ${path.join(work, name)};`;
  await fs.writeFile(
    path.join(work, "nginx.conf"),
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${path.join(work, "nginx.pid")};
error_log ${path.join(work, "error.log")} warn;
events { worker_connections 256; }
http {
  log_format upstreams '$status $upstream_addr $upstream_status';
  access_log ${path.join(work, "access.log")} upstreams;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  client_max_body_size 22m;
  upstream cutout {
${upstreams}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://cutout;
      # A replica that fails (killed, refusing, 502/503) has its request sent to the next one, POSTs included:
      # a cutout changes nothing on the server, so repeating it is safe.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout 300s;
    }
  }
}
`,
  );
  nginx = spawn(binary, ["-p", work, "-c", path.join(work, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  nginx.stderr!.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await until(async () => (await fetch(`${front}/healthz`).catch(() => undefined))?.ok === true, `nginx on ${front} (${errors})`, 30_000);
});

afterAll(async () => {
  nginx?.kill("SIGTERM");
  for (const replica of replicas) replica.kill();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe("two replicas behind nginx", () => {
  it("answers every request correctly while one replica is killed mid-load", async () => {
    const [doomed, survivor] = replicas as [ServeProcess, ServeProcess];
    const results: Awaited<ReturnType<typeof answer>>[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < REQUESTS) {
        next++;
        const served = await fetch(`${front}/v1.0/removebg`, { method: "POST", body: form({ format: "png" }, { image_file: CAR }) }).then(
          answer,
        );
        results.push(served);
      }
    };
    const killer = (async () => {
      // Once a third of the load is done and the replica has a request in work, it dies without warning.
      await until(async () => results.length >= REQUESTS / 3, "a third of the load");
      await until(
        async () => (await fetch(`${doomed.url}/healthz`).then(answer)).json.queue.running > 0,
        "a request in work on the replica",
      );
      doomed.kill();
      killed = true;
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), killer]);
    expect(killed).toBe(true);
    expect(results.map((r) => r.status)).toEqual(Array(REQUESTS).fill(200));
    const [first] = results;
    const meta = await sharp(first!.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(["png", 480, 360, true]);
    for (const result of results) expect(result.bytes.equals(first!.bytes)).toBe(true);
    // nginx's log: both replicas served, and the requests in work on the killed one were retried on the other.
    const log = (await fs.readFile(path.join(work, "access.log"), "utf8")).trim().split("\n");
    for (const host of replicas.map((r) => new URL(r.url).host))
      expect(
        log.some((line) => line.includes(host)),
        host,
      ).toBe(true);
    expect(
      log.some((line) => /^200 \S+, \S+ \S+, 200$/.test(line)),
      log.join("\n"),
    ).toBe(true);
    expect((await fetch(`${survivor.url}/healthz`)).ok).toBe(true);
  });
});
