/** A Markdown pipe table, padded so it also reads well in a terminal. Columns after the first are right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

export function millis(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : Math.round(ms).toString();
}
