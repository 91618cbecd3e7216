/**
 * The node's execute() against a stand-in for n8n's execution context
 * (execute-context.ts), with the real engine on real photos: parameters,
 * pairing, binary modes, per-item failures, the shared engine and the
 * remote path against a real HTTP server on loopback. test/n8n runs the
 * built package in a real n8n.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Remover } from "@cutout/core";
import { OPTION_FIELDS, REMOTE_PROVIDERS } from "@cutout/core/pure";
import type { IAuthenticateGeneric, IBinaryData, ICredentialType, IDataObject, INodeExecutionData, INodeProperties } from "n8n-workflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listModels } from "../../../models/src/index.js";
import { decode, FIXTURES } from "../../../test/support/cli";
import { iouAtHalf } from "../../../test/support/mattes";
import { type StandIn, startStandIn } from "../../../test/support/provider-standin";
import { Cutout } from "../src/nodes/Cutout/Cutout.node";
import { COLLECTIONS, MODELS } from "../src/nodes/Cutout/properties";
import { PROVIDER_CREDENTIALS } from "../src/nodes/Cutout/providers";
import { type ContextOptions, clearBinaryStore, executeContext } from "./execute-context";

const CAR = readFileSync(path.join(FIXTURES, "car-1.jpg"));
const GIRL = readFileSync(path.join(FIXTURES, "anime-girl-1.jpg"));
const KEY = "sk_test_n8n_0123456789abcdef";
const node = new Cutout();

let reference: { car: Uint8Array; carMask: Buffer };
let remote: StandIn;

beforeAll(async () => {
  const remover = new Remover();
  const car = await remover.remove(CAR);
  const carMask = (await remover.remove(CAR, { format: "mask" })).data;
  await remover.close();
  reference = { car: car.alpha, carMask };
  remote = await startStandIn();
});
afterAll(() => {
  remote?.close();
  clearBinaryStore();
});

/** An input item as a previous node (Read Files, HTTP Request) would give it. */
function photoItem(
  store: (bytes: Buffer, fileName: string, mimeType: string) => IBinaryData,
  bytes: Buffer,
  fileName: string,
  json: IDataObject = {},
) {
  return { json, binary: { data: store(bytes, fileName, "image/jpeg") } } satisfies INodeExecutionData;
}

async function run(
  options: Omit<ContextOptions, "items">,
  inputs: (store: (b: Buffer, f: string, m: string) => IBinaryData) => INodeExecutionData[],
) {
  const items: INodeExecutionData[] = [];
  const test = executeContext({ ...options, items });
  items.push(...inputs(test.store));
  const [output] = await node.execute.call(test.context);
  return { output: output as INodeExecutionData[], test };
}

async function alphaOf(png: Buffer): Promise<Uint8Array> {
  const image = await decode(png);
  const alpha = new Uint8Array(image.width * image.height);
  const channels = image.data.length / alpha.length;
  for (let i = 0; i < alpha.length; i++) alpha[i] = image.data[i * channels + channels - 1] as number;
  return alpha;
}

