/**
 * Which files the action works on and where their cutouts go. Paths are
 * relative to the workspace with forward slashes, as in the repository and
 * in GitHub's annotations.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isImageFile, outputSuffix } from "@cutout/core";
import { glob } from "tinyglobby";
import { git, splitNul } from "./git.js";
import type { OutputMode, Settings } from "./inputs.js";

/** Never inputs, whatever `paths` says. */
export const ALWAYS_IGNORED = ["**/.git/**", "**/node_modules/**"];

export function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** The images `paths` matches under the workspace, less `ignore` and the output folder, sorted. */
export async function findImages(settings: Pick<Settings, "workspace" | "paths" | "ignore" | "output">): Promise<string[]> {
  const ignore = [...ALWAYS_IGNORED, ...settings.ignore];
  if (settings.output.mode === "folder") {
    const inside = toPosix(path.relative(settings.workspace, settings.output.folder));
    if (!inside.startsWith("..")) ignore.push(`${inside}/**`);
  }
  const matches = await glob(settings.paths, {
    cwd: settings.workspace,
    ignore,
    onlyFiles: true,
    expandDirectories: false,
    dot: false,
  });
  return [...new Set(matches.map((m) => toPosix(path.normalize(m))))].filter(isImageFile).sort();
}

export interface Job {
  input: string;
  output: string;
  /** Set when the job cannot run (its output would overwrite something, it lies outside the workspace...). */
  problem?: string;
}

export interface OutputKind {
  format: string;
  channels: string;
}

/** Extensions a format may be written under, for `output: replace`. */
const EXTENSIONS_OF: Record<string, readonly string[]> = {
  png: [".png"],
  jpg: [".jpg", ".jpeg"],
  webp: [".webp"],
  bmp: [".bmp"],
};

/** The output path of one input (format `auto` plans png; `finalOutput` corrects it once the format is known). */
export function outputFor(input: string, mode: OutputMode, kind: OutputKind, workspace: string, format = plannedFormat(kind)): string {
  if (mode.mode === "replace") return input;
  const dir = path.posix.dirname(input);
  const name = path.posix.basename(input, path.posix.extname(input)) + outputSuffix(kind as Parameters<typeof outputSuffix>[0], format);
  if (mode.mode === "suffix") return dir === "." ? name : `${dir}/${name}`;
  const folder = toPosix(path.relative(workspace, mode.folder)) || ".";
  return path.posix.join(folder, dir, name);
}

function plannedFormat(kind: OutputKind): string {
  return kind.channels === "alpha" ? "png" : kind.format === "auto" ? "png" : kind.format;
}

/** Plans every output, refusing writes over inputs, over another input's output, and outside the workspace. */
export function planJobs(inputs: string[], mode: OutputMode, kind: OutputKind, workspace: string): Job[] {
  const inputSet = new Set(inputs);
  const claimed = new Map<string, string>();
  return inputs.map((input): Job => {
    const output = outputFor(input, mode, kind, workspace);
    if (input.startsWith("../")) return { input, output, problem: "is outside the workspace; paths are relative to it" };
    if (mode.mode === "replace") {
      const format = plannedFormat(kind);
      const ext = path.extname(input).toLowerCase();
      const fits = kind.format === "auto" && kind.channels !== "alpha" ? [".png", ".jpg", ".jpeg"] : (EXTENSIONS_OF[format] ?? []);
      if (!fits.includes(ext)) {
        return {
          input,
          output,
          problem: `output: replace keeps the file name, but format ${kind.channels === "alpha" ? "png (channels alpha)" : kind.format} cannot be written as a ${ext} file; set format to match`,
        };
      }
      return { input, output };
    }
    if (inputSet.has(output)) return { input, output, problem: `refusing to overwrite the input file ${output}` };
    const other = claimed.get(output);
    if (other) return { input, output, problem: `its output ${output} would overwrite the output of ${other}` };
    claimed.set(output, input);
    return { input, output };
  });
}

/** For format auto the output's extension follows what was written (png with transparency, else jpg). */
export function finalOutput(job: Job, mode: OutputMode, kind: OutputKind, workspace: string, written: string): string {
  if (mode.mode === "replace") return job.input;
  return outputFor(job.input, mode, kind, workspace, written);
}

/** Whether the inputs' outputs are up to date, for `skip-existing`. */
export class Freshness {
  private tracked: Promise<Set<string> | null> | undefined;
  private shallowBoundaries: Promise<Set<string>> | undefined;

  constructor(private readonly workspace: string) {}

  /**
   * True when `output` exists and is at least as new as `input`. A fresh
   * checkout stamps every file with the checkout's time, so when both files
   * are committed and unmodified their last commits' times are compared
   * instead; a commit at a shallow clone's edge says nothing about when the
   * file last changed, so such files count as stale.
   */
  async upToDate(input: string, output: string): Promise<{ upToDate: boolean; how: "commit" | "mtime" | "missing" | "unknown" }> {
    const [inStat, outStat] = await Promise.all([stat(this.abs(input)), stat(this.abs(output)).catch(() => undefined)]);
    if (!outStat?.isFile()) return { upToDate: false, how: "missing" };
    const clean = await this.cleanTracked();
    if (clean?.has(input) && clean.has(output)) {
      const [a, b] = await Promise.all([this.lastCommit(input), this.lastCommit(output)]);
      if (a === undefined || b === undefined) return { upToDate: false, how: "unknown" };
      return { upToDate: b >= a, how: "commit" };
    }
    return { upToDate: outStat.mtimeMs >= inStat.mtimeMs, how: "mtime" };
  }

  private abs(file: string): string {
    return path.resolve(this.workspace, file);
  }

  /** Files that git tracks and that are unmodified in the work tree; null outside a repository. */
  private cleanTracked(): Promise<Set<string> | null> {
    this.tracked ??= (async () => {
      try {
        // Both lists relative to the workspace, like the jobs' paths.
        const files = splitNul(await git(this.workspace, ["ls-files", "-z", "--", "."]));
        const dirty = new Set(splitNul(await git(this.workspace, ["diff", "--name-only", "--relative", "-z", "HEAD", "--", "."])));
        return new Set(files.filter((f) => !dirty.has(f)));
      } catch {
        return null;
      }
    })();
    return this.tracked;
  }

  /** Seconds since the epoch of the last commit that touched `file`; undefined when that commit is a shallow clone's edge. */
  private async lastCommit(file: string): Promise<number | undefined> {
    const line = (await git(this.workspace, ["log", "-1", "--format=%H %ct", "--", file])).trim();
    const [sha, time] = line.split(" ");
    if (!sha || !time) return undefined;
    if ((await this.boundaries()).has(sha)) return undefined;
    return Number(time);
  }

  private boundaries(): Promise<Set<string>> {
    this.shallowBoundaries ??= (async () => {
      try {
        const file = (await git(this.workspace, ["rev-parse", "--git-path", "shallow"])).trim();
        const text = await readFile(path.resolve(this.workspace, file), "utf8");
        return new Set(text.split("\n").filter(Boolean));
      } catch {
        return new Set<string>();
      }
    })();
    return this.shallowBoundaries;
  }
}
