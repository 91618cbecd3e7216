/**
 * The GitHub Action (packages/github-action), run the way the runner runs it.
 *
 * The action is packaged with its own script into a temporary "action path"
 * (the tree a release tag holds: action.yml, dist/index.js, dist/node_modules
 * pruned to linux-x64), then started with Node 24 as `node dist/index.js`,
 * with INPUT_* variables built from action.yml and the step's GITHUB_* files,
 * in a temporary git repository of real photos.
 *
 * Inference costs seconds per image, so the runs are chained on one
 * repository and cut out four images in all: a push run (two photos and a
 * broken file), a second run that skips what is up to date (none), a
 * pull_request run with only-changed (one), and output: replace (one).
 * Everything else fails or is skipped before the model is loaded.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCacheDir } from "../models/src/index.js";
import { OPTION_FIELDS } from "../packages/core/src/index.js";
import { changedFiles } from "../packages/github-action/src/changed.js";
import { Freshness } from "../packages/github-action/src/files.js";
import { ACTION_INPUTS, OUTPUTS, readSettings } from "../packages/github-action/src/inputs.js";
import { readmeInputsTable, renderActionYml } from "../packages/github-action/src/metadata.js";
import { command, inputVariable, Runtime } from "../packages/github-action/src/runtime.js";
import type { FileResult } from "../packages/github-action/src/summary.js";
import { type NodeBinary, node24 } from "./support/action-node24";
import { startFakeRemote } from "./support/action-remote";
import {
  ACTION_SOURCE,
  type ActionRun,
  git,
  initRepo,
  inputEnvName,
  packageAction,
  parseOutputFile,
  type RunActionOptions,
  readActionYml,
  runAction,
  workflowCommands,
} from "./support/action-runner";
import { decode, FIXTURES, sha256, sharp, writeTinyImage } from "./support/cli";

/** A point on the car's body in car-1.jpg (480x360), and one on the girl's shirt in anime-girl-1.jpg (850x601). */
const CAR_BODY = [240, 200] as const;
const GIRL_SHIRT = [420, 280] as const;

const CAR = "assets/products/car-1.jpg";
const GIRL = "assets/people/team photos/anime girl 1.jpg";
const BROKEN = "docs/img/broken.png";
const LEGACY = "assets/legacy/old.jpg";
const VENDORED = "node_modules/pkg/logo.png";

const dirs: string[] = [];
async function tempDir(label: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `cutout-action-${label}-`));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

function files(run: ActionRun): FileResult[] {
  return JSON.parse(run.outputs.files ?? "null") as FileResult[];
}

function show(run: ActionRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** Alpha at a point, and the share of fully clear pixels. */
async function alphaStats(file: string, point: readonly [number, number]) {
  const image = await decode(file);
  let clear = 0;
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] === 0) clear++;
  return { image, atSubject: image.at(point[0], point[1], 3), clearShare: clear / (image.width * image.height) };
}