describe("description", () => {
  const properties = node.description.properties;
  const fieldsOf = (name: string, operation: string): string[] =>
    properties
      .filter((p) => p.name === name && ((p.displayOptions?.show?.operation ?? []) as string[]).includes(operation))
      .flatMap((p) => (p.options as INodeProperties[]).map((o) => o.name));

  it("offers every core option under its own name in Remove Background's collections, once", () => {
    const names = Object.keys(COLLECTIONS).flatMap((collection) => fieldsOf(collection, "removeBackground"));
    const imageOptions = names.filter((name) => OPTION_FIELDS.some((option) => option.name === name));
    expect(imageOptions.sort()).toEqual(OPTION_FIELDS.map((option) => option.name).sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it("offers under Get Mask only what a matte can use", () => {
    const names = Object.keys(COLLECTIONS).flatMap((collection) => fieldsOf(collection, "getMask"));
    expect(names).toContain("size");
    expect(names).toContain("crop");
    for (const effect of ["format", "channels", "bgColor", "bgImage", "shadowType", "type"]) expect(names).not.toContain(effect);
  });

  it("lists the models the manifest has", () => {
    expect(MODELS.map((model) => model.value).sort()).toEqual(
      listModels()
        .map((model) => model.name)
        .sort(),
    );
  });

  it("declares one credential per provider, each in package.json, and a provider for every core provider with a public endpoint", () => {
    const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8"));
    const declared = (node.description.credentials ?? []).map((credential) => credential.name);
    expect(declared.sort()).toEqual(Object.values(PROVIDER_CREDENTIALS).sort());
    for (const name of declared) {
      const file = name.charAt(0).toUpperCase() + name.slice(1);
      expect(manifest.n8n.credentials).toContain(`dist/credentials/${file}.credentials.js`);
    }
    const withEndpoint = Object.values(REMOTE_PROVIDERS).filter((provider) => provider.url || provider.id === "cutout");
    expect(Object.keys(PROVIDER_CREDENTIALS).sort()).toEqual(withEndpoint.map((provider) => provider.id).sort());
  });

  it("each credential sends its key in the header core sends it in for that provider", async () => {
    for (const [provider, name] of Object.entries(PROVIDER_CREDENTIALS)) {
      const file = name.charAt(0).toUpperCase() + name.slice(1);
      const module = (await import(`../src/credentials/${file}.credentials.ts`)) as Record<string, new () => ICredentialType>;
      const credential = new (module[file] as new () => ICredentialType)();
      expect(credential.name).toBe(name);
      const headers = (credential.authenticate as IAuthenticateGeneric).properties.headers;
      expect(headers, name).toEqual({ [REMOTE_PROVIDERS[provider]?.keyHeader as string]: "={{$credentials.apiKey}}" });
    }
  });

  it("follows n8n's community-node conventions", () => {
    const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(manifest.name).toBe("n8n-nodes-cutout");
    expect(manifest.keywords).toContain("n8n-community-node-package");
    expect(manifest.peerDependencies).toEqual({ "n8n-workflow": "*" });
    expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, nodes: ["dist/nodes/Cutout/Cutout.node.js"] });
    expect(node.description).toMatchObject({
      name: "cutout",
      icon: "file:cutout.svg",
      usableAsTool: true,
      inputs: ["main"],
      outputs: ["main"],
    });
  });
});

describe("Remove Background", () => {
  it("cuts out the item's image into the output field, named and described, paired with its input", async () => {
    const { output, test } = await run(
      { parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" } },
      (store) => [photoItem(store, CAR, "car-1.jpg", { sku: "A-1" })],
    );
    expect(output).toHaveLength(1);
    const [item] = output as [INodeExecutionData];
    expect(item.pairedItem).toEqual({ item: 0 });
    expect(item.json.sku).toBe("A-1");
    const binary = item.binary?.data as IBinaryData;
    expect(binary).toMatchObject({ mimeType: "image/png", fileName: "car-1.cutout.png", fileExtension: "png" });
    const meta = item.json.cutout as IDataObject;
    expect(meta).toMatchObject({ width: 480, height: 360, engine: "local", format: "png", fileName: "car-1.cutout.png" });
    expect(meta.foreground).toMatchObject({ left: expect.any(Number), width: expect.any(Number) });
    expect(Object.keys(meta.timings as object)).toContain("inference");
    // The same engine on the same photo: the node adds nothing to the pixels.
    expect(iouAtHalf(await alphaOf(test.read(binary)), reference.car)).toBeGreaterThan(0.999);
  });

  it("maps the Options collections onto core's options, and keeps the input beside the output", async () => {
    const { output, test } = await run(
      {
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "cutout",
          outputOptions: { format: "jpg", size: "preview" },
          backgroundOptions: { bgColor: "#00ff00" },
          layoutOptions: { crop: true, cropMargin: "" },
        },
      },
      (store) => [photoItem(store, CAR, "shots/car-1.jpg")],
    );
    const [item] = output as [INodeExecutionData];
    expect(Object.keys(item.binary ?? {}).sort()).toEqual(["cutout", "data"]);
    const binary = item.binary?.cutout as IBinaryData;
    expect(binary).toMatchObject({ mimeType: "image/jpeg", fileName: "car-1.cutout.jpg" });
    const image = await decode(test.read(binary));
    expect(image.format).toBe("jpeg");
    expect(image.width * image.height).toBeLessThanOrEqual(250_000);
    // Cropped to the subject: narrower than the photo's aspect; green where the background was.
    expect(image.width / image.height).not.toBeCloseTo(480 / 360, 1);
    const corner = [image.at(0, 0, 0), image.at(0, 0, 1), image.at(0, 0, 2)];
    expect(corner[1]).toBeGreaterThan(200);
    expect(corner[0]).toBeLessThan(60);
  });

  it("evaluates parameters per item, as n8n expressions are", async () => {
    const colors = ["#ff0000", "#0000ff"];
    const { output, test } = await run(
      {
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          outputOptions: { format: "png", channels: "rgb" },
          backgroundOptions: (i: number) => ({ bgColor: colors[i] }),
        },
      },
      (store) => [photoItem(store, CAR, "a.jpg"), photoItem(store, CAR, "b.jpg")],
    );
    const corners = await Promise.all(output.map(async (item) => (await decode(test.read(item.binary?.data as IBinaryData))).at(0, 0, 0)));
    expect(corners[0]).toBeGreaterThan(200);
    expect(corners[1]).toBeLessThan(60);
  });

  it("works in filesystem binary mode and in n8n 2's combined binary mode", async () => {
    for (const binaryMode of ["separate", "combined"] as const) {
      const { output, test } = await run(
        {
          storage: "filesystem",
          binaryMode,
          parameters: {
            operation: "removeBackground",
            binaryPropertyName: binaryMode === "combined" ? "_files.photo" : "photo",
            outputBinaryPropertyName: "data",
          },
        },
        (store) => {
          const photo = store(CAR, "car-1.jpg", "image/jpeg");
          return [binaryMode === "combined" ? { json: { _files: { photo } } } : { json: {}, binary: { photo } }];
        },
      );
      const binary = output[0]?.binary?.data as IBinaryData;
      expect(binary.id).toMatch(/^filesystem-v2:/);
      expect(binary.fileName).toBe("car-1.cutout.png");
      expect(iouAtHalf(await alphaOf(test.read(binary)), reference.car)).toBeGreaterThan(0.999);
    }
  });

  it("takes a background image from another binary field of the item, and refuses file paths", async () => {
    const { output, test } = await run(
      {
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          backgroundOptions: { bgImageField: "backdrop" },
          onError: undefined,
        },
      },
      (store) => [{ json: {}, binary: { data: store(CAR, "car.jpg", "image/jpeg"), backdrop: store(GIRL, "girl.jpg", "image/jpeg") } }],
    );
    const image = await decode(test.read(output[0]?.binary?.data as IBinaryData));
    expect(image.width).toBe(480);
    expect(image.at(2, 2, 3)).toBe(255); // opaque: the backdrop shows where the background was

    const refused = await run(
      {
        onError: "continueRegularOutput",
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          backgroundOptions: { bgImage: "/etc/passwd" },
        },
      },
      (store) => [photoItem(store, CAR, "car.jpg")],
    );
    expect(refused.output[0]?.json.details).toEqual({ code: "validation_error", field: "bgImage" });
  });
});

