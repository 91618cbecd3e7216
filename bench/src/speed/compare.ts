import path from "node:path";
import sharp from "sharp";
import type { Photo } from "./photos.js";
import type { ColdReport, ImglyReport, WarmReport } from "./protocol.js";
import type { ChildRun } from "./spawn-child.js";
import { median } from "./stats.js";
import { seconds, table } from "./table.js";

/** One photo, Cutout beside imgly (same weights, same photo, same machine, minutes apart). */
export interface CompareRow {
  label: string;
  megapixels: number;
  /** Which engine ran first for this photo (they alternate, to spread drift in machine load). */
  first: "cutout" | "imgly";
  cutout: EngineNumbers & { bareMedianMs: number; e2eOverBare: number };
  imgly: EngineNumbers;
}

export interface EngineNumbers {
  coldFirstResultMs: number;
  warmMedianMs: number;
  warmMs: number[];
  /** Images per second for the batch; NaN when no batch ran. */
  throughput: number;
  peakRssMB: number;
}

export function compareRow(
  photo: Photo,
  first: "cutout" | "imgly",
  cold: ChildRun<ColdReport>,
  warm: ChildRun<WarmReport>,
  imgly: ChildRun<ImglyReport>,
): CompareRow {
  const w = warm.report;
  const i = imgly.report;
  const ips = (b: { images: number; ms: number } | undefined) => (b === undefined ? Number.NaN : b.images / (b.ms / 1000));
  return {
    label: photo.label,
    megapixels: photo.megapixels ?? Number.NaN,
    first,
    cutout: {
      coldFirstResultMs: cold.report.firstResultMs,
      warmMedianMs: median(w.e2eMs),
      warmMs: w.e2eMs,
      throughput: ips(w.batch),
      peakRssMB: mb(Math.max(w.peakRssKiB, w.batch?.peakRssKiB ?? 0)),
      bareMedianMs: median(w.bareMs),
      e2eOverBare: median(w.e2eMs.map((e, k) => e / w.bareMs[k])),
    },
    imgly: {
      coldFirstResultMs: i.firstResultMs,
      warmMedianMs: median(i.e2eMs),
      warmMs: i.e2eMs,
      throughput: ips(i.batch),
      peakRssMB: mb(Math.max(i.peakRssKiB, i.batch?.peakRssKiB ?? 0)),
    },
  };
}

function mb(kib: number): number {
  return (kib * 1024) / 1e6;
}

const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : "–");
const ips = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");

/** The side-by-side tables (Markdown). Ratios are Cutout / imgly: below 1.00 Cutout is faster (or smaller); for throughput above 1.00 is better. */
export function renderCompare(rows: CompareRow[]): string {
  const times = table(
    ["photo", "cold: Cutout (s)", "cold: imgly (s)", "cold ratio", "warm: Cutout (s)", "warm: imgly (s)", "warm ratio"],
    rows.map((r) => [
      r.label,
      seconds(r.cutout.coldFirstResultMs),
      seconds(r.imgly.coldFirstResultMs),
      ratio(r.cutout.coldFirstResultMs, r.imgly.coldFirstResultMs),
      seconds(r.cutout.warmMedianMs),
      seconds(r.imgly.warmMedianMs),
      ratio(r.cutout.warmMedianMs, r.imgly.warmMedianMs),
    ]),
  );
  const batch = table(
    [
      "photo",
      "batch: Cutout (img/s)",
      "batch: imgly (img/s)",
      "throughput ratio",
      "peak RSS: Cutout (MB)",
      "peak RSS: imgly (MB)",
      "RSS ratio",
      "Cutout e2e / bare",
    ],
    rows.map((r) => [
      r.label,
      ips(r.cutout.throughput),
      ips(r.imgly.throughput),
      ratio(r.cutout.throughput, r.imgly.throughput),
      Math.round(r.cutout.peakRssMB).toString(),
      Math.round(r.imgly.peakRssMB).toString(),
      ratio(r.cutout.peakRssMB, r.imgly.peakRssMB),
      r.cutout.e2eOverBare.toFixed(2),
    ]),
  );
  return [times, "", batch].join("\n");
}

/** A grouped bar chart of warm latency per photo size, Cutout vs imgly, as an SVG string. */
export function chartSvg(rows: CompareRow[], title: string): string {
  const W = 760;
  const H = 380;
  const left = 64;
  const bottom = 60;
  const top = 48;
  const plotH = H - top - bottom;
  const plotW = W - left - 24;
  const max = Math.max(...rows.flatMap((r) => [r.cutout.warmMedianMs, r.imgly.warmMedianMs])) / 1000;
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (s: number) => top + plotH - (s / yMax) * plotH;
  const group = plotW / rows.length;
  const bar = Math.min(56, group / 3);
  const parts: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(`<line x1="${left}" x2="${W - 24}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12">${v.toFixed(step < 1 ? 1 : 0)}</text>`);
  }
  rows.forEach((r, k) => {
    const cx = left + group * (k + 0.5);
    const bars: [number, string, string][] = [
      [r.cutout.warmMedianMs / 1000, "#2f7de1", "Cutout"],
      [r.imgly.warmMedianMs / 1000, "#f08a24", "imgly"],
    ];
    bars.forEach(([v, color], j) => {
      const x = cx - bar + j * bar;
      parts.push(`<rect x="${x + 2}" y="${y(v)}" width="${bar - 4}" height="${y(0) - y(v)}" fill="${color}"/>`);
      parts.push(`<text x="${x + bar / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="11">${v.toFixed(2)}</text>`);
    });
    parts.push(`<text x="${cx}" y="${H - bottom + 20}" text-anchor="middle" font-size="13">${xmlEscape(r.label)}</text>`);
  });
  parts.push(
    `<text x="16" y="${top + plotH / 2}" font-size="12" transform="rotate(-90 16 ${top + plotH / 2})" text-anchor="middle">seconds (median, warm)</text>`,
  );
  parts.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${xmlEscape(title)}</text>`);
  parts.push(
    `<rect x="${W - 200}" y="${H - 28}" width="12" height="12" fill="#2f7de1"/><text x="${W - 184}" y="${H - 18}" font-size="12">Cutout</text>`,
  );
  parts.push(
    `<rect x="${W - 120}" y="${H - 28}" width="12" height="12" fill="#f08a24"/><text x="${W - 104}" y="${H - 18}" font-size="12">imgly 1.4.5</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`;
}

function niceStep(max: number): number {
  for (const s of [0.25, 0.5, 1, 2, 5, 10]) if (max / s <= 8) return s;
  return 20;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** Renders the chart to a PNG with sharp (librsvg inside libvips). */
export async function writeChart(root: string, rows: CompareRow[], title: string, name = "benchmarks.png"): Promise<string> {
  const file = path.join(root, "docs", name);
  await sharp(Buffer.from(chartSvg(rows, title)))
    .png()
    .toFile(file);
  return file;
}