describe("action.yml", () => {
  const metadata = readActionYml(ACTION_SOURCE);
  const inputs = metadata.inputs ?? {};
  const own = new Map(ACTION_INPUTS.map((i) => [i.name, i]));

  it("is what the generator writes from the code's tables (regenerate: pnpm --filter @cutout/github-action run action-yml)", () => {
    expect(readFileSync(path.join(ACTION_SOURCE, "action.yml"), "utf8")).toBe(renderActionYml());
  });

  it("follows the action metadata schema, for a node24 JavaScript action", () => {
    const allowedTop = ["name", "author", "description", "inputs", "outputs", "runs", "branding"];
    expect(Object.keys(metadata).filter((k) => !allowedTop.includes(k))).toEqual([]);
    expect(typeof metadata.name).toBe("string");
    expect(typeof metadata.description).toBe("string");
    expect((metadata.description as string).length).toBeLessThanOrEqual(125); // the Marketplace's limit
    expect(metadata.runs).toEqual({ using: "node24", main: "dist/index.js" });

    const id = /^[_a-zA-Z][a-zA-Z0-9_-]*$/;
    for (const [name, spec] of Object.entries(inputs)) {
      expect(name, name).toMatch(id);
      expect(
        Object.keys(spec).filter((k) => !["description", "required", "default", "deprecationMessage"].includes(k)),
        name,
      ).toEqual([]);
      expect(typeof spec.description === "string" && spec.description.trim().length > 10, `${name} has a description`).toBe(true);
      if ("required" in spec) expect(typeof spec.required, name).toBe("boolean");
      if ("default" in spec) expect(typeof spec.default, `${name}'s default is a string, as the runner passes it`).toBe("string");
      expect(String(spec.description), `${name}: no expressions in descriptions`).not.toContain("${{");
    }
    for (const [name, spec] of Object.entries(metadata.outputs ?? {})) {
      expect(name).toMatch(id);
      // `value` belongs to composite actions; a JavaScript action's outputs have a description only.
      expect(Object.keys(spec)).toEqual(["description"]);
      expect(String(spec.description).length).toBeGreaterThan(10);
    }
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.keys(OUTPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {})).toEqual(expect.arrayContaining(["processed", "skipped", "failed", "files", "cache-path"]));
    const branding = metadata.branding as { icon: string; color: string };
    expect(["white", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"]).toContain(branding.color);
    expect(branding.icon).toBe("scissors");
  });

  it("has every core option under core's snake_case field name, and its own inputs in kebab-case", () => {
    for (const field of OPTION_FIELDS) expect(Object.keys(inputs), field.field).toContain(field.field);
    const optionNames = new Set(OPTION_FIELDS.map((f) => f.field));
    for (const name of Object.keys(inputs)) {
      if (optionNames.has(name)) continue;
      expect(own.has(name), `${name} is an image option or one of the action's own inputs`).toBe(true);
      expect(name, `${name}: the action's own inputs are kebab-case`).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    for (const name of ACTION_INPUTS.map((i) => i.name)) expect(Object.keys(inputs)).toContain(name);
    // No option under two spellings, and no two inputs sharing one INPUT_* variable.
    const variables = Object.keys(inputs).map((name) => inputEnvName(name).replace(/-/g, "_"));
    expect(new Set(variables).size).toBe(variables.length);
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining(["paths", "ignore", "output", "format", "model", "engine", "provider", "api-key"]),
    );
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(["only-changed", "skip-existing", "fail-on-error"]));
  });

  it("declares the defaults the code uses; image options leave theirs to core and say what it is", () => {
    for (const input of ACTION_INPUTS) {
      const spec = inputs[input.name]!;
      if (input.required) {
        expect(spec.required, input.name).toBe(true);
        expect("default" in spec, input.name).toBe(false);
      } else {
        expect(spec.default, input.name).toBe(input.default);
      }
    }
    for (const field of OPTION_FIELDS) {
      const spec = inputs[field.field]!;
      // Declared defaults reach the action as if typed (shadow_color alone would ask for a drop shadow).
      expect("default" in spec, field.field).toBe(false);
      if (field.default !== "") expect(String(spec.description), field.field).toContain(`Default: \`${field.default}\`.`);
    }

    // Behaviour: the runner's environment (every declared default set) and a bare one (nothing set) give the same settings.
    const workspace = os.tmpdir();
    const runnerEnv: Record<string, string> = {};
    for (const [name, spec] of Object.entries(inputs))
      runnerEnv[inputVariable(name)] = spec.default === undefined ? "" : String(spec.default);
    runnerEnv[inputVariable("paths")] = "**/*.jpg";
    const fromRunner = readSettings(runnerEnv, workspace);
    const bare = readSettings({ [inputVariable("paths")]: "**/*.jpg" }, workspace);
    expect(fromRunner).toEqual(bare);
    expect(bare).toMatchObject({
      output: { mode: "suffix" },
      ignore: [],
      options: {},
      kind: { format: "png", channels: "rgba" },
      model: "isnet-fp16",
      engine: "local",
      provider: "removebg",
      apiKey: "",
      onlyChanged: false,
      skipExisting: false,
      failOnError: true,
    });
  });

  it("is documented input by input in the README", () => {
    const readme = readFileSync(path.join(ACTION_SOURCE, "README.md"), "utf8");
    expect(readme).toContain(readmeInputsTable());
    for (const name of Object.keys(inputs)) expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, "m"));
    for (const name of Object.keys(metadata.outputs ?? {})) expect(readme).toContain(`\`${name}\``);
  });
});

