/**
 * The part of Figma's plugin API the main thread uses, in @figma/plugin-typings'
 * own types (imported as a module, so its globals do not leak into the rest
 * of the workspace). The tests run the plugin against a double of exactly
 * this surface (test/figma-double.ts).
 */
import type {
  BaseNode,
  ChildrenMixin,
  FrameNode,
  ImagePaint,
  MinimalFillsMixin,
  Paint,
  PluginAPI,
  SceneNode,
} from "@figma/plugin-typings/plugin-api-standalone";

export type { BaseNode, ChildrenMixin, FrameNode, ImagePaint, Paint, PluginAPI, SceneNode };

export type FigmaApi = Pick<
  PluginAPI,
  | "currentPage"
  | "getImageByHash"
  | "createImage"
  | "createRectangle"
  | "group"
  | "getNodeByIdAsync"
  | "commitUndo"
  | "clientStorage"
  | "ui"
  | "showUI"
  | "notify"
  | "on"
  | "mixed"
>;

/**
 * The sandbox's fetch (a global in @figma/plugin-typings' index.d.ts, not in
 * its module): bodies as bytes or text, headers as plain objects, no CORS.
 */
export type FigmaFetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string },
) => Promise<{ status: number; statusText: string; headersObject: Record<string, string>; arrayBuffer(): Promise<ArrayBuffer> }>;

/** A scene node that can carry fills (rectangles, ellipses, vectors, frames, components, instances...). */
export type FilledNode = SceneNode & MinimalFillsMixin;

export function hasFills(node: BaseNode): node is FilledNode {
  return "fills" in node;
}

export function hasChildren(node: BaseNode): node is BaseNode & ChildrenMixin {
  return "children" in node;
}
