/** The sentences both halves show: the selection line in the UI, a run's outcome in the UI and in Figma's toast. */
import type { RunSummary, SelectionSummary } from "./protocol.js";

export function describeSelection(summary: SelectionSummary): string {
  if (summary.images === 0) {
    return summary.withoutImage > 0
      ? "The selection has no image fills. Select layers that show a photo (a placed image is a rectangle with an image fill)."
      : "Select one or more layers with an image fill.";
  }
  const images = plural(summary.images, "image");
  const layers = summary.layers === summary.images ? "" : ` in ${plural(summary.layers, "layer")}`;
  const skipped = summary.withoutImage > 0 ? `; ${plural(summary.withoutImage, "selected layer")} without one` : "";
  return `${images}${layers} selected${skipped}`;
}

export function describeRun(summary: RunSummary): string {
  const done = `${summary.cancelled ? "Cancelled: " : ""}cut out ${plural(summary.done, "layer")}`;
  const failed = summary.failures.length > 0 ? `, ${summary.failures.length} failed` : "";
  const undo = summary.done > 0 ? ". Undo reverts the run in one step" : "";
  return `${done[0]!.toUpperCase()}${done.slice(1)}${failed}${undo}.`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
