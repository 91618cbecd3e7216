/**
 * The release machinery, short of publishing: the CI and release workflows
 * and action.yml against action-validator (GitHub's schemas), CI running
 * exactly .ci/run, the release workflow's steps against pack-all's artifact
 * names, the Action README's `uses:` lines against the suite's version, and
 * scripts/release-action.mjs pushing release trees to a real (local, bare)
 * git repository, its moving tag, its refusal to re-release and its silence
 * about the remote's credentials.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { YAML } from "../support/action-runner.js";
import { ROOT } from "../support/cli.js";
import { run } from "../support/hosts.js";

// The scripts are plain .mjs without declarations: loaded by URL, typed here.
const script = (name: string) => path.join(ROOT, "scripts", name);
const { SUITE, movingTag } = (await import(pathToFileURL(script("suite.mjs")).href)) as {
  SUITE: { version: string; repository: string; actionRepository: string };
  movingTag: (version: string) => string | undefined;
};
const { artifactPaths } = (await import(pathToFileURL(script("pack-all.mjs")).href)) as {
  artifactPaths: (out: string) => { action: string; vsix: (target: string) => string; figmaZip: string; sums: string; notes: string };
};
const { releaseAction } = (await import(pathToFileURL(script("release-action.mjs")).href)) as {
  releaseAction: (options: { tree: string; remote: string; version: string }) => { commit: string; branch: string; tags: string[] };
};

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  "timeout-minutes"?: number;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, Record<string, string[]> | null>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const CI = ".github/workflows/ci.yml";
const RELEASE = ".github/workflows/release.yml";
const ACTION_YML = "packages/github-action/action.yml";
const workflow = (file: string) => YAML.parse(read(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);
/** The one step whose `run:` contains `text`, with its job. */
function stepRunning(wf: Workflow, text: string): { job: Job; step: Step } {
  const found = Object.values(wf.jobs).flatMap((job) => job.steps.filter((s) => s.run?.includes(text)).map((step) => ({ job, step })));
  expect(found.length, `one step runs ${text}`).toBe(1);
  return found[0]!;
}
/** A secret as a workflow names it. */
const secret = (name: string) => `\${{ secrets.${name} }}`;
/** A GitHub filter pattern or a shell glob (`*` within one path segment) as a regular expression. */
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);

describe("workflow and action files", () => {
  it("pass action-validator, which rejects a broken copy", () => {
    expect(validateWorkflow(read(CI)).errors).toEqual([]);
    expect(validateWorkflow(read(RELEASE)).errors).toEqual([]);

    const noRunner = read(CI).replace(/^ {4}runs-on: .*\n/m, "");
    expect(noRunner).not.toBe(read(CI));
    expect(JSON.stringify(validateWorkflow(noRunner).errors)).toContain("/runs-on");
    const typo = read(RELEASE).replace(/^( {4})timeout-minutes:/m, "$1timeout-minute:");
    expect(typo).not.toBe(read(RELEASE));
    expect(JSON.stringify(validateWorkflow(typo).errors)).toContain("Additional property 'timeout-minute' is not allowed");
  });

  it("action.yml passes action-validator (its schema may predate runs.using node24)", () => {
    const minimal = (using: string) => `name: a\ndescription: b\nruns:\n  using: ${using}\n  main: index.js\n`;
    expect(validateAction(minimal("node20")).errors).toEqual([]);
    // 0.6.0's SchemaStore copy lists node12..node20; node24 is GitHub's current runtime (test/github-action.test.ts pins it).
    const knowsNode24 = validateAction(minimal("node24")).errors.length === 0;
    const source = read(ACTION_YML);
    const checked = knowsNode24 ? source : source.replace(/^ {2}using: node24$/m, "  using: node20");
    expect(knowsNode24 || checked !== source, "action.yml says runs.using: node24").toBe(true);
    expect(validateAction(checked).errors).toEqual([]);
    expect(validateAction(checked.replace(/^ {2}main: /m, "  entry: ")).errors).not.toEqual([]);
  });
});

