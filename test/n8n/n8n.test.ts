/**
 * The n8n node in a real n8n (2.41.1 on Node 24, installed from the npm
 * registry and cached; see test/support/n8n.ts), loaded the two ways n8n
 * loads community nodes: from a folder named by N8N_CUSTOM_EXTENSIONS (type
 * CUSTOM.cutout) and installed into n8n's community-nodes folder as n8n's
 * own installer does (type n8n-nodes-cutout.cutout). Workflows are imported
 * and run with n8n's CLI, reading and writing real files:
 * 1. a photo cut out and written to disk, its alpha checked against the CLI's;
 * 2. a corrupt image beside a good one under Continue On Fail;
 * 3. the remote engine, auto's fallback and Get Account against `cutout serve`
 *    on loopback, with onnxruntime-node failing to load in n8n as it does on
 *    Alpine.
 * Then n8n as a server, in queue mode: a main instance and a worker over
 * Redis (Debian's); a webhook workflow run by the worker, twice, on one model
 * session; and a Cutout server credential tested as the editor's Test button
 * does, through n8n's REST API.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnce, decode, FIXTURES, runCli } from "../support/cli";
import { announce, redisServerPath } from "../support/hosts";
import { iouAtHalf } from "../support/mattes";
import {
  communityInstall,
  customExtension,
  type Execution,
  executionOf,
  freePort,
  installN8n,
  type N8nInstall,
  n8nCli,
  n8nService,
  outputOf,
  removeDir,
  type Service,
  stage,
  startService,
  waitForOutput,
} from "../support/n8n";
import { artifacts } from "../support/release-artifacts";
import { type ServeProcess, startServe } from "../support/serve";

const KEY = "sk_n8n_test_7f3a9c2e5b1d4f60";
/** `cutout serve --rate-limit`: megapixels per minute, which its account endpoint reports as credits left. */
const RATE_LIMIT_MP = 100;

let n8n: N8nInstall;
let work: string;
let files: string;
let userFolder: string;
let custom: string;
let withoutOnnx: string;
let server: ServeProcess | undefined;
const times: string[] = [];
const services: Service[] = [];

type Node = { id: string; name: string; type: string; typeVersion: number; position: [number, number]; parameters: object } & Record<
  string,
  unknown
>;