describe("Get Mask", () => {
  it("gives the matte as a greyscale PNG named .mask.png, as core makes it", async () => {
    const { output, test } = await run(
      { parameters: { operation: "getMask", binaryPropertyName: "data", outputBinaryPropertyName: "mask" } },
      (store) => [photoItem(store, CAR, "car-1.jpg")],
    );
    const binary = output[0]?.binary?.mask as IBinaryData;
    expect(binary).toMatchObject({ fileName: "car-1.mask.png", mimeType: "image/png" });
    const mask = await decode(test.read(binary));
    expect(mask.channels).toBe(1);
    const expected = await decode(reference.carMask);
    expect(iouAtHalf(new Uint8Array(mask.data), new Uint8Array(expected.data))).toBeGreaterThan(0.999);
  });
});

describe("failures", () => {
  const corrupt = Buffer.concat([CAR.subarray(0, 2000), Buffer.alloc(100)]);

  it("under Continue On Fail gives an error item with core's message and code, paired, and goes on", async () => {
    const { output } = await run(
      {
        onError: "continueRegularOutput",
        parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" },
      },
      (store) => [photoItem(store, Buffer.from("not an image"), "notes.jpg"), photoItem(store, CAR, "car.jpg"), { json: { id: 3 } }],
    );
    expect(output).toHaveLength(3);
    expect(output[0]).toEqual({
      json: { error: expect.stringMatching(/image/i), details: { code: "invalid_image" } },
      pairedItem: { item: 0 },
    });
    // The keys n8n's handleNodeErrorOutput reads as an error item, for "Continue (using error output)".
    expect(Object.keys(output[0]?.json ?? {}).every((key) => ["error", "message", "details"].includes(key))).toBe(true);
    expect(output[1]?.json.cutout).toMatchObject({ engine: "local" });
    expect(output[1]?.pairedItem).toEqual({ item: 1 });
    expect(output[2]).toMatchObject({
      json: { details: { code: "validation_error", field: "binaryPropertyName" } },
      pairedItem: { item: 2 },
    });
    expect(String(output[2]?.json.error)).toContain("'data'");
  });

  it("without it fails the node for the first failing item, naming the code", async () => {
    const failing = run(
      { parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" } },
      (store) => [photoItem(store, CAR, "car.jpg"), photoItem(store, corrupt, "broken.jpg")],
    );
    await expect(failing).rejects.toMatchObject({
      name: "NodeOperationError",
      context: { itemIndex: 1 },
      description: expect.stringContaining("invalid_image"),
    });
  });

  it("refuses a bad option value with a validation_error naming it", async () => {
    const { output } = await run(
      {
        onError: "continueRegularOutput",
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          shadowOptions: { shadowOpacity: 150 },
        },
      },
      (store) => [photoItem(store, CAR, "car.jpg")],
    );
    expect(output[0]?.json).toMatchObject({
      error: expect.stringContaining("150"),
      details: { code: "validation_error", field: "shadowOpacity" },
    });
  });
});