describe("runner protocol pieces", () => {
  it("names input variables as the runner does: upper-cased, spaces to underscores, hyphens kept", () => {
    expect(inputVariable("only-changed")).toBe("INPUT_ONLY-CHANGED");
    expect(inputVariable("bg_color")).toBe("INPUT_BG_COLOR");
    expect(inputVariable("my input")).toBe("INPUT_MY_INPUT");
  });

  it("writes outputs as heredoc blocks the runner parses back, whatever the value holds", async () => {
    const dir = await tempDir("output");
    const file = path.join(dir, "out");
    await fs.writeFile(file, "");
    const rt = new Runtime({ GITHUB_OUTPUT: file }, { line: () => undefined });
    const tricky = 'line 1\nEOF\nname=value\n"files"<<x\n';
    rt.setOutput("files", tricky);
    rt.setOutput("count", "3");
    expect(parseOutputFile(await fs.readFile(file, "utf8"))).toEqual({ files: tricky, count: "3" });
  });

  it("escapes workflow command messages and properties", () => {
    const line = command("error", { file: "a,b: c%.png", title: "T" }, "50% done\nnext");
    expect(line).toBe("::error file=a%2Cb%3A c%25.png,title=T::50%25 done%0Anext");
    expect(workflowCommands(line)).toEqual([{ name: "error", properties: { file: "a,b: c%.png", title: "T" }, message: "50% done\nnext" }]);
  });
});

describe("skip-existing and only-changed against git", () => {
  let repo: string;
  beforeAll(async () => {
    repo = await tempDir("git");
    initRepo(repo);
    await writeTinyImage(path.join(repo, "a.jpg"));
    await fs.writeFile(path.join(repo, "a.cutout.png"), "x");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-q", "-m", "input and its cutout"], "2024-01-01T10:00:00Z");
  });

  it("compares commit times when both files are committed, whatever order a checkout wrote them in", async () => {
    // A fresh checkout may write the input after its output; its file time says nothing then.
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(repo, "a.jpg"), later, later);
    expect(await new Freshness(repo).upToDate("a.jpg", "a.cutout.png")).toEqual({ upToDate: true, how: "commit" });

    await writeTinyImage(path.join(repo, "a.jpg"), 70, 50);
    git(repo, ["commit", "-q", "-am", "new photo"], "2024-01-02T10:00:00Z");
    expect(await new Freshness(repo).upToDate("a.jpg", "a.cutout.png")).toEqual({ upToDate: false, how: "commit" });
  });

  it("uses file times for files not committed as they are, and knows a missing output", async () => {
    await fs.writeFile(path.join(repo, "a.cutout.png"), "newer, uncommitted");
    expect(await new Freshness(repo).upToDate("a.jpg", "a.cutout.png")).toEqual({ upToDate: true, how: "mtime" });
    expect(await new Freshness(repo).upToDate("a.jpg", "b.cutout.png")).toEqual({ upToDate: false, how: "missing" });
    git(repo, ["checkout", "-q", "--", "a.cutout.png"]);
  });

  it("treats a commit at a shallow clone's edge as unknown: redo rather than skip wrongly", async () => {
    const shallow = path.join(await tempDir("shallow-fresh"), "clone");
    git(path.dirname(shallow), ["clone", "-q", "--depth", "1", `file://${repo}`, shallow]);
    expect(await new Freshness(shallow).upToDate("a.jpg", "a.cutout.png")).toEqual({ upToDate: false, how: "unknown" });
  });

  it("takes a push's range from before..after, and every file when the push made the branch", async () => {
    const before = git(repo, ["rev-parse", "HEAD~1"]);
    const after = git(repo, ["rev-parse", "HEAD"]);
    const push = await changedFiles({ GITHUB_EVENT_NAME: "push" }, { before, after }, repo);
    expect(push).toEqual({ files: new Set(["a.jpg"]), range: `${before.slice(0, 7)}..${after.slice(0, 7)}` });
    const created = await changedFiles({ GITHUB_EVENT_NAME: "push" }, { before: "0".repeat(40), after }, repo);
    expect(created.files).toBeNull();
    const other = await changedFiles({ GITHUB_EVENT_NAME: "workflow_dispatch" }, {}, repo);
    expect(other).toMatchObject({ files: null, why: expect.stringContaining("workflow_dispatch") });
  });
});

