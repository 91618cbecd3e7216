import { execFile } from "node:child_process";

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args.join(" ")} failed${exitCode === null ? "" : ` (exit ${exitCode})`}: ${stderr.trim() || "no message"}`);
    this.name = "GitError";
  }
}

/** Runs git in `cwd` and returns its standard output; rejects with git's own message. */
export function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code as number) : null;
        reject(new GitError(args, stderr || error.message, code));
      } else resolve(stdout);
    });
  });
}

/** NUL-separated output (`-z`) as a list, without the empty tail. */
export function splitNul(text: string): string[] {
  return text.split("\0").filter((part) => part !== "");
}

/** True when the object exists here as a commit (a shallow clone lacks older ones). */
export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  try {
    await git(cwd, ["cat-file", "-e", `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}
