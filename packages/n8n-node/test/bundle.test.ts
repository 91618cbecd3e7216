/**
 * The built package (dist/, what n8n require()s) where neither native module
 * can be found: n8n must still load the node and its credentials, Get Account
 * must work, and an image operation must fail with a message that says what
 * is missing. n8n-workflow resolves through NODE_PATH, as n8n arranges for
 * the nodes it loads (load-nodes-and-credentials.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import Module, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { INodeExecutionData, INodeType } from "n8n-workflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnce } from "../../../test/support/cli";
import { type StandIn, startStandIn } from "../../../test/support/provider-standin";
import { clearBinaryStore, executeContext } from "./execute-context";

const PACKAGE = path.join(import.meta.dirname, "..");
const KEY = "sk_bundle_test_5e1f0a9b";
let dir: string;
let account: StandIn;
let Cutout: new () => INodeType;

beforeAll(async () => {
  buildOnce();
  dir = mkdtempSync(path.join(os.tmpdir(), "cutout-n8n-bundle-"));
  cpSync(path.join(PACKAGE, "dist"), path.join(dir, "package", "dist"), { recursive: true });
  cpSync(path.join(PACKAGE, "package.json"), path.join(dir, "package", "package.json"));
  mkdirSync(path.join(dir, "n8n-modules"));
  symlinkSync(realpathSync(path.join(PACKAGE, "node_modules", "n8n-workflow")), path.join(dir, "n8n-modules", "n8n-workflow"));
  process.env.NODE_PATH = path.join(dir, "n8n-modules");
  (Module as unknown as { _initPaths(): void })._initPaths();
  const require = createRequire(import.meta.url);
  ({ Cutout } = require(path.join(dir, "package", "dist", "nodes", "Cutout", "Cutout.node.js")));
  account = await startStandIn({ status: 200, json: { data: { attributes: { credits: { total: 7 }, api: { free_calls: 3 } } } } });
});

afterAll(() => {
  account?.close();
  clearBinaryStore();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the built node without sharp or onnxruntime-node", () => {
  it("loads, with its description and every credential", () => {
    const loaded = new Cutout();
    expect(loaded.description.name).toBe("cutout");
    const require = createRequire(import.meta.url);
    for (const credential of loaded.description.credentials ?? []) {
      const file = credential.name.charAt(0).toUpperCase() + credential.name.slice(1);
      const module = require(path.join(dir, "package", "dist", "credentials", `${file}.credentials.js`));
      expect(new module[file]().name).toBe(credential.name);
    }
  });

  it("gets a provider's account", async () => {
    const test = executeContext({
      items: [{ json: {} }],
      parameters: { operation: "getAccount", provider: "cutout" },
      credentials: { cutoutServerApi: { baseUrl: account.origin, apiKey: KEY } },
    });
    const [output] = (await new Cutout().execute!.call(test.context)) as INodeExecutionData[][];
    expect(output).toEqual([{ json: { provider: "cutout", credits: { total: 7 }, freeCalls: 3 }, pairedItem: { item: 0 } }]);
    expect(account.requests[0]).toMatchObject({ method: "GET", path: "/v1.0/account", headers: { "x-api-key": KEY } });
  });

  it("fails an image operation saying which modules are missing", async () => {
    const test = executeContext({
      items: [{ json: {} }],
      onError: "continueRegularOutput",
      parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" },
    });
    test.context.getInputData()[0]!.binary = { data: test.store(Buffer.from("a photo"), "photo.jpg", "image/jpeg") };
    const [output] = (await new Cutout().execute!.call(test.context)) as INodeExecutionData[][];
    expect(String(output?.[0]?.json.error)).toMatch(/could not load \(Cannot find module 'sharp'.*reinstall n8n-nodes-cutout/s);
  });
});
