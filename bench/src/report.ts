import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ImageScores, RegionScores } from "./metrics.js";
import { type RefineResult, reduction } from "./refine.js";
import type { SegmentRow, SegmentSweepRow } from "./segment.js";

/** A Markdown pipe table, padded so it also reads well in a terminal. Columns after the first are right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

type Metric = keyof ImageScores;

const SEGMENT_METRICS: { key: Metric; label: string; digits: number; higherIsBetter: boolean }[] = [
  { key: "iou", label: "IoU", digits: 4, higherIsBetter: true },
  { key: "boundaryIou", label: "Boundary IoU", digits: 4, higherIsBetter: true },
  { key: "mae", label: "MAE", digits: 4, higherIsBetter: false },
  { key: "sad", label: "SAD/1000", digits: 3, higherIsBetter: false },
  { key: "grad", label: "Grad/1000", digits: 3, higherIsBetter: false },
];

/** The issue's targets for whole images, as Cutout minus the baseline. */
export const SEGMENT_TARGETS: Partial<Record<Metric, { text: string; met: (delta: number) => boolean }>> = {
  iou: { text: ">= 0", met: (d) => d >= 0 },
  boundaryIou: { text: ">= +0.02", met: (d) => d >= 0.02 },
  mae: { text: "<= 0", met: (d) => d <= 0 },
};

export interface SegmentSummary {
  cutout: ImageScores & { ms: number };
  baseline?: ImageScores & { ms: number };
}

export function segmentTables(
  rows: SegmentRow[],
  summary: SegmentSummary,
  baselineName: string | undefined,
): { perImage: string; means: string } {
  const b = baselineName;
  const headers = ["image", "mask size"];
  for (const m of SEGMENT_METRICS) headers.push(b ? `${m.label} cutout` : m.label, ...(b ? [`${m.label} ${b}`] : []));
  headers.push(b ? "s cutout" : "s", ...(b ? [`s ${b}`] : []));
  const cells = (name: string, size: string, c: ImageScores & { ms: number }, base?: ImageScores & { ms: number }) => {
    const out = [name, size];
    for (const m of SEGMENT_METRICS) {
      out.push(c[m.key].toFixed(m.digits));
      if (b) out.push(base ? base[m.key].toFixed(m.digits) : "-");
    }
    out.push((c.ms / 1000).toFixed(2));
    if (b) out.push(base ? (base.ms / 1000).toFixed(2) : "-");
    return out;
  };
  const body = rows.map((r) => cells(r.name, `${r.mask.width}x${r.mask.height}`, r.cutout, r.baseline));
  body.push(cells(`**mean** (${rows.length})`, "", summary.cutout, summary.baseline));
  const perImage = table(headers, body);

  const meanRows = SEGMENT_METRICS.map((m) => {
    const c = summary.cutout[m.key];
    if (!b || !summary.baseline) return [m.label, c.toFixed(m.digits)];
    const base = summary.baseline[m.key];
    const delta = c - base;
    const target = SEGMENT_TARGETS[m.key];
    return [
      m.label,
      c.toFixed(m.digits),
      base.toFixed(m.digits),
      `${delta >= 0 ? "+" : ""}${delta.toFixed(m.digits)}`,
      target?.text ?? "-",
      target ? (target.met(delta) ? "yes" : "**no**") : "-",
    ];
  });
  meanRows.push(
    b && summary.baseline
      ? ["seconds per image", (summary.cutout.ms / 1000).toFixed(2), (summary.baseline.ms / 1000).toFixed(2), "", "-", "-"]
      : ["seconds per image", (summary.cutout.ms / 1000).toFixed(2)],
  );
  const means = table(b ? ["mean", "Cutout", b, "Cutout - baseline", "target", "met"] : ["mean", "Cutout"], meanRows);
  return { perImage, means };
}

/** Means of each guided-filter setting on whole photos, with the difference to the baseline where there is one. */
export function segmentSweepTable(rows: SegmentSweepRow[], baseline?: ImageScores): string {
  const keys = ["iou", "boundaryIou", "mae"] as const;
  const headers = ["radius", "eps", ...SEGMENT_METRICS.map((m) => m.label), ...(baseline ? keys.map((k) => `${label(k)} - baseline`) : [])];
  const body = rows.map((r) => [
    r.radius === null ? "auto" : r.radius === 0 ? "0 (none)" : String(r.radius),
    r.radius === 0 ? "" : String(r.eps),
    ...SEGMENT_METRICS.map((m) => r.mean[m.key].toFixed(m.digits)),
    ...(baseline ? keys.map((k) => signed(r.mean[k] - baseline[k], 4)) : []),
  ]);
  if (baseline) body.unshift(["baseline", "", ...SEGMENT_METRICS.map((m) => baseline[m.key].toFixed(m.digits)), ...keys.map(() => "")]);
  return table(headers, body);
}

function label(key: Metric): string {
  return SEGMENT_METRICS.find((m) => m.key === key)?.label ?? key;
}

function signed(v: number, digits: number): string {
  return `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`;
}

const REGION_METRICS: { key: keyof RegionScores; label: string; digits: number; target?: number }[] = [
  { key: "sad", label: "SAD/1000", digits: 3, target: 25 },
  { key: "mse", label: "MSE", digits: 5 },
  { key: "grad", label: "Grad/1000", digits: 3, target: 25 },
];