describe("ci.yml", () => {
  const ci = workflow(CI);

  it("runs exactly .ci/run's commands, with pnpm from packageManager and the onnxruntime install off", () => {
    const ciRun = read(".ci/run")
      .split("\n")
      .flatMap((line) => /^"\$\{pnpm\[@\]\}" (.+)$/.exec(line.trim())?.slice(1) ?? [])
      .map((args) => `pnpm ${args}`);
    expect(ciRun).toEqual(["pnpm install --frozen-lockfile", "pnpm test"]);
    expect(steps(ci).flatMap((s) => (s.run ? [s.run.trim()] : []))).toEqual(ciRun);

    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.on.push?.branches).toEqual(["main"]);
    const [job] = Object.values(ci.jobs);
    expect({ ...ci.env, ...job!.env }.ONNXRUNTIME_NODE_INSTALL).toBe("skip");
    expect(job!["timeout-minutes"]).toBeGreaterThan(0);
    expect(job!["timeout-minutes"]).toBeLessThanOrEqual(90);
    const pnpmSetup = steps(ci).find((s) => s.uses?.startsWith("pnpm/action-setup@"));
    expect(pnpmSetup?.with?.version, "no version of its own: pnpm/action-setup reads packageManager").toBeUndefined();
    expect(JSON.parse(read("package.json")).packageManager).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
  });

  it("caches the model and the real hosts the tests install", () => {
    const cache = steps(ci).find((s) => s.uses?.startsWith("actions/cache@"));
    const paths = String(cache?.with?.path).trim().split("\n");
    expect(paths).toEqual(["~/.cache/cutout", "~/.cache/cutout-test"]);
  });
});

describe("release.yml", () => {
  const release = workflow(RELEASE);

  it("runs on version tags only: v0.1.0 and v1.0.0-rc.1, never a moving tag", () => {
    expect(Object.keys(release.on)).toEqual(["push"]);
    const tags = release.on.push?.tags ?? [];
    expect(tags).toEqual(["v*.*.*"]);
    const matches = (tag: string) => tags.some((pattern) => glob(pattern).test(tag));
    expect([`v${SUITE.version}`, "v0.1.0", "v1.0.0-rc.1"].every(matches)).toBe(true);
    expect([movingTag("0.1.0"), movingTag("1.2.3"), "main"].some((tag) => matches(tag!))).toBe(false);
  });

  it("packs with the tag as --expect-version, then publishes with provenance, the Action tree and the release", () => {
    const pack = stepRunning(release, "scripts/pack-all.mjs").step.run!;
    expect(pack).toContain(`--expect-version "\${GITHUB_REF_NAME#v}"`);
    expect(pack).toContain("--vsix-targets all");
    expect(stepRunning(release, "pnpm install").step.run!.trim()).toBe("pnpm install --frozen-lockfile");
    expect(release.env?.ONNXRUNTIME_NODE_INSTALL).toBe("skip");

    const npm = stepRunning(release, "npm publish");
    expect(npm.step.run).toMatch(/npm publish "\$tarball" --provenance --access public --tag "\$DIST_TAG"/);
    expect(npm.step.run).toContain("for tarball in artifacts/*.tgz");
    expect(npm.step.env?.NODE_AUTH_TOKEN).toBe(secret("NPM_TOKEN"));
    expect(npm.step.env?.DIST_TAG).toContain("'next'");
    expect(npm.job.permissions?.["id-token"], "provenance needs the OIDC token").toBe("write");
    expect(npm.job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["registry-url"]).toBe("https://registry.npmjs.org");

    const action = stepRunning(release, "scripts/release-action.mjs");
    const paths = artifactPaths("artifacts");
    expect(action.step.run).toContain(`--tree ${paths.action}`);
    expect(action.step.run).toContain(`https://x-access-token:\${ACTION_REPOSITORY_TOKEN}@github.com/\${repository}.git`);
    expect(action.step.run).toContain(".cutout.actionRepository");
    expect(action.step.env?.ACTION_REPOSITORY_TOKEN).toBe(secret("ACTION_REPOSITORY_TOKEN"));

    const github = stepRunning(release, "gh release create");
    expect(github.step.run).toContain(`--notes-file ${paths.notes}`);
    expect(github.step.run).toContain("$PRERELEASE");
    expect(github.step.env?.PRERELEASE).toContain("'--prerelease'");
    expect(github.job.permissions?.contents).toBe("write");
    expect(github.job.needs).toEqual(expect.arrayContaining(["npm", "action"]));
    // The files it attaches are the ones pack-all writes.
    const attached = github.step.run!.split(/\s+/).filter((word) => word.startsWith("artifacts/"));
    const attaches = (file: string) => attached.some((pattern) => glob(pattern).test(file));
    expect(attaches(paths.vsix("linux-x64")) && attaches(paths.vsix("win32-arm64"))).toBe(true);
    expect(attaches(paths.figmaZip)).toBe(true);
    expect(attaches(paths.sums)).toBe(true);
  });
});