describe("the engine", () => {
  it("keeps one Remover per setting for the process, shared by executions, and runs at most two items at once", async () => {
    const original = Remover.prototype.remove;
    const removes = vi.spyOn(Remover.prototype, "remove");
    let inFlight = 0;
    let most = 0;
    const used = new Set<Remover>();
    removes.mockImplementation(async function (this: Remover, ...args) {
      used.add(this);
      most = Math.max(most, ++inFlight);
      try {
        return await original.apply(this, args);
      } finally {
        inFlight--;
      }
    });
    for (let execution = 0; execution < 2; execution++) {
      await run({ parameters: { operation: "removeBackground", binaryPropertyName: "data", outputBinaryPropertyName: "data" } }, (store) =>
        Array.from({ length: 3 }, (_, i) => photoItem(store, CAR, `car-${i}.jpg`)),
      );
    }
    removes.mockRestore();
    expect(used.size).toBe(1);
    expect(most).toBe(2);
  });
  it("passes Engine Options to core, and logs the model's loading to n8n's logger", async () => {
    // Float weights come through the model loader, which reports its phases (the int8 build is read directly).
    const { output, test } = await run(
      {
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          engineOptions: { precision: "float" },
        },
      },
      (store) => [photoItem(store, CAR, "car.jpg")],
    );
    expect(output[0]?.json.cutout).toMatchObject({ engine: "local", model: "isnet-fp16" });
    expect(test.logs).toContainEqual(expect.stringMatching(/^Cutout: Verifying the model 100% \(\d+ of \d+ MB\)$/));
  });

  it("closes the least recently used idle engine beyond four settings", async () => {
    remote.script({ cutout: true });
    // Remote settings load no model: each credential is an engine setting of its own.
    const cutWithKey = (key: number) =>
      run(
        {
          credentials: { cutoutServerApi: { baseUrl: remote.origin, apiKey: `${KEY}-${key}` } },
          parameters: {
            operation: "removeBackground",
            binaryPropertyName: "data",
            outputBinaryPropertyName: "data",
            engine: "remote",
            provider: "cutout",
          },
        },
        (store) => [photoItem(store, CAR, "car.jpg")],
      );
    for (let key = 0; key < 4; key++) await cutWithKey(key); // the process now holds these four, whatever it held before
    const closes = vi.spyOn(Remover.prototype, "close");
    for (let key = 4; key < 9; key++) await cutWithKey(key);
    expect(closes).toHaveBeenCalledTimes(5);
    closes.mockRestore();
  });
});

