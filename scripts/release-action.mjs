// Pushes the GitHub Action's release tree (pack-all's artifacts/github-action)
// to the repository users name in `uses:`, as one commit on its default branch
// tagged `v<version>`, and moves the moving tag (`v0.1`, `v1`: movingTag) to it:
//
//   node scripts/release-action.mjs --remote URL [--tree DIR] [--version X.Y.Z]
//
// The release workflow passes https://x-access-token:<token>@github.com/<actionRepository>.git;
// the token is redacted from everything this script prints or throws. A version
// whose tag the remote already has is refused: a released tree never changes.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isVersion, movingTag, ROOT, SUITE } from "./suite.mjs";

/** Release commits and tags are made by GitHub's Actions bot, whatever machine runs this. */
const BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };

/** A URL's credentials (`//user:secret@`) replaced by `***`. */
export function redact(text) {
  return String(text).replace(/\/\/[^/@\s]+@/g, "//***@");
}

function git(args, cwd) {
  const done = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    timeout: 600_000,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: BOT.name,
      GIT_AUTHOR_EMAIL: BOT.email,
      GIT_COMMITTER_NAME: BOT.name,
      GIT_COMMITTER_EMAIL: BOT.email,
    },
  });
  if (done.status !== 0) {
    const said = done.error?.message ?? (done.stderr || done.stdout).trim();
    throw new Error(redact(`git ${args.join(" ")} failed: ${said}`));
  }
  return done.stdout;
}

/** The remote's default branch (its HEAD; `main` for an empty repository) and its refs. */
function readRemote(remote) {
  const listing = git(["ls-remote", "--symref", remote]);
  const head = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(listing);
  const refs = new Set(listing.split("\n").map((line) => line.split("\t")[1]));
  return { branch: head?.[1] ?? "main", refs };
}

/**
 * Commits `tree` as the whole content of `remote`'s default branch, tags it
 * `v<version>`, force-moves movingTag(version) to it, and pushes the branch and
 * the tags in one atomic push. Returns the commit, branch and tags pushed.
 */
export function releaseAction({ tree = path.join(ROOT, "artifacts", "github-action"), remote, version = SUITE.version, log = () => {} }) {
  if (!remote) throw new Error("--remote: the Action repository's git URL is required");
  if (!isVersion(version)) throw new Error(`--version: '${version}' is not x.y.z`);
  tree = path.resolve(tree);
  if (!existsSync(path.join(tree, "action.yml")))
    throw new Error(`--tree: ${tree} has no action.yml; build it with node scripts/pack-all.mjs --only action`);

  const tag = `v${version}`;
  const moving = movingTag(version);
  const { branch, refs } = readRemote(remote);
  if (refs.has(`refs/tags/${tag}`)) throw new Error(`${redact(remote)} already has tag ${tag}: a released version is never replaced`);

  const work = mkdtempSync(path.join(os.tmpdir(), "cutout-action-release-"));
  try {
    const run = (...args) => git(args, work);
    if (refs.has(`refs/heads/${branch}`)) {
      // Only the branch's last commit: earlier releases' trees are not needed to add one.
      git(["clone", "--quiet", "--depth", "1", "--single-branch", "--branch", branch, remote, work]);
    } else {
      run("init", "--quiet", "--initial-branch", branch);
      run("remote", "add", "origin", remote);
    }
    for (const entry of readdirSync(work)) if (entry !== ".git") rmSync(path.join(work, entry), { recursive: true, force: true });
    cpSync(tree, work, { recursive: true, verbatimSymlinks: true, filter: (source) => path.basename(source) !== ".git" });
    // --force: the tree ships dist/node_modules, which a global gitignore may list.
    run("add", "--all", "--force", ".");
    run("-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "--message", `Cutout ${version}`);
    run("-c", "tag.gpgsign=false", "tag", "--annotate", tag, "--message", `Cutout ${version}`);
    const refspecs = [`HEAD:refs/heads/${branch}`, `refs/tags/${tag}:refs/tags/${tag}`];
    if (moving) {
      run("tag", "--force", moving, "HEAD");
      refspecs.push(`+refs/tags/${moving}:refs/tags/${moving}`);
    }
    const commit = run("rev-parse", "HEAD").trim();
    const tags = moving ? [tag, moving] : [tag];
    log(`Pushing Cutout ${version}'s Action tree to ${redact(remote)}: ${branch} at ${commit.slice(0, 12)}, tags ${tags.join(", ")}`);
    // Atomic: the branch and the tags land together or not at all; the version tag is never forced.
    run("push", "--quiet", "--atomic", "origin", ...refspecs);
    return { commit, branch, tags };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function option(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  try {
    releaseAction({
      tree: option("--tree"),
      remote: option("--remote"),
      version: option("--version")?.replace(/^v/, ""),
      log: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`${redact(error.message)}\n`);
    process.exitCode = 1;
  }
}
