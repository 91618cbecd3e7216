/**
 * The npm packages as a user gets them: `@cutout/core`'s tarball, packed for
 * release, installed with npm into an empty folder outside the workspace
 * (nothing of the workspace resolvable from there), then the CLI through
 * npx, the API in ESM with its types, and the package linters on every
 * tarball.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../models/src/index.js";
import { decode, FIXTURES, ROOT, referenceAlpha, sharp } from "../support/cli.js";
import { run } from "../support/hosts.js";
import { iouAtHalf } from "../support/mattes.js";
import { artifacts } from "../support/release-artifacts.js";

let consumer: string;
const npmEnv = {
  // onnxruntime-node's postinstall fetches CUDA files from outside the registry; a CPU install needs none.
  ONNXRUNTIME_NODE_INSTALL: "skip",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  npm_config_loglevel: "error",
};
/** The model a user already has, so the test does not download it again. */
const cutoutEnv = { CUTOUT_CACHE_DIR: defaultCacheDir() };

beforeAll(() => {
  consumer = mkdtempSync(path.join(os.tmpdir(), "cutout-npm-consumer-"));
  // @types/node: what a TypeScript project on Node has; typescript itself is the workspace's tsc, a tool.
  run("npm", ["install", artifacts().npm("cutout-core"), "@types/node@20"], { cwd: consumer, env: npmEnv, timeoutMs: 600_000 });
}, 900_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe("npm install <@cutout/core tarball> in an empty folder", () => {
  it("installs what it declares, and nothing of the workspace: no workspace: ranges, no @cutout/models", () => {
    const installed = JSON.parse(readFileSync(path.join(consumer, "node_modules", "@cutout", "core", "package.json"), "utf8"));
    expect(installed.version).toBe(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    for (const range of Object.values<string>({ ...installed.dependencies, ...installed.peerDependencies })) {
      expect(range).not.toMatch(/^workspace:/);
    }
    expect(existsSync(path.join(consumer, "node_modules", "@cutout", "models"))).toBe(false);
    expect(existsSync(path.join(consumer, "node_modules", ".bin", "cutout"))).toBe(true);
  });

  it("npx cutout car-1.jpg writes car-1.cutout.png beside it: the car cut out", async () => {
    await copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(consumer, "car-1.jpg"));
    run("npx", ["--no", "cutout", "car-1.jpg", "--quiet"], { cwd: consumer, env: cutoutEnv });
    const out = await decode(path.join(consumer, "car-1.cutout.png"));
    const input = await sharp(path.join(FIXTURES, "car-1.jpg")).metadata();
    expect([out.format, out.width, out.height, out.hasAlpha]).toEqual(["png", input.width, input.height, true]);
    const alpha = await sharp(path.join(consumer, "car-1.cutout.png")).extractChannel(3).raw().toBuffer();
    expect(iouAtHalf(alpha, await referenceAlpha("car-1"))).toBeGreaterThanOrEqual(0.97);
  });

  it("npx cutout --version names the suite's version; a bad flag exits 2 with usage", () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    expect(run("npx", ["--no", "--", "cutout", "--version"], { cwd: consumer }).trim()).toContain(version);
    expect(() => run("npx", ["--no", "cutout", "car-1.jpg", "--no-such-flag"], { cwd: consumer })).toThrow(/exit 2/);
  });

  it("the API in ESM, type-checked against the shipped declarations, runs", async () => {
    // A consumer checked by tsc (checkJs) and run by node as it is.
    writeFileSync(
      path.join(consumer, "consumer.mjs"),
      [
        "// @ts-check",
        'import { removeBackground } from "@cutout/core";',
        'const result = await removeBackground("car-1.jpg", { format: "webp", quality: "fast" });',
        "console.log(JSON.stringify({ width: result.width, height: result.height, box: result.foreground, bytes: result.data.length }));",
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          target: "es2022",
          strict: true,
          allowJs: true,
          checkJs: true,
          noEmit: true,
          types: ["node"],
        },
        include: ["*.mjs", "*.mts"],
      }),
    );
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    run(process.execPath, [tsc, "-p", "."], { cwd: consumer });
    const printed = JSON.parse(run(process.execPath, ["consumer.mjs"], { cwd: consumer, env: cutoutEnv }));
    const input = await sharp(path.join(FIXTURES, "car-1.jpg")).metadata();
    expect(printed).toMatchObject({ width: input.width, height: input.height });
    expect(printed.box.width).toBeGreaterThan(input.width / 2);
    expect(printed.bytes).toBeGreaterThan(1000);
  });

  it("the declarations are real: a wrong option or a misread result fails tsc", () => {
    const bad = path.join(consumer, "wrong.mts");
    writeFileSync(
      bad,
      [
        'import { removeBackground } from "@cutout/core";',
        'const result = await removeBackground("car-1.jpg", { quality: "ultra" });',
        "export const width: string = result.width;",
        "",
      ].join("\n"),
    );
    try {
      const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
      expect(() => run(process.execPath, [tsc, "-p", "."], { cwd: consumer })).toThrow(/wrong\.mts\(2,.*"ultra".*wrong\.mts\(3,.*TS2322/s);
    } finally {
      rmSync(bad);
    }
  });

  it("every declared subpath imports in Node ESM and resolves its types", () => {
    const subpaths = {
      "": "Remover",
      "/node": "cpuFeatures",
      "/server": "createCutoutServer",
      "/pure": "CutoutEngine",
      "/blocks": "parseColor",
    };
    const script = Object.entries(subpaths)
      .map(
        ([sub, name], i) =>
          `import { ${name} as e${i} } from "@cutout/core${sub}"; if (typeof e${i} !== "function") throw new Error("${sub}: ${name}");`,
      )
      .join("\n");
    writeFileSync(path.join(consumer, "subpaths.mjs"), `// @ts-check\n${script}\nconsole.log("ok");\n`);
    // The browser adapter's types resolve too (it runs in a browser: test/browser loads it there).
    writeFileSync(path.join(consumer, "browser.mts"), 'export type { BrowserRemoverOptions } from "@cutout/core/browser";\n');
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    run(process.execPath, [tsc, "-p", "."], { cwd: consumer });
    expect(run(process.execPath, ["subpaths.mjs"], { cwd: consumer }).trim()).toBe("ok");
  });
});

describe("the package linters on every npm tarball", () => {
  const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

  it.each(["cutout-core", "n8n-nodes-cutout"] as const)("publint: %s has no errors or warnings", (name) => {
    const report = run(bin("publint"), ["run", artifacts().npm(name), "--level", "warning", "--strict"]);
    expect(report).toMatch(/All good/);
  });

  it("arethetypeswrong: @cutout/core's types match its ESM exports under node16 and bundler resolution", () => {
    // esm-only: the package is ESM only, so CommonJS require() and node10 resolution are not goals.
    run(bin("attw"), [artifacts().npm("cutout-core"), "--profile", "esm-only", "--no-definitely-typed", "--no-color"]);
  });
});
