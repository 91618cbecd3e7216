import { readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { CutoutError } from "../errors.js";
import { isImageFile, isOwnOutput, type OutputKind, outputSuffix } from "../output/file-names.js";

export type { OutputKind };

export interface Job {
  /** A file path, or "-" for standard input. */
  input: string;
  /** A file path, or "-" for standard output. */
  output: string;
  /** True when the output name was made here (not given with -o), so its extension may follow the format `auto` picks. */
  derived: boolean;
  /** Set when the job cannot run at all (missing input, would overwrite an input). */
  error?: CutoutError;
}

/** The derived output name for the format actually written (format `auto` decides after processing). */
export function withFormat(job: Job, kind: OutputKind, format: string): string {
  if (!job.derived) return job.output;
  const planned = outputSuffix(kind);
  return job.output.endsWith(planned) ? job.output.slice(0, -planned.length) + outputSuffix(kind, format) : job.output;
}

export interface Plan {
  jobs: Job[];
  /** What the user may not expect: sub-folders left out without -r. */
  notes: string[];
}

/** A command line that cannot be planned at all (exit 2). */
export class PlanError extends Error {}

/**
 * Expands the command line's inputs (files, folders, globs, "-") into jobs
 * with their output paths. Never plans a write over an input.
 */
export async function planJobs(inputs: string[], output: string | undefined, kind: OutputKind, recursive: boolean): Promise<Plan> {
  const found: { path: string; root?: string; error?: string }[] = [];
  const notes: string[] = [];
  for (const input of inputs) {
    if (input === "-") {
      found.push({ path: "-" });
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const { images, folders } = await listFolder(input, recursive);
      if (folders > 0) notes.push(`${input}: skipped ${folders} sub-folder${folders === 1 ? "" : "s"} (-r descends into them)`);
      // Like a glob that matches nothing: a silent exit 0 would hide a wrong folder.
      if (images.length === 0) {
        found.push({ path: input, error: `no images in this folder${recursive ? "" : " (-r descends into sub-folders)"}` });
      }
      for (const path of images) found.push({ path, root: input });
    } else if (info?.isFile()) {
      found.push({ path: input });
    } else if (isDynamicPattern(input)) {
      const matches = (await glob(input, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) found.push({ path: input, error: "no files match this pattern" });
      for (const path of matches) if (!isOwnOutput(path)) found.push({ path });
    } else {
      found.push({ path: input, error: "no such file or folder" });
    }
  }

  const unique = dedupe(found);
  const single = unique.length === 1;
  const folderTarget = output !== undefined && output !== "-" && (await isFolderTarget(output));
  if (!single && output !== undefined && !folderTarget && (output === "-" || isImageFile(output))) {
    throw new PlanError(`-o ${output} names one file, but there are ${unique.length} inputs; give a folder (end it with /)`);
  }
  const toFolder = output !== undefined && output !== "-" && (!single || folderTarget);
  const inputPaths = new Set(unique.filter((f) => f.path !== "-").map((f) => resolve(f.path)));
  const claimed = new Map<string, string>();

  const jobs = unique.map(({ path, root, error }): Job => {
    const target = outputPath(path, root, output, toFolder, kind);
    const derived = output === undefined || toFolder;
    if (error) return { input: path, output: target, derived, error: new CutoutError("input_unreadable", error) };
    if (target !== "-") {
      const absolute = resolve(target);
      if (inputPaths.has(absolute)) {
        return {
          input: path,
          output: target,
          derived,
          error: new CutoutError("output_exists", `refusing to overwrite the input file ${target}`),
        };
      }
      const other = claimed.get(absolute);
      if (other) {
        return {
          input: path,
          output: target,
          derived,
          error: new CutoutError("output_exists", `its output ${target} would overwrite the output of ${other}`),
        };
      }
      claimed.set(absolute, path);
    }
    return { input: path, output: target, derived };
  });
  return { jobs, notes };
}

function outputPath(path: string, root: string | undefined, output: string | undefined, toFolder: boolean, kind: OutputKind): string {
  const suffix = outputSuffix(kind);
  if (path === "-") return output === undefined ? "-" : toFolder ? join(output, `stdin${suffix}`) : output;
  const stem = basename(path, extname(path)) + suffix;
  if (output === undefined) return join(dirname(path), stem);
  if (!toFolder) return output;
  // Folder inputs keep their tree under the output folder; single files land at its top.
  const sub = root === undefined ? "" : dirname(relative(root, path));
  return join(output, sub === "." ? "" : sub, stem);
}

async function isFolderTarget(output: string): Promise<boolean> {
  if (output.endsWith("/") || output.endsWith(sep)) return true;
  const info = await stat(output).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

async function listFolder(folder: string, recursive: boolean): Promise<{ images: string[]; folders: number }> {
  const entries = await readdir(folder, { withFileTypes: true, recursive });
  const images = entries
    .filter((e) => e.isFile() && isImageFile(e.name))
    .map((e) => join((e as { parentPath?: string; path?: string }).parentPath ?? (e as { path?: string }).path ?? folder, e.name))
    .sort();
  return { images, folders: recursive ? 0 : entries.filter((e) => e.isDirectory()).length };
}

function dedupe<T extends { path: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.path === "-" ? "-" : resolve(item.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