describe("the Action's version tags", () => {
  it("movingTag: the major from 1.0, the minor in 0.x, nothing for a pre-release", () => {
    expect(movingTag("1.4.2")).toBe("v1");
    expect(movingTag("2.0.0")).toBe("v2");
    expect(movingTag("0.1.3")).toBe("v0.1");
    expect(movingTag("0.12.0")).toBe("v0.12");
    expect(movingTag("1.0.0-rc.1")).toBeUndefined();
    expect(movingTag("0.2.0-beta.3")).toBeUndefined();
  });

  it("the Action README's uses: lines name the Action repository at the moving tag or the exact version", () => {
    const readme = read("packages/github-action/README.md");
    const ours = [...readme.matchAll(/uses:\s*(\S*cutout\S*)/g)].map((m) => m[1]);
    expect(ours.length).toBeGreaterThanOrEqual(3);
    const allowed = [`${SUITE.actionRepository}@${movingTag(SUITE.version)}`, `${SUITE.actionRepository}@v${SUITE.version}`];
    for (const line of ours) expect(allowed).toContain(line);
    expect(readme).not.toMatch(/your-org|action-v1/);
    expect(readme).toContain(`\`@${movingTag(SUITE.version)}\``);
    expect(readme).toContain(`\`@v${SUITE.version}\``);
  });
});

