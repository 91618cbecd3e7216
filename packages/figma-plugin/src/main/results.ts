/**
 * Puts a cutout back on the canvas, in the mode the user chose:
 * - replace: the image fill is swapped in place;
 * - non-destructive (default): the layer is grouped with a copy of itself
 *   that shows the cutout, and the original is hidden in that group, so
 *   showing it again restores it; where a layer cannot be duplicated or
 *   regrouped (a component, anything inside an instance) the original image
 *   is kept as a hidden fill under the cutout instead;
 * - mask: the layer is kept as it is and grouped above a mask layer showing
 *   the matte (a luminance mask: white shows, black hides).
 */
import type { ResultMode } from "../protocol.js";
import { type BaseNode, type FigmaApi, type FilledNode, hasFills, type ImagePaint, type SceneNode } from "./figma-api.js";
import { hideUnderCutout, matteFill, replaceImage } from "./fills.js";
import type { ImageTarget } from "./targets.js";

export interface Placed {
  /** The layer to select afterwards: the group, or the layer itself. */
  node: SceneNode;
  /** Set when the layer got its result differently than the mode says, and why. */
  note?: string;
}

/** A layer that cannot take its result; the message names it and says why. */
export class PlacementError extends Error {}

export interface Cutout {
  /** Figma's hash of the uploaded result (figma.createImage). */
  hash: string;
  /** The result's width over the original image's, when it was scaled to fit Figma's limit. */
  resized: number;
  /** The image hash the layer showed when the run began. */
  original: string;
}

export async function placeCutout(figma: FigmaApi, target: ImageTarget, cutout: Cutout, mode: ResultMode): Promise<Placed> {
  const node = await figma.getNodeByIdAsync(target.nodeId);
  if (!node || node.removed || !hasFills(node)) throw new PlacementError(`'${target.name}' was deleted during the run`);
  const fills = node.fills;
  const paint = fills === figma.mixed ? undefined : (fills[target.fillIndex] as ImagePaint | undefined);
  if (paint?.type !== "IMAGE" || paint.imageHash !== cutout.original) {
    throw new PlacementError(`'${node.name}' changed its image during the run and was left as it is`);
  }
  const current = fills as readonly ImagePaint[];
  if (mode === "replace") {
    node.fills = replaceImage(current, target.fillIndex, cutout.hash, cutout.resized);
    return { node };
  }
  if (mode === "mask") {
    if (fixedBy(node)) {
      throw new PlacementError(
        `'${node.name}' ${whyFixed(node)}, so no mask layer can be added next to it; use Replace or Non-destructive`,
      );
    }
    return { node: maskWithMatte(figma, node, paint, cutout) };
  }
  if (fixedBy(node) || node.type === "COMPONENT") {
    node.fills = hideUnderCutout(current, target.fillIndex, cutout.hash, cutout.resized);
    const why = node.type === "COMPONENT" ? "is a component (a copy would be a new component)" : whyFixed(node);
    return { node, note: `'${node.name}' ${why}: its original image is kept as a hidden fill under the cutout` };
  }
  return { node: groupWithCopy(figma, node, target.fillIndex, cutout) };
}

/** The layer's copy, showing the cutout, above the hidden original, in a group where the layer was. */
function groupWithCopy(figma: FigmaApi, node: FilledNode, fillIndex: number, cutout: Cutout): SceneNode {
  const name = node.name;
  const group = groupInPlace(figma, node);
  const copy = node.clone() as FilledNode;
  // appendChild keeps the copy's position relative to its new parent: the original's, in the same group.
  group.appendChild(copy);
  copy.fills = replaceImage(copy.fills as readonly ImagePaint[], fillIndex, cutout.hash, cutout.resized);
  node.name = `${name} (original)`;
  node.visible = false;
  return group;
}

/** The layer as it was, above a mask layer of its own shape that shows the matte. */
function maskWithMatte(figma: FigmaApi, node: FilledNode, paint: ImagePaint, cutout: Cutout): SceneNode {
  const group = groupInPlace(figma, node);
  const mask = maskShape(figma, node);
  group.insertChild(0, mask);
  mask.relativeTransform = node.relativeTransform;
  mask.name = "Cutout mask";
  mask.fills = [matteFill(paint, cutout.hash, cutout.resized)];
  mask.strokes = [];
  mask.effects = [];
  mask.opacity = 1;
  mask.blendMode = "NORMAL";
  mask.isMask = true;
  mask.maskType = "LUMINANCE";
  return group;
}

/** A group holding only the layer, where the layer was (its place in an auto layout included). */
function groupInPlace(figma: FigmaApi, node: FilledNode) {
  const parent = node.parent!;
  const group = figma.group([node], parent, parent.children.indexOf(node));
  group.name = node.name;
  return group;
}

/** A shape's own outline (a copy without its children, strokes or effects), or for a frame-like layer a rectangle with its size and corners. */
function maskShape(figma: FigmaApi, node: FilledNode) {
  switch (node.type) {
    case "RECTANGLE":
    case "ELLIPSE":
    case "POLYGON":
    case "STAR":
    case "VECTOR":
      return node.clone();
    default: {
      const rectangle = figma.createRectangle();
      rectangle.resize(Math.max(node.width, 0.01), Math.max(node.height, 0.01));
      if ("cornerRadius" in node && typeof node.cornerRadius === "number") rectangle.cornerRadius = node.cornerRadius;
      else if ("topLeftRadius" in node) {
        rectangle.topLeftRadius = node.topLeftRadius;
        rectangle.topRightRadius = node.topRightRadius;
        rectangle.bottomLeftRadius = node.bottomLeftRadius;
        rectangle.bottomRightRadius = node.bottomRightRadius;
      }
      return rectangle;
    }
  }
}

/** What keeps a layer from moving into a new group, if anything: being inside an instance, or a variant in a component set. */
function fixedBy(node: SceneNode): "instance" | "set" | undefined {
  if (node.parent?.type === "COMPONENT_SET") return "set";
  for (let parent: BaseNode | null = node.parent; parent; parent = parent.parent) {
    if (parent.type === "INSTANCE") return "instance";
  }
  return undefined;
}

function whyFixed(node: SceneNode): string {
  return fixedBy(node) === "set" ? "is a variant in a component set" : "is inside a component instance";
}
