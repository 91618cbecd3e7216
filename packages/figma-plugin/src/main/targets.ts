/**
 * From the selection to the work: which layers show an image, and which
 * distinct images they show. A photo placed in several layers is cut out
 * once and its result given to each of them.
 */
import type { SelectionSummary } from "../protocol.js";
import { type FigmaApi, type FilledNode, hasChildren, hasFills, type ImagePaint, type SceneNode } from "./figma-api.js";

/** A layer and the fill (index into its fills) whose image is cut out. */
export interface ImageTarget {
  nodeId: string;
  name: string;
  fillIndex: number;
}

/** One distinct image (by Figma's image hash) and every layer that shows it. */
export interface ImageWork {
  hash: string;
  targets: ImageTarget[];
}

export interface SelectionWork {
  images: ImageWork[];
  summary: SelectionSummary;
}

/**
 * The image a layer shows: its topmost visible IMAGE fill (Figma lists
 * paints bottom to top), or -1. Text with mixed fills has none.
 */
export function imageFillIndex(node: FilledNode, mixed: symbol): number {
  const fills = node.fills;
  if (fills === mixed || !Array.isArray(fills)) return -1;
  for (let i = fills.length - 1; i >= 0; i--) {
    const paint = fills[i] as ImagePaint;
    if (paint.type === "IMAGE" && paint.visible !== false && paint.imageHash) return i;
  }
  return -1;
}

/**
 * Every selected layer with an image fill, and inside every selected layer
 * without one (a group or frame of photos, say) each visible descendant
 * with one; descendants of a layer that is itself cut out are left to it.
 */
export function findImageWork(figma: Pick<FigmaApi, "mixed">, selection: readonly SceneNode[]): SelectionWork {
  const targets: { node: FilledNode; fillIndex: number }[] = [];
  const seen = new Set<string>();
  let withoutImage = 0;
  const take = (node: SceneNode): boolean => {
    if (!hasFills(node)) return false;
    const fillIndex = imageFillIndex(node, figma.mixed);
    if (fillIndex < 0) return false;
    if (!seen.has(node.id)) targets.push({ node, fillIndex });
    seen.add(node.id);
    return true;
  };
  for (const node of selection) {
    if (take(node)) continue;
    const before = targets.length;
    if (hasChildren(node)) visitVisible(node.children, take);
    if (targets.length === before) withoutImage++;
  }
  const byHash = new Map<string, ImageTarget[]>();
  for (const { node, fillIndex } of targets) {
    const hash = (node.fills as readonly ImagePaint[])[fillIndex]!.imageHash!;
    const list = byHash.get(hash) ?? [];
    list.push({ nodeId: node.id, name: node.name, fillIndex });
    byHash.set(hash, list);
  }
  const images = [...byHash].map(([hash, list]) => ({ hash, targets: list }));
  return { images, summary: { images: images.length, layers: targets.length, withoutImage } };
}

/** Depth first, in layer order; hidden layers and everything under a taken layer are skipped. */
function visitVisible(nodes: readonly SceneNode[], take: (node: SceneNode) => boolean): void {
  for (const node of nodes) {
    if (!node.visible) continue;
    if (take(node)) continue;
    if (hasChildren(node)) visitVisible(node.children as readonly SceneNode[], take);
  }
}