describe("scripts/release-action.mjs against a bare git repository", () => {
  let work: string;
  let remote: string;
  const git = (...args: string[]) => run("git", ["-C", remote, ...args]).trim();
  const commitOf = (ref: string) => git("rev-parse", `${ref}^{commit}`);
  const filesAt = (ref: string) => git("ls-tree", "-r", "--name-only", ref).split("\n");
  /** A small release tree in its own folder. */
  function tree(name: string, files: Record<string, string>): string {
    const dir = path.join(work, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }
  // A URL with credentials that git maps onto the bare repository (url.<base>.insteadOf), so a whole release runs through it.
  const SECRET_URL = "https://x-access-token:s3cr3t-t0ken@example.invalid/cutout-dev/cutout-action.git";
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [script("release-action.mjs"), ...args], {
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: `url.${remote}.insteadOf`, GIT_CONFIG_VALUE_0: SECRET_URL },
    });
  const first = {
    "action.yml": "name: Cutout\n",
    "README.md": "# Cutout action\n",
    "dist/index.js": "console.log(1);\n",
    "dist/old.js": "// gone in 0.1.1\n",
    "dist/node_modules/sharp/package.json": '{"name":"sharp"}\n',
  };

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), "cutout-release-action-"));
    remote = path.join(work, "cutout-action.git");
    run("git", ["init", "--quiet", "--bare", "--initial-branch", "main", remote]);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("0.1.0 (through the CLI and a URL with a token): one commit of exactly the tree, tagged v0.1.0 and v0.1", () => {
    const done = cli("--tree", tree("tree-0.1.0", first), "--remote", SECRET_URL, "--version", "0.1.0");
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain("https://***@example.invalid/cutout-dev/cutout-action.git");
    expect(done.stdout + done.stderr).not.toContain("s3cr3t");

    expect(commitOf("v0.1.0")).toBe(commitOf("main"));
    expect(commitOf("v0.1")).toBe(commitOf("main"));
    expect(filesAt("v0.1.0").sort()).toEqual(Object.keys(first).sort());
    for (const [file, text] of Object.entries(first)) expect(git("show", `v0.1.0:${file}`)).toBe(text.trim());
    expect(git("log", "-1", "--format=%s|%an|%ae", "main")).toBe(
      "Cutout 0.1.0|github-actions[bot]|41898282+github-actions[bot]@users.noreply.github.com",
    );
  });

  it("0.1.1: a new commit on top, v0.1 moved to it, v0.1.0 left in place", () => {
    const before = commitOf("v0.1.0");
    const next = { ...first, "dist/index.js": "console.log(2);\n" } as Record<string, string>;
    delete next["dist/old.js"];
    const released = releaseAction({ tree: tree("tree-0.1.1", next), remote, version: "0.1.1" });
    expect(released).toMatchObject({ branch: "main", tags: ["v0.1.1", "v0.1"] });

    expect(commitOf("main")).toBe(released.commit);
    expect(commitOf("v0.1.1")).toBe(released.commit);
    expect(commitOf("v0.1")).toBe(released.commit);
    expect(commitOf("v0.1.0")).toBe(before);
    expect(commitOf("main^")).toBe(before);
    expect(filesAt("v0.1.1").sort()).toEqual(Object.keys(next).sort());
    expect(git("show", "v0.1.1:dist/index.js")).toBe("console.log(2);");
  });

  it("refuses to release a version again, and says so without the token", () => {
    const head = commitOf("main");
    const again = tree("tree-again", { "action.yml": "name: Changed\n" });
    expect(() => releaseAction({ tree: again, remote, version: "0.1.1" })).toThrow(/already has tag v0\.1\.1/);
    const refused = cli("--tree", again, "--remote", SECRET_URL, "--version", "0.1.1");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("https://***@example.invalid/cutout-dev/cutout-action.git already has tag v0.1.1");
    expect(refused.stdout + refused.stderr).not.toContain("s3cr3t");
    expect(commitOf("main")).toBe(head);
    expect(commitOf("v0.1")).toBe(head);
  });

  it("a pre-release gets its own tag and moves no moving tag", () => {
    const v01 = commitOf("v0.1");
    const released = releaseAction({ tree: tree("tree-rc", first), remote, version: "1.0.0-rc.1" });
    expect(released.tags).toEqual(["v1.0.0-rc.1"]);
    expect(commitOf("v1.0.0-rc.1")).toBe(released.commit);
    expect(commitOf("v0.1")).toBe(v01);
    expect(git("tag", "--list").split("\n").sort()).toEqual(["v0.1", "v0.1.0", "v0.1.1", "v1.0.0-rc.1"]);
  });

  it("never shows the token of a remote it cannot reach", () => {
    const unreachable = "https://x-access-token:s3cr3t-t0ken@127.0.0.1:1/cutout-action.git";
    let said = "";
    try {
      releaseAction({ tree: tree("tree-unreachable", first), remote: unreachable, version: "0.2.0" });
    } catch (error) {
      said = String((error as Error).message);
    }
    expect(said).toContain("https://***@127.0.0.1:1/cutout-action.git");
    expect(said).not.toContain("s3cr3t");
  });
});