describe("remote engine", () => {
  const CUT = { cutout: true, headers: { "X-Credits-Charged": "0.25" } } as const;
  const remoteRun = (parameters: Record<string, unknown>) =>
    run(
      {
        onError: "continueRegularOutput",
        credentials: { cutoutServerApi: { baseUrl: remote.origin, apiKey: KEY } },
        parameters: {
          operation: "removeBackground",
          binaryPropertyName: "data",
          outputBinaryPropertyName: "data",
          engine: "remote",
          provider: "cutout",
          ...parameters,
        },
      },
      (store) => [photoItem(store, CAR, "car-1.jpg")],
    );

  it("sends the photo to the provider with the credential's key, applies effects here and reports the credits charged; the key shows nowhere", async () => {
    remote.script(CUT);
    const { output, test } = await remoteRun({ backgroundOptions: { bgColor: "#00ff00" } });
    const [item] = output as [INodeExecutionData];
    expect(item.json.cutout).toMatchObject({ engine: "remote", model: "remote:cutout", width: 480, creditsCharged: 0.25 });
    expect(remote.requests.at(-1)).toMatchObject({ path: "/v1.0/removebg", headers: { "x-api-key": KEY } });
    const image = await decode(test.read(item.binary?.data as IBinaryData));
    // The stand-in removes the left half: our green shows there.
    expect([image.at(10, 100, 0), image.at(10, 100, 1)]).toEqual([0, 255]);
    expect(JSON.stringify(output) + test.logs.join("\n")).not.toContain(KEY);
  });

  it("reports the provider's refusal with its code, without the key", async () => {
    remote.script({ status: 403, json: { errors: [{ title: `Invalid key ${KEY}`, code: "auth_failed" }] } });
    const { output } = await remoteRun({});
    expect(output[0]?.json.details).toEqual({ code: "remote_auth_failed" });
    expect(JSON.stringify(output)).not.toContain(KEY);
  });

  it("falls back under auto only when the local engine cannot run", async () => {
    remote.script(CUT);
    const before = remote.requests.length;
    const { output } = await remoteRun({ engine: "auto" });
    expect(output[0]?.json.cutout).toMatchObject({ engine: "local" });
    expect(remote.requests.length).toBe(before);
  });
});

describe("Get Account", () => {
  it("gives the provider's credits, one item per input item", async () => {
    remote.script({
      status: 200,
      json: { data: { attributes: { credits: { total: 120, subscription: 100, payg: 20, enterprise: 0 }, api: { free_calls: 50 } } } },
    });
    const { output } = await run(
      {
        credentials: { cutoutServerApi: { baseUrl: remote.origin, apiKey: KEY } },
        parameters: { operation: "getAccount", provider: "cutout" },
      },
      () => [{ json: {} }, { json: {} }],
    );
    expect(output).toEqual(
      [0, 1].map((item) => ({
        json: { provider: "cutout", credits: { total: 120, subscription: 100, payg: 20, enterprise: 0 }, freeCalls: 50 },
        pairedItem: { item },
      })),
    );
    expect(remote.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1.0/account", headers: { "x-api-key": KEY } });
  });

  it("needs the provider's credential", async () => {
    const failing = run({ parameters: { operation: "getAccount", provider: "removebg" } }, () => [{ json: {} }]);
    await expect(failing).rejects.toMatchObject({ name: "NodeOperationError", context: { itemIndex: 0 } });
  });
});