describe("the packaged action, run as the runner runs it", () => {
  let node: NodeBinary;
  let actionDir: string;
  let repo: string;
  let base: string;
  let head: string;
  const originals = new Map<string, string>();

  const pushEvent = () => ({ ref: "refs/heads/main", before: base, after: head, repository: { full_name: "octo-org/shop-assets" } });
  const run = (options: Partial<RunActionOptions> & Pick<RunActionOptions, "with">) =>
    runAction({
      actionDir,
      workspace: repo,
      node: node.path,
      eventName: "push",
      event: pushEvent(),
      env: { GITHUB_SHA: head, GITHUB_REF: "refs/heads/main", GITHUB_REF_NAME: "main" },
      ...options,
    });

  beforeAll(async () => {
    node = node24();
    if (node.note) console.warn(`NOTE: ${node.note}`);
    actionDir = packageAction(path.join(await tempDir("runner"), "_actions", "cutout", "v1"));

    repo = await tempDir("repo");
    initRepo(repo);
    // The base commit: a photo, a vendored image, an ignored folder, a broken "png", notes.
    await fs.mkdir(path.join(repo, path.dirname(CAR)), { recursive: true });
    await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(repo, CAR));
    await writeTinyImage(path.join(repo, LEGACY));
    await writeTinyImage(path.join(repo, VENDORED), 32, 32, "png");
    await fs.mkdir(path.join(repo, path.dirname(BROKEN)), { recursive: true });
    await fs.writeFile(path.join(repo, BROKEN), "this is not a PNG, whatever its name says\n");
    await fs.writeFile(path.join(repo, "docs", "notes.txt"), "notes\n");
    await fs.writeFile(path.join(repo, "README.md"), "# Shop assets\n");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-q", "-m", "base"], "2024-03-01T10:00:00Z");
    base = git(repo, ["rev-parse", "HEAD"]);
    // The pull request: adds a photo in a folder and under a name with spaces, and edits the README.
    await fs.mkdir(path.join(repo, path.dirname(GIRL)), { recursive: true });
    await fs.copyFile(path.join(FIXTURES, "anime-girl-1.jpg"), path.join(repo, GIRL));
    await fs.appendFile(path.join(repo, "README.md"), "Team photos added.\n");
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-q", "-m", "team photo"], "2024-03-02T10:00:00Z");
    head = git(repo, ["rev-parse", "HEAD"]);
    for (const file of [CAR, GIRL, BROKEN, LEGACY, VENDORED]) originals.set(file, await sha256(path.join(repo, file)));
  });

  it("ships a dist/ of the bundle and linux-x64 natives only, which load under Node 24", async () => {
    const dist = path.join(actionDir, "dist");
    const entries = await fs.readdir(dist, { recursive: true, withFileTypes: true });
    const all = entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(dist, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
    const bytes = all.reduce((sum, f) => sum + statSync(path.join(dist, f)).size, 0);
    const packages = (await fs.readdir(path.join(dist, "node_modules"))).flatMap((name) =>
      name.startsWith("@") ? readdirSync(path.join(dist, "node_modules", name)).map((sub) => `${name}/${sub}`) : [name],
    );
    expect(packages.sort()).toEqual(
      [
        "@img/colour",
        "@img/sharp-libvips-linux-x64",
        "@img/sharp-linux-x64",
        "detect-libc",
        "onnxruntime-common",
        "onnxruntime-node",
        "semver",
        "sharp",
      ].sort(),
    );
    const natives = all.filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f));
    expect(natives.sort()).toEqual(
      [
        "node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3",
        "node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node",
        "node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1",
        "node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node",
      ].sort(),
    );
    expect(all.some((f) => /cuda|tensorrt|darwin|win32|arm64/i.test(f))).toBe(false);
    expect(bytes).toBeLessThan(80e6);
    console.log(`dist: ${(bytes / 1e6).toFixed(1)} MB in ${all.length} files; action runs on Node ${node.version}`);

    // The napi binding and libvips load under the Node that will run the action.
    const probe = `const { createRequire } = require("node:module");
      const r = createRequire(${JSON.stringify(path.join(dist, "index.js"))});
      const sharp = r("sharp"); const ort = r("onnxruntime-node");
      console.log(JSON.stringify({ node: process.version, vips: sharp.versions.vips, ort: typeof ort.InferenceSession.create, sharpPath: r.resolve("sharp") }));`;
    const result = spawnSync(node.path, ["-e", probe], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const loaded = JSON.parse(result.stdout) as { node: string; vips: string; ort: string; sharpPath: string };
    expect(loaded).toMatchObject({ node: node.version, ort: "function" });
    expect(loaded.sharpPath.startsWith(dist)).toBe(true);
    if (!node.note) expect(loaded.node).toMatch(/^v24\./);
  });

  it("on a runner other than Linux x64, fails at once and says why, before loading the natives", async () => {
    const pretend =
      'Object.defineProperty(process, "platform", { value: "darwin" }); Object.defineProperty(process, "arch", { value: "arm64" });';
    const result = await run({
      with: { paths: "**/*.jpg" },
      nodeArgs: ["--import", `data:text/javascript,${encodeURIComponent(pretend)}`],
    });
    expect(result.code, show(result)).toBe(1);
    const errors = workflowCommands(result.stdout).filter((c) => c.name === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("Linux x64 only");
    expect(errors[0]!.message).toContain("darwin-arm64");
  });

  it("push: cuts out every matching photo beside it, reports the broken file, leaves originals alone, and fails the step", async () => {
    const result = await run({
      with: { paths: "assets/**/*.jpg\ndocs/**\n**/logo.png", ignore: "assets/legacy/**" },
    });

    expect(result.code, show(result)).toBe(1);
    expect(result.stderr).toBe("");
    // Outputs, through the GITHUB_OUTPUT file.
    expect(result.outputs).toMatchObject({ processed: "2", skipped: "0", failed: "1" });
    expect(result.outputs["cache-path"]).toBe(defaultCacheDir({ env: result.env }));
    const list = files(result);
    expect(list.map((f) => [f.input, f.output, f.status])).toEqual([
      [GIRL, "assets/people/team photos/anime girl 1.cutout.png", "processed"],
      [CAR, "assets/products/car-1.cutout.png", "processed"],
      [BROKEN, "docs/img/broken.cutout.png", "failed"],
    ]);
    for (const entry of list.filter((f) => f.status === "processed")) {
      expect(entry.inputBytes).toBe(statSync(path.join(repo, entry.input)).size);
      expect(entry.outputBytes).toBe(statSync(path.join(repo, entry.output)).size);
      expect(entry.ms).toBeGreaterThan(0);
    }
    expect(list[2]!.error).toMatchObject({ code: "invalid_image" });

    // The cutouts: alpha, background gone, subject kept, same size as the photo.
    const car = await alphaStats(path.join(repo, "assets/products/car-1.cutout.png"), CAR_BODY);
    expect(car.image).toMatchObject({ format: "png", width: 480, height: 360, channels: 4, hasAlpha: true });
    expect(car.atSubject).toBe(255);
    expect(car.clearShare).toBeGreaterThan(0.3);
    const girl = await alphaStats(path.join(repo, "assets/people/team photos/anime girl 1.cutout.png"), GIRL_SHIRT);
    expect(girl.image).toMatchObject({ width: 850, height: 601, hasAlpha: true });
    expect(girl.atSubject).toBe(255);
    expect(girl.clearShare).toBeGreaterThan(0.1);

    // Originals untouched; nothing written but the two cutouts (no temp files, nothing for ignored or vendored files).
    for (const [file, hash] of originals) expect(await sha256(path.join(repo, file)), file).toBe(hash);
    expect(git(repo, ["status", "--porcelain", "--untracked-files=all", "-z"]).split("\0").filter(Boolean).sort()).toEqual([
      "?? assets/people/team photos/anime girl 1.cutout.png",
      "?? assets/products/car-1.cutout.png",
    ]);

    // The log: one line per file inside a group, an error annotation on the broken file, then the step's failure.
    const commands = workflowCommands(result.stdout);
    expect(commands.map((c) => c.name)).toEqual(["group", "error", "endgroup", "error"]);
    const [annotation, final] = commands.filter((c) => c.name === "error");
    expect(annotation!.properties.file).toBe(BROKEN);
    expect(annotation!.message).toMatch(/^invalid_image: .*not a supported image/);
    expect(final!.message).toContain("1 of 3 images failed");
    expect(result.stdout).toMatch(/^✓ assets\/products\/car-1\.jpg → assets\/products\/car-1\.cutout\.png \(480×360, /m);
    expect(result.stdout).toContain(`✓ ${GIRL} → assets/people/team photos/anime girl 1.cutout.png (850×601, `);

    // The job summary: counts, then a row per file with thumbnails linked into the repository.
    const summary = result.summary;
    expect(summary).toContain("**2** cut out · **0** skipped · **1** failed");
    expect(summary).toContain("| | Image | Before | After | Size | Time |");
    const carRow = summary.split("\n").find((line) => line.includes("<code>assets/products/car-1.jpg</code>"))!;
    expect(carRow).toContain(`<img src="https://github.com/octo-org/shop-assets/blob/${head}/assets/products/car-1.jpg?raw=true"`);
    expect(carRow).toContain('<img src="https://github.com/octo-org/shop-assets/blob/main/assets/products/car-1.cutout.png?raw=true"');
    expect(carRow).toMatch(/\| 60 kB → \d+ kB \(480×360\) \| \d+\.\d s \|$/);
    const girlRow = summary.split("\n").find((line) => line.includes("anime girl 1.jpg"))!;
    expect(girlRow).toContain("/blob/main/assets/people/team%20photos/anime%20girl%201.cutout.png?raw=true");
    const brokenRow = summary.split("\n").find((line) => line.includes(BROKEN))!;
    expect(brokenRow).toMatch(/^\| ❌ \|.*invalid_image: /);
  });

  it("a second run with skip-existing skips what is up to date, and fail-on-error: false lets the step pass", async () => {
    const cutout = path.join(repo, "assets/products/car-1.cutout.png");
    const before = { hash: await sha256(cutout), mtime: statSync(cutout).mtimeMs };

    const result = await run({
      with: { paths: "assets/**/*.jpg\ndocs/**", ignore: "assets/legacy/**", "skip-existing": "true", "fail-on-error": "false" },
    });

    expect(result.code, show(result)).toBe(0);
    expect(result.outputs).toMatchObject({ processed: "0", skipped: "2", failed: "1" });
    expect(files(result).map((f) => f.status)).toEqual(["skipped", "skipped", "failed"]);
    expect(result.stdout).toContain(`- ${CAR}: skipped, assets/products/car-1.cutout.png is up to date (newer than its input)`);
    expect(result.stdout).not.toContain("✓");
    expect({ hash: await sha256(cutout), mtime: statSync(cutout).mtimeMs }).toEqual(before);
    expect(
      workflowCommands(result.stdout)
        .filter((c) => c.name === "error")
        .map((c) => c.properties.file),
    ).toEqual([BROKEN]);
    expect(result.summary).toContain("**0** cut out · **2** skipped · **1** failed");
    expect(result.summary).toMatch(/\| ⏭️ \| <code>assets\/products\/car-1\.jpg<\/code>.*up to date/);
  });

  it("pull_request with only-changed: only the photo the pull request adds, into a mirrored folder, with core's options by name", async () => {
    const event = {
      action: "synchronize",
      number: 7,
      pull_request: {
        number: 7,
        base: { ref: "main", sha: base, repo: { full_name: "octo-org/shop-assets" } },
        head: { ref: "team-photos", sha: head, repo: { full_name: "octo-org/shop-assets" } },
      },
    };
    const result = await run({
      eventName: "pull_request",
      event,
      env: { GITHUB_SHA: "f".repeat(40), GITHUB_REF: "refs/pull/7/merge", GITHUB_HEAD_REF: "team-photos", GITHUB_BASE_REF: "main" },
      with: { paths: "assets/**/*.jpg\ndocs/**", "only-changed": "true", output: "cutouts", crop: "true", crop_margin: "10px" },
    });

    expect(result.code, show(result)).toBe(0);
    expect(result.outputs).toMatchObject({ processed: "1", skipped: "0", failed: "0" });
    const out = "cutouts/assets/people/team photos/anime girl 1.cutout.png";
    expect(files(result).map((f) => [f.input, f.output, f.status])).toEqual([[GIRL, out, "processed"]]);
    expect(result.stdout).toContain(
      `only-changed: 1 of 4 matching images are added or changed in ${base.slice(0, 7)}...${head.slice(0, 7)}`,
    );
    // crop + crop_margin reached core: the output is the subject's box plus 10 px, smaller than the photo.
    const girl = await decode(path.join(repo, out));
    expect(girl.hasAlpha).toBe(true);
    expect(girl.width).toBeLessThan(850);
    let marginAlpha = 0;
    for (let y = 0; y < girl.height; y++) {
      for (const x of [0, 1, 2, 3, 4, girl.width - 5, girl.width - 4, girl.width - 3, girl.width - 2, girl.width - 1])
        marginAlpha = Math.max(marginAlpha, girl.at(x, y, 3));
    }
    // Core boxes the subject at alpha 16 and up: only fainter pixels may lie in the margin.
    expect(marginAlpha).toBeLessThan(16);
    // The summary links the PR's head commit and branch.
    expect(result.summary).toContain(`/blob/${head}/assets/people/team%20photos/anime%20girl%201.jpg?raw=true`);
    expect(result.summary).toContain("/blob/team-photos/cutouts/assets/people/team%20photos/anime%20girl%201.cutout.png?raw=true");
    expect(result.summary).toContain("only-changed: 1 of 4");
    for (const [file, hash] of originals) expect(await sha256(path.join(repo, file)), file).toBe(hash);
  });

  it("only-changed on a shallow clone fails clearly and points at fetch-depth: 0", async () => {
    const shallow = path.join(await tempDir("shallow"), "checkout");
    git(path.dirname(shallow), ["clone", "-q", "--depth", "1", `file://${repo}`, shallow]);
    const event = { pull_request: { number: 7, base: { ref: "main", sha: base }, head: { ref: "team-photos", sha: head } } };

    const result = await run({ workspace: shallow, eventName: "pull_request", event, with: { paths: "**/*.jpg", "only-changed": "true" } });

    expect(result.code, show(result)).toBe(1);
    const errors = workflowCommands(result.stdout).filter((c) => c.name === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.properties.title).toBe("only-changed");
    expect(errors[0]!.message).toContain(`lacks ${base.slice(0, 7)}`);
    expect(errors[0]!.message).toContain("fetch-depth: 0");
    expect(result.outputs).toMatchObject({ processed: "0", skipped: "0", failed: "0", files: "[]" });
    expect(result.stdout).not.toContain("✓");
  });

  it("rejects bad inputs before any work, each under its name, and never prints the API key", async () => {
    const key = "sk-test-3f9a1c77e0-DO-NOT-LOG";
    const result = await run({
      with: {
        paths: "**/*.jpg",
        engine: "remote",
        provider: "nosuchapi",
        "api-key": key,
        bg_color: "not-a-colour",
        shadow_type: "none",
        shadow_color: "#000",
        output: "replace",
        "only-changed": "yes",
        quality: "ultra",
      },
    });

    expect(result.code, show(result)).toBe(1);
    // Masked before anything else is printed; the key appears nowhere else.
    expect(result.stdout.split("\n")[0]).toBe(`::add-mask::${key}`);
    expect(result.stdout.split(key)).toHaveLength(2);
    expect(result.stderr).not.toContain(key);
    expect(JSON.stringify(result.outputs)).not.toContain(key);
    expect(result.summary).not.toContain(key);
    const titles = workflowCommands(result.stdout)
      .filter((c) => c.name === "error")
      .map((c) => c.properties.title);
    expect(titles.sort()).toEqual(
      ["Input bg_color", "Input only-changed", "Input output", "Input provider", "Input quality", "Input shadow_color"].sort(),
    );
    const messages = workflowCommands(result.stdout).map((c) => c.message);
    // Core's messages, in the action's input names.
    expect(messages.find((m) => m.includes("shadow_color"))).toContain("shadow_type=none and shadow_color cannot be combined");
    expect(messages.find((m) => m.includes("allow-replace"))).toContain("set allow-replace: true");
    expect(result.outputs).toMatchObject({ processed: "0", failed: "0" });
    expect(git(repo, ["status", "--porcelain", "--", "assets/products", "docs"])).toBe("?? assets/products/car-1.cutout.png");
  });

  it("engine: remote sends each image to the API with the key, which the log never shows; a refused key stops the run", async () => {
    const key = "sk-live-7c1e0b44aa-SECRET";
    const remote = await startFakeRemote(key);
    try {
      const dir = await tempDir("remote");
      await fs.mkdir(path.join(dir, "products"));
      for (const name of ["a.jpg", "b.jpg"]) await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(dir, "products", name));
      const common = { workspace: dir, eventName: "workflow_dispatch", event: {} };

      const good = await run({ ...common, with: { paths: "products/*.jpg", engine: "remote", "remote-url": remote.url, "api-key": key } });
      expect(good.code, show(good)).toBe(0);
      expect(good.stdout.split("\n")[0]).toBe(`::add-mask::${key}`);
      expect(good.stdout.split(key)).toHaveLength(2);
      expect(good.outputs).toMatchObject({ processed: "2", failed: "0" });
      expect(remote.requests.map((r) => r.key)).toEqual([key, key]);
      const cut = await decode(path.join(dir, "products", "a.cutout.png"));
      expect([cut.at(10, 180, 3), cut.at(470, 180, 3)]).toEqual([0, 255]);
      expect(good.summary).toContain("engine `remote`");

      remote.requests.length = 0;
      const wrong = "sk-live-0000-WRONG";
      const bad = await run({ ...common, with: { paths: "products/*.jpg", engine: "remote", "remote-url": remote.url, "api-key": wrong } });
      expect(bad.code, show(bad)).toBe(1);
      expect(bad.stdout.split(wrong)).toHaveLength(2);
      // One request: after the API refuses the key, no other image is sent.
      expect(remote.requests).toHaveLength(1);
      expect(files(bad).map((f) => f.error?.code)).toEqual(["remote_auth_failed", "remote_auth_failed"]);
      expect(files(bad)[1]!.error!.message).toMatch(/^not attempted: /);
    } finally {
      remote.close();
    }
  });

  it("output: replace, once allowed, writes the cutout over the input and refuses a format its name cannot hold", async () => {
    const dir = await tempDir("replace");
    await fs.mkdir(path.join(dir, "products"));
    await sharp(path.join(FIXTURES, "car-1.jpg"))
      .png()
      .toFile(path.join(dir, "products", "car.png"));
    await fs.copyFile(path.join(FIXTURES, "car-1.jpg"), path.join(dir, "products", "car.jpg"));
    const jpgHash = await sha256(path.join(dir, "products", "car.jpg"));

    const result = await run({
      workspace: dir,
      eventName: "workflow_dispatch",
      event: {},
      with: { paths: "products/*", output: "replace", "allow-replace": "true", format: "png", "fail-on-error": "false" },
    });

    expect(result.code, show(result)).toBe(0);
    expect(result.outputs).toMatchObject({ processed: "1", failed: "1" });
    const [jpg, png] = files(result);
    expect(jpg).toMatchObject({ input: "products/car.jpg", status: "failed", error: { code: "output_exists" } });
    expect(jpg!.error!.message).toContain("format png cannot be written as a .jpg file");
    expect(png).toMatchObject({ input: "products/car.png", output: "products/car.png", status: "processed" });
    expect(await sha256(path.join(dir, "products", "car.jpg"))).toBe(jpgHash);
    const replaced = await alphaStats(path.join(dir, "products", "car.png"), CAR_BODY);
    expect(replaced.image).toMatchObject({ width: 480, height: 360, hasAlpha: true });
    expect(replaced.atSubject).toBe(255);
    expect(replaced.clearShare).toBeGreaterThan(0.3);
    expect((await fs.readdir(path.join(dir, "products"))).sort()).toEqual(["car.jpg", "car.png"]);
  });
});
