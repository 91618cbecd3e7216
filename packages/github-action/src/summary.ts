/**
 * The job summary: one table row per image with before/after thumbnails,
 * sizes and timings, in the manner of calibreapp/image-actions' comment.
 *
 * GitHub's Markdown sanitiser drops `data:` image sources, so thumbnails
 * cannot be inlined; they link to the files in the repository instead. The
 * "before" image is the input at the commit that ran; the "after" image is the
 * output on the branch, which resolves once the workflow commits the cutouts
 * (the README's examples do). Outputs only uploaded as an artifact show as a
 * link that does not resolve; their sizes and times are still in the table.
 */

import type { EventPayload } from "./changed.js";
import type { Env } from "./runtime.js";

export interface FileResult {
  input: string;
  output: string;
  status: "processed" | "skipped" | "failed";
  inputBytes?: number;
  outputBytes?: number;
  width?: number;
  height?: number;
  /** Wall time for this image, model load included for the first. */
  ms?: number;
  error?: { code: string; message: string };
  /** Why an image was skipped. */
  reason?: string;
}

export interface SummaryContext {
  env: Env;
  event: EventPayload;
  model: string;
  engine: string;
  totalMs: number;
  /** A line about the selection, e.g. "only-changed: 2 of 5 images (abc...def)". */
  selection?: string;
}

/** At 1 MiB a step's summary is dropped whole; a few hundred rows stay far below. */
const MAX_ROWS = 250;
const SHOWN_BY_BROWSERS = new Set(["png", "jpg", "jpeg", "webp", "gif", "avif", "bmp", "svg"]);

export function renderSummary(results: FileResult[], ctx: SummaryContext): string {
  const count = (status: FileResult["status"]) => results.filter((r) => r.status === status).length;
  const lines: string[] = [];
  lines.push("## ✂️ Cutout", "");
  lines.push(
    `**${count("processed")}** cut out · **${count("skipped")}** skipped · **${count("failed")}** failed — model \`${ctx.model}\`, engine \`${ctx.engine}\`, ${seconds(ctx.totalMs)}`,
  );
  if (ctx.selection) lines.push("", ctx.selection);
  lines.push("");
  if (results.length === 0) {
    lines.push("No images matched.", "");
    return `${lines.join("\n")}\n`;
  }
  const links = linkBase(ctx.env, ctx.event);
  lines.push("| | Image | Before | After | Size | Time |", "| :-: | --- | :-: | :-: | --- | --: |");
  const order = { failed: 0, processed: 1, skipped: 2 } as const;
  const rows = [...results].sort((a, b) => order[a.status] - order[b.status] || a.input.localeCompare(b.input));
  for (const r of rows.slice(0, MAX_ROWS)) lines.push(row(r, links));
  if (rows.length > MAX_ROWS) lines.push("", `…and ${rows.length - MAX_ROWS} more: see the \`files\` output.`);
  if (links) {
    lines.push(
      "",
      `<sub>Before: the image at ${links.beforeLabel}. After: the cutout on ${links.afterLabel}, shown once the workflow commits it; cutouts kept only as an artifact do not show here.</sub>`,
    );
  }
  return `${lines.join("\n")}\n\n`;
}

interface Links {
  before(path: string): string;
  after(path: string): string;
  beforeLabel: string;
  afterLabel: string;
}

/** Links into the repository, when the run says which one: the input at the commit, the output on the branch. */
function linkBase(env: Env, event: EventPayload): Links | undefined {
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return undefined;
  const pr = event.pull_request;
  const headRepo = pr?.head?.repo?.full_name || repository;
  const sha = pr?.head?.sha || env.GITHUB_SHA;
  const branch = pr?.head?.ref || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  if (!sha || !branch) return undefined;
  const url = (repo: string, ref: string, path: string) =>
    `${server}/${repo}/blob/${encodeURIComponent(ref).replace(/%2F/g, "/")}/${path.split("/").map(encodeURIComponent).join("/")}?raw=true`;
  return {
    before: (path) => url(headRepo, sha, path),
    after: (path) => url(headRepo, branch, path),
    beforeLabel: `commit ${sha.slice(0, 7)}`,
    afterLabel: `branch \`${branch}\``,
  };
}

function row(r: FileResult, links: Links | undefined): string {
  const icon = r.status === "processed" ? "✅" : r.status === "skipped" ? "⏭️" : "❌";
  const name = r.status === "failed" ? code(r.input) : `${code(r.input)}<br>→ ${code(r.output)}`;
  const before = links && shown(r.input) ? thumb(links.before(r.input), "before") : "";
  const after = links && r.status !== "failed" && shown(r.output) ? thumb(links.after(r.output), "after") : "";
  let size = "";
  if (r.status === "processed") size = `${bytes(r.inputBytes)} → ${bytes(r.outputBytes)}${r.width ? ` (${r.width}×${r.height})` : ""}`;
  if (r.status === "skipped") size = html(r.reason ?? "up to date");
  if (r.status === "failed") size = html(r.error ? `${r.error.code}: ${r.error.message}` : "failed");
  const time = r.status === "processed" && r.ms !== undefined ? seconds(r.ms) : "";
  return `| ${icon} | ${name} | ${before} | ${after} | ${size} | ${time} |`;
}

function shown(path: string): boolean {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return SHOWN_BY_BROWSERS.has(ext);
}

function thumb(url: string, alt: string): string {
  const u = html(url);
  return `<a href="${u}"><img src="${u}" alt="${alt}" height="64"></a>`;
}

function code(text: string): string {
  return `<code>${html(text)}</code>`;
}

/** HTML-escaped, and `|` too, which would end the table cell. */
export function html(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\|/g, "&#124;")
    .replace(/\r?\n/g, " ");
}

export function bytes(n: number | undefined): string {
  if (n === undefined) return "?";
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