export function refineTables(result: RefineResult): { perCrop: string; means: string; sweep?: string } {
  const { rows } = result;
  const headers = ["crop", "unknown px"];
  for (const m of REGION_METRICS) headers.push(`${m.label} bilinear`, `${m.label} refined`);
  const cells = (name: string, unknown: string, bl: RegionScores, rf: RegionScores) => {
    const out = [name, unknown];
    for (const m of REGION_METRICS) out.push(bl[m.key].toFixed(m.digits), rf[m.key].toFixed(m.digits));
    return out;
  };
  const bilinear = meanScores(rows.map((r) => r.bilinear));
  const refined = meanScores(rows.map((r) => r.refined));
  const body = rows.map((r) => cells(r.name, String(r.unknown), r.bilinear, r.refined));
  body.push(
    cells(
      `**mean** (${rows.length})`,
      String(Math.round(rows.reduce((s, r) => s + r.unknown, 0) / Math.max(1, rows.length))),
      bilinear,
      refined,
    ),
  );
  const perCrop = table(headers, body);

  const { radius, eps } = result.engineParams;
  const means = table(
    [
      "mean",
      "bilinear upscale",
      `refineMatte (r ${Array.isArray(radius) ? radius.join("/") : radius}, eps ${eps})`,
      "reduction",
      "target",
      "met",
    ],
    REGION_METRICS.map((m) => {
      const r = reduction(bilinear[m.key], refined[m.key]);
      return [
        m.label,
        bilinear[m.key].toFixed(m.digits),
        refined[m.key].toFixed(m.digits),
        `${r.toFixed(1)}%`,
        m.target === undefined ? "-" : `>= ${m.target}%`,
        m.target === undefined ? "-" : r >= m.target ? "yes" : "**no**",
      ];
    }),
  );
  if (result.sweep.length === 0) return { perCrop, means };
  const sweepRows = [
    ["bilinear", "", ...REGION_METRICS.map((m) => bilinear[m.key].toFixed(m.digits)), ...REGION_METRICS.map(() => "")],
    ...result.sweep.map((s) => [
      s.radius === null ? `auto (${Array.isArray(radius) ? radius.join("/") : radius})` : String(s.radius),
      String(s.eps),
      ...REGION_METRICS.map((m) => s.mean[m.key].toFixed(m.digits)),
      ...REGION_METRICS.map((m) => `${reduction(bilinear[m.key], s.mean[m.key]).toFixed(1)}%`),
    ]),
  ];
  const sweep = table(
    ["radius", "eps", ...REGION_METRICS.map((m) => m.label), ...REGION_METRICS.map((m) => `${m.label} reduction`)],
    sweepRows,
  );
  return { perCrop, means, sweep };
}

export function meanScores(rows: RegionScores[]): RegionScores {
  const n = Math.max(1, rows.length);
  return {
    sad: rows.reduce((s, r) => s + r.sad, 0) / n,
    mse: rows.reduce((s, r) => s + r.mse, 0) / n,
    grad: rows.reduce((s, r) => s + r.grad, 0) / n,
  };
}

const PREAMBLE = `# Quality

Produced by \`pnpm eval\` (bench/, a private workspace package). Each section
below is rewritten by \`--write-docs\` for the mode it ran; the command that
produced it is given with it. The evaluation images are read in place from
\`../shared/eval/\` and are not part of this repository (their licences are
research or internal use only): only file names and scores appear here.

## Metrics

All on alpha in 0..1, at the ground-truth mask's size: the prediction is
resized to the mask (area-averaged along an axis that shrinks, bilinear along
one that grows).

- **IoU**: intersection over union of prediction and ground truth, both
  thresholded at alpha >= 0.5 (1 when both are empty).
- **Boundary IoU** (Cheng et al., CVPR 2021): IoU of the two masks' inner
  boundary bands, each the mask minus its erosion by a square of half-width
  d = round(3% of the image diagonal); pixels outside the image count as
  background, as in the reference code.
- **MAE**: mean absolute alpha difference.
- **SAD/1000**: sum of absolute alpha differences, divided by 1000.
- **MSE**: mean squared alpha difference.
- **Grad/1000**: gradient error of the matting literature (Rhemann et al.
  2009; the Deep Image Matting evaluation code): gradient magnitudes by
  first-derivative-of-Gaussian filters with sigma 1.4 (9 taps, unit L2 norm,
  borders replicated), then the sum of (|grad pred| - |grad gt|)^2 over the
  scored pixels, divided by 1000.

Whole images are scored over every pixel. Edge refinement is scored inside
the trimap's unknown region only (grey pixels: values 64..191).
`;

/** Writes (or replaces) one section of docs/quality.md, leaving the others alone. */
export async function writeQualityDocs(root: string, heading: string, body: string): Promise<string> {
  const file = path.join(root, "docs", "quality.md");
  const section = `${heading}\n\n${body.trimEnd()}\n`;
  let text = existsSync(file) ? await readFile(file, "utf8") : PREAMBLE;
  const start = text.indexOf(`${heading}\n`);
  if (start >= 0) {
    const next = text.indexOf("\n## ", start + heading.length);
    text = text.slice(0, start) + section + (next >= 0 ? `\n${text.slice(next + 1)}` : "");
  } else {
    text = `${text.trimEnd()}\n\n${section}`;
  }
  await writeFile(file, text);
  return file;
}