function node(name: string, type: string, parameters: object, extra: Record<string, unknown> = {}): Node {
  return { id: name.toLowerCase().replace(/\W/g, "-"), name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

/** A workflow of `nodes` joined by `edges` (from, to, and the output of `from`: 1 is the error output), laid out left to right. */
function workflow(id: string, nodes: Node[], edges: [string, string, number?][]) {
  const connections: Record<string, { main: { node: string; type: "main"; index: 0 }[][] }> = {};
  for (const [from, to, output = 0] of edges) {
    connections[from] ??= { main: [[], []] };
    connections[from].main[output]?.push({ node: to, type: "main", index: 0 });
  }
  nodes.forEach((n, i) => {
    n.position = [i * 220, 0];
  });
  return { id, name: id, active: false, nodes, connections, settings: { executionOrder: "v1" } };
}

const start = () => node("Start", "n8n-nodes-base.manualTrigger", {});
const read = (fileSelector: string) => node("Read", "n8n-nodes-base.readWriteFile", { fileSelector, options: {} });
const write = (dir: string) =>
  node("Write", "n8n-nodes-base.readWriteFile", { operation: "write", fileName: `=${dir}/{{ $binary.data.fileName }}`, options: {} });

function workflows(type: { custom: string; community: string }) {
  const cutout = (name: string, parameters: object, extra: Record<string, unknown> = {}, kind = type.custom) =>
    node(name, kind, parameters, extra);
  const cutoutServer = { cutoutServerApi: { id: "cutoutserver0001", name: "cutout serve" } };
  return [
    workflow(
      "cutoutlocal00001",
      [start(), read(`${files}/car-1.jpg`), cutout("Cutout", {}), write(`${files}/out`)],
      [
        ["Start", "Read"],
        ["Read", "Cutout"],
        ["Cutout", "Write"],
      ],
    ),
    workflow(
      "cutoutbatch00001",
      [
        start(),
        read(`${files}/batch/*.jpg`),
        cutout("Cutout", {}, { onError: "continueErrorOutput" }),
        write(`${files}/out-batch`),
        node("Failed", "n8n-nodes-base.noOp", {}),
      ],
      [
        ["Start", "Read"],
        ["Read", "Cutout"],
        ["Cutout", "Write"],
        ["Cutout", "Failed", 1],
      ],
    ),
    workflow(
      "cutoutcommunity1",
      [start(), read(`${files}/car-1.jpg`), cutout("Cutout", {}, {}, type.community), write(`${files}/out-community`)],
      [
        ["Start", "Read"],
        ["Read", "Cutout"],
        ["Cutout", "Write"],
      ],
    ),
    workflow(
      "cutoutqueue00001",
      [
        node(
          "Webhook",
          "n8n-nodes-base.webhook",
          { httpMethod: "POST", path: "cutout-queue", responseMode: "lastNode", responseData: "firstEntryJson", options: {} },
          { typeVersion: 2, webhookId: "5d3c2a10-6f4e-4b7a-9c1d-2e8f7a6b5c4d" },
        ),
        read(`${files}/car-1.jpg`),
        cutout("Cutout", {}),
      ],
      [
        ["Webhook", "Read"],
        ["Read", "Cutout"],
      ],
    ),
    workflow(
      "cutoutremote0001",
      [
        start(),
        read(`${files}/car-1.jpg`),
        cutout(
          "Remote",
          { engine: "remote", provider: "cutout", backgroundOptions: { bgColor: "#00ff00" } },
          { credentials: cutoutServer },
        ),
        cutout("Auto", { engine: "auto", provider: "cutout" }, { credentials: cutoutServer }),
        cutout("Local", {}, { onError: "continueRegularOutput" }),
        cutout("Account", { operation: "getAccount", provider: "cutout" }, { credentials: cutoutServer }),
      ],
      [
        ["Start", "Read"],
        ["Read", "Remote"],
        ["Read", "Auto"],
        ["Read", "Local"],
        ["Read", "Account"],
      ],
    ),
  ];
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    times.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

let brokerPort: number;
const env = (extensions?: string) => ({
  N8N_USER_FOLDER: userFolder,
  N8N_RESTRICT_FILE_ACCESS_TO: files,
  N8N_RUNNERS_BROKER_PORT: String(brokerPort),
  ...(extensions ? { N8N_CUSTOM_EXTENSIONS: extensions } : {}),
});

async function execute(id: string, extensions?: string): Promise<{ execution: Execution; stdout: string }> {
  const run = await timed(`execute ${id}`, () => n8nCli(n8n, ["execute", `--id=${id}`, "--rawOutput"], env(extensions)));
  return { execution: executionOf(run), stdout: run.stdout + run.stderr };
}

beforeAll(async () => {
  const started = performance.now();
  buildOnce();
  n8n = await timed("n8n install (cached after the first run)", async () => installN8n());
  work = mkdtempSync(path.join(os.tmpdir(), "cutout-n8n-"));
  files = path.join(work, "files");
  userFolder = path.join(work, "user");
  const car = path.join(FIXTURES, "car-1.jpg");
  const empty = Buffer.alloc(0);
  const corrupt = Buffer.concat([readFileSync(car).subarray(0, 3000), Buffer.alloc(64)]);
  stage(
    {
      "car-1.jpg": car,
      "batch/1-broken.jpg": corrupt,
      "batch/2-car.jpg": car,
      "out/.keep": empty,
      "out-batch/.keep": empty,
      "out-community/.keep": empty,
    },
    files,
  );
  // The tarball `pnpm pack:all` packs for npm, as n8n's installer gets it from the registry.
  const tarball = artifacts().npm("n8n-nodes-cutout");
  custom = customExtension(tarball, path.join(work, "custom"));
  withoutOnnx = customExtension(tarball, path.join(work, "custom-no-onnxruntime"), { brokenOnnxRuntime: true });
  await timed("community-folder install (npm)", async () => communityInstall(tarball, userFolder));
  server = await timed("cutout serve ready", () =>
    startServe(["--rate-limit", String(RATE_LIMIT_MP)], { env: { CUTOUT_SERVER_KEYS: KEY }, ready: true }),
  );
  brokerPort = await freePort();
  const credentials = [
    { id: "cutoutserver0001", name: "cutout serve", type: "cutoutServerApi", data: { baseUrl: server.url, apiKey: KEY } },
  ];
  stage(
    {
      "credentials.json": Buffer.from(JSON.stringify(credentials)),
      "workflows.json": Buffer.from(JSON.stringify(workflows({ custom: "CUSTOM.cutout", community: "n8n-nodes-cutout.cutout" }))),
    },
    work,
  );
  for (const args of [
    ["import:credentials", `--input=${path.join(work, "credentials.json")}`],
    ["import:workflow", `--input=${path.join(work, "workflows.json")}`],
    ["publish:workflow", "--id=cutoutqueue00001"],
  ]) {
    const done = await timed(args[0] as string, () => n8nCli(n8n, args, env()));
    if (done.code !== 0) throw new Error(`n8n ${args.join(" ")} failed:\n${done.stdout}\n${done.stderr}`);
  }
  times.unshift(`set-up ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
}, 2_400_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await server?.stop();
  announce(`n8n test times: ${times.join("; ")}`);
  if (work) removeDir(work);
});

async function alphaOf(file: string): Promise<Uint8Array> {
  const image = await decode(file);
  const alpha = new Uint8Array(image.width * image.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = image.at(i % image.width, Math.floor(i / image.width), 3);
  return alpha;
}

describe("n8n with the node from N8N_CUSTOM_EXTENSIONS", () => {
  it("workflow 1: reads a photo, cuts it out and writes a PNG whose alpha agrees with the CLI's", async () => {
    const { execution } = await execute("cutoutlocal00001", custom);
    expect(execution.status).toBe("success");
    const [item] = outputOf(execution, "Cutout");
    expect(item?.pairedItem).toEqual({ item: 0 });
    expect(item?.binary?.data).toMatchObject({ mimeType: "image/png", fileName: "car-1.cutout.png" });
    expect(item?.json.cutout).toMatchObject({ engine: "local", width: 480, height: 360, format: "png" });

    const written = path.join(files, "out", "car-1.cutout.png");
    const image = await decode(written);
    expect([image.format, image.width, image.height, image.channels]).toEqual(["png", 480, 360, 4]);
    const cli = await runCli([path.join(FIXTURES, "car-1.jpg"), "-o", path.join(work, "cli.png")], { cwd: work });
    expect(cli.code).toBe(0);
    const [fromN8n, fromCli] = await Promise.all([alphaOf(written), alphaOf(path.join(work, "cli.png"))]);
    const differing = fromN8n.filter((value, i) => Math.abs(value - (fromCli[i] as number)) > 2).length;
    announce(
      `n8n vs CLI alpha on car-1.jpg: IoU ${iouAtHalf(fromN8n, fromCli).toFixed(5)}, ${differing} of ${fromN8n.length} pixels differ by more than 2`,
    );
    expect(iouAtHalf(fromN8n, fromCli)).toBeGreaterThan(0.995);
    expect(differing / fromN8n.length).toBeLessThan(0.001);
  });

  it("workflow 2: a corrupt image goes to the error output with its message and code, and the next one is still cut out", async () => {
    const { execution } = await execute("cutoutbatch00001", custom);
    expect(execution.status).toBe("success");
    const inputs = outputOf(execution, "Read").map((item) => item.json.fileName);
    expect([...inputs].sort()).toEqual(["1-broken.jpg", "2-car.jpg"]);
    const [good] = outputOf(execution, "Cutout");
    const [broken] = outputOf(execution, "Cutout", 1);
    expect(inputs[broken?.pairedItem?.item ?? -1]).toBe("1-broken.jpg");
    expect(broken?.json).toMatchObject({
      fileName: "1-broken.jpg",
      error: expect.stringMatching(/image/i),
      details: { code: "invalid_image" },
    });
    expect(outputOf(execution, "Failed")).toHaveLength(1);
    expect(inputs[good?.pairedItem?.item ?? -1]).toBe("2-car.jpg");
    expect(good?.json.cutout).toMatchObject({ engine: "local", fileName: "2-car.cutout.png" });
    const written = await decode(path.join(files, "out-batch", "2-car.cutout.png"));
    expect([written.width, written.height]).toEqual([480, 360]);
  });

  it("workflow 3: remote engine, auto's fallback and Get Account against cutout serve, with onnxruntime-node unloadable in n8n", async () => {
    const { execution, stdout } = await execute("cutoutremote0001", withoutOnnx);
    expect(execution.status).toBe("success");

    const [remote] = outputOf(execution, "Remote");
    expect(remote?.json.cutout).toMatchObject({ engine: "remote", model: "remote:cutout", width: 480, height: 360 });
    const [auto] = outputOf(execution, "Auto");
    expect(auto?.json.cutout).toMatchObject({ engine: "remote", warnings: [expect.stringContaining("model_unavailable")] });
    const [local] = outputOf(execution, "Local");
    expect(local?.json).toEqual({ error: expect.stringContaining("onnxruntime-node cannot load"), details: { code: "model_unavailable" } });
    const [account] = outputOf(execution, "Account");
    expect(account?.json).toMatchObject({ provider: "cutout", credits: { payg: 0, enterprise: 0 } });
    // The server's access log: both cutouts and the account call came with the key (it refuses any other),
    // and the account reports what its per-minute rate limit has left after the cutouts.
    const requests = (server as ServeProcess)
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { method: string; route: string; status: number; megapixels?: number });
    const cutouts = requests.filter((r) => r.method === "POST" && r.route === "/v1.0/removebg" && r.status === 200);
    expect(cutouts).toHaveLength(2);
    expect(requests.filter((r) => r.method === "GET" && r.route === "/v1.0/account" && r.status === 200)).toHaveLength(1);
    // The server counts an image as its megapixels rounded up, at least 1, as remove.bg does.
    const spent = cutouts.reduce((sum, r) => sum + Math.max(1, Math.ceil(r.megapixels ?? 0)), 0);
    expect(account?.json.credits).toMatchObject({ total: RATE_LIMIT_MP - spent });
    // The key reaches the provider's header and nothing n8n stored or printed.
    expect(stdout).not.toContain(KEY);
  });
});

describe("n8n with the node installed in its community-nodes folder", () => {
  it("loads it as n8n-nodes-cutout.cutout and runs workflow 1", async () => {
    const { execution } = await execute("cutoutcommunity1");
    expect(execution.status).toBe("success");
    expect(outputOf(execution, "Cutout")[0]?.json.cutout).toMatchObject({ engine: "local", fileName: "car-1.cutout.png" });
    const written = await decode(path.join(files, "out-community", "car-1.cutout.png"));
    expect([written.width, written.height, written.channels]).toEqual([480, 360, 4]);
  });
});

describe("n8n as a server: a main instance and a worker in queue mode", () => {
  let main: Service;
  let worker: Service;
  let base: string;

  beforeAll(async () => {
    const ports = { redis: await freePort(), main: await freePort(), mainBroker: await freePort(), workerBroker: await freePort() };
    const redis = startService(
      redisServerPath(),
      ["--port", String(ports.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      process.env,
    );
    services.push(redis);
    const queue = {
      ...env(custom),
      EXECUTIONS_MODE: "queue",
      QUEUE_BULL_REDIS_HOST: "127.0.0.1",
      QUEUE_BULL_REDIS_PORT: String(ports.redis),
    };
    main = n8nService(n8n, ["start"], {
      ...queue,
      N8N_PORT: String(ports.main),
      N8N_LISTEN_ADDRESS: "127.0.0.1",
      N8N_RUNNERS_BROKER_PORT: String(ports.mainBroker),
    });
    worker = n8nService(n8n, ["worker", "--concurrency=2"], { ...queue, N8N_RUNNERS_BROKER_PORT: String(ports.workerBroker) });
    services.push(main, worker);
    base = `http://127.0.0.1:${ports.main}`;
    // /healthz answers while n8n still says "n8n is starting up" to every other route; this line comes once it serves them.
    await timed("queue mode: main ready", () => waitForOutput(main, /Editor is now accessible via/));
  }, 300_000);

  it("a worker runs the workflow a webhook starts on the main instance, with one model session for both runs", async () => {
    // The main instance registers production webhooks shortly after it starts listening; until then it answers 404 and runs nothing.
    const call = () =>
      timed("queue mode: webhook", async () => {
        const deadline = Date.now() + 60_000;
        let response: Response;
        do {
          response = await fetch(`${base}/webhook/cutout-queue`, { method: "POST", signal: AbortSignal.timeout(170_000) });
          if (response.status === 404) await new Promise((resolve) => setTimeout(resolve, 500));
        } while (response.status === 404 && Date.now() < deadline);
        expect(response.status, main.output().slice(-2000)).toBe(200);
        return (await response.json()) as { cutout: { engine: string; width: number; timings: { modelLoad: number } } };
      });
    const first = await call();
    const second = await call();
    expect(first.cutout).toMatchObject({ engine: "local", width: 480 });
    expect(second.cutout.engine).toBe("local");
    // The second run found the worker's session loaded.
    expect(second.cutout.timings.modelLoad).toBe(0);
    expect(worker.output().match(/Worker finished execution/g)).toHaveLength(2);
    expect(main.output()).not.toContain("Worker started execution");
  });

  it("tests a Cutout server credential as the editor's Test button does: the key accepted, a wrong one refused", async () => {
    // The editor's REST API, as a signed-in owner (the browser-id header is part of n8n's session check).
    const headers = { "content-type": "application/json", "browser-id": "cutout-test" };
    const setup = await fetch(`${base}/rest/owner/setup`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: "owner@example.com", firstName: "Cutout", lastName: "Test", password: "Cutout-test-1" }),
    });
    expect(setup.status, await setup.clone().text()).toBe(200);
    const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const test = async (data: object) => {
      const response = await fetch(`${base}/rest/credentials/test`, {
        method: "POST",
        headers: { ...headers, cookie },
        body: JSON.stringify({ credentials: { id: "", name: "cutout serve", type: "cutoutServerApi", data } }),
      });
      return ((await response.json()) as { data: { status: string; message: string } }).data;
    };
    const url = (server as ServeProcess).url;
    // A trailing slash on the base URL is the credential's to drop.
    expect(await test({ baseUrl: `${url}/`, apiKey: KEY })).toEqual({ status: "OK", message: "Connection successful!" });
    expect(await test({ baseUrl: url, apiKey: "sk_wrong_key_123" })).toMatchObject({ status: "Error" });
    const accounts = (server as ServeProcess)
      .stdout()
      .split("\n")
      .filter((line) => line.includes('"route":"/v1.0/account"'))
      .slice(-2)
      .map((line) => (JSON.parse(line) as { status: number }).status);
    expect(accounts).toEqual([200, 403]);
  });
});
