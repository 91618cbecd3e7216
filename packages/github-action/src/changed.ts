/**
 * `only-changed`: the files a pull request (or a push) adds or changes,
 * from git, between the commits the event payload names.
 */
import { readFile } from "node:fs/promises";
import { git, hasCommit, splitNul } from "./git.js";
import type { Env } from "./runtime.js";

/** The part of a pull_request / push event payload this reads. */
export interface EventPayload {
  pull_request?: {
    number?: number;
    base?: { sha?: string; ref?: string };
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
  };
  before?: string;
  after?: string;
}

export async function readEvent(env: Env): Promise<EventPayload> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return {};
  try {
    return JSON.parse(await readFile(file, "utf8")) as EventPayload;
  } catch (error) {
    throw new OnlyChangedError(`cannot read the event payload GITHUB_EVENT_PATH=${file}: ${(error as Error).message}`);
  }
}

export class OnlyChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnlyChangedError";
  }
}

export type ChangedFiles =
  /** The files to keep, relative to the workspace. */
  | { files: Set<string>; range: string }
  /** Every match is processed; `why` says so in the log. */
  | { files: null; why: string };

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);
const NO_COMMIT = /^0+$/;

const FETCH_DEPTH_HINT =
  "Check out the full history: actions/checkout with `fetch-depth: 0` (the default, 1, fetches only the merge commit).";

/** The added or modified files of the event's range; all files for events without one. */
export async function changedFiles(env: Env, event: EventPayload, workspace: string): Promise<ChangedFiles> {
  const name = env.GITHUB_EVENT_NAME ?? "";
  if (PULL_REQUEST_EVENTS.has(name)) {
    const base = event.pull_request?.base?.sha;
    const head = event.pull_request?.head?.sha;
    if (!base || !head) throw new OnlyChangedError(`the ${name} event payload has no pull_request.base.sha / head.sha`);
    // Three dots: what the pull request changed since it forked from the base, as GitHub's "Files changed" tab.
    return { files: await diff(workspace, base, head, "..."), range: `${short(base)}...${short(head)}` };
  }
  if (name === "push") {
    const before = event.before;
    const after = event.after;
    if (!after || !before || NO_COMMIT.test(before))
      return { files: null, why: "this push created the branch: there is no earlier commit to compare with" };
    return { files: await diff(workspace, before, after, ".."), range: `${short(before)}..${short(after)}` };
  }
  return { files: null, why: `only-changed applies to pull_request and push events, not ${name || "this run (no GITHUB_EVENT_NAME)"}` };
}

async function diff(workspace: string, from: string, to: string, dots: "..." | ".."): Promise<Set<string>> {
  const missing: string[] = [];
  for (const sha of [from, to]) if (!(await hasCommit(workspace, sha))) missing.push(short(sha));
  if (missing.length > 0) {
    throw new OnlyChangedError(
      `only-changed needs commits ${short(from)} and ${short(to)}, but this checkout lacks ${missing.join(" and ")} (a shallow clone?). ${FETCH_DEPTH_HINT}`,
    );
  }
  if (dots === "...") {
    try {
      await git(workspace, ["merge-base", from, to]);
    } catch {
      throw new OnlyChangedError(
        `only-changed cannot find where ${short(to)} branched from ${short(from)}: the history between them is missing (a shallow clone?). ${FETCH_DEPTH_HINT}`,
      );
    }
  }
  // -z: names with spaces or non-ASCII letters come through unquoted. --relative: relative to the workspace.
  const out = await git(workspace, ["diff", "--name-only", "--relative", "--no-renames", "--diff-filter=AM", "-z", `${from}${dots}${to}`]);
  return new Set(splitNul(out));
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
