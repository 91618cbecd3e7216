/**
 * A double of the part of Figma's plugin API the main thread uses
 * (src/main/figma-api.ts), faithful to @figma/plugin-typings and Figma's
 * documented behaviour where the plugin depends on it:
 * - paints and fills arrays are frozen: a change is a new array, assigned whole;
 *   an IMAGE paint must name a known image hash and valid properties;
 * - figma.createImage takes PNG, JPEG or GIF up to 4096 px a side and throws
 *   "Image is too large" / "Image type is unsupported" otherwise;
 * - figma.getImageByHash returns an Image (getBytesAsync, getSizeAsync) or null;
 * - figma.group keeps its nodes' absolute positions and refuses nodes that
 *   cannot be reparented (children of instances); empty groups delete themselves;
 * - clone() parents the duplicate under figma.currentPage; appendChild and
 *   insertChild keep the relative position; nothing is inserted into an instance;
 * - "documentAccess": "dynamic-page": getNodeById throws, getNodeByIdAsync works;
 * - every change since the last figma.commitUndo() is one undo step (`undo()` here plays Cmd+Z);
 * - clientStorage keeps structured clones within Figma's 5 MB per plugin.
 * No Figma code is involved: Figma's host API cannot run outside Figma.
 */
import { createHash } from "node:crypto";
import type { FigmaApi, PluginAPI } from "../src/main/figma-api.js";

type Transform = [[number, number, number], [number, number, number]];
type Paint = Record<string, unknown> & { type: string };

const IDENTITY: Transform = [
  [1, 0, 0],
  [0, 1, 0],
];
const CLIENT_STORAGE_LIMIT = 5 * 1024 * 1024;
const MAX_IMAGE_SIDE = 4096;
const PAINT_TYPES = new Set([
  "SOLID",
  "GRADIENT_LINEAR",
  "GRADIENT_RADIAL",
  "GRADIENT_ANGULAR",
  "GRADIENT_DIAMOND",
  "IMAGE",
  "VIDEO",
  "PATTERN",
]);
const IMAGE_PAINT_KEYS = new Set([
  "type",
  "scaleMode",
  "imageHash",
  "imageTransform",
  "scalingFactor",
  "rotation",
  "filters",
  "visible",
  "opacity",
  "blendMode",
  "boundVariables",
]);
const SCALE_MODES = new Set(["FILL", "FIT", "CROP", "TILE"]);
const MASK_TYPES = new Set(["ALPHA", "VECTOR", "LUMINANCE"]);
/** Types whose children a plugin may not rearrange. */
const FIXED_CHILDREN = new Set(["INSTANCE"]);
const CONTAINERS = new Set(["PAGE", "FRAME", "GROUP", "COMPONENT", "COMPONENT_SET", "INSTANCE", "SECTION", "BOOLEAN_OPERATION"]);
const WITH_FILLS = new Set(["FRAME", "COMPONENT", "INSTANCE", "RECTANGLE", "ELLIPSE", "POLYGON", "STAR", "VECTOR", "TEXT", "SECTION"]);

/** Properties every scene node has, each with the check Figma makes when one is set (every change is journaled for undo). */
const PLAIN_PROPERTIES: Record<string, (value: unknown) => unknown> = {
  name: String,
  visible: Boolean,
  isMask: Boolean,
  blendMode: (value) => value,
  opacity: (value) => {
    if (typeof value !== "number" || !(value >= 0 && value <= 1))
      throw new Error(`in set_opacity: Expected a number between 0 and 1, got ${value}`);
    return value;
  },
  maskType: (value) => {
    if (!MASK_TYPES.has(value as string)) throw new Error(`in set_maskType: Invalid enum value '${value}'`);
    return value;
  },
  effects: (value) => Object.freeze([...(value as unknown[])]),
};

export class ImageDouble {
  constructor(
    readonly hash: string,
    private readonly bytes: Uint8Array,
    private readonly size: { width: number; height: number },
  ) {}
  async getBytesAsync(): Promise<Uint8Array> {
    return this.bytes.slice();
  }
  async getSizeAsync(): Promise<{ width: number; height: number }> {
    return { ...this.size };
  }
}

/** A scene node, page or document. Only what the plugin touches is modelled; reading anything else is undefined. */
export class NodeDouble {
  parent: NodeDouble | null = null;
  removed = false;
  readonly childList: NodeDouble[] = [];
  private readonly props: Record<string, unknown>;

  constructor(
    private readonly figma: FigmaDouble,
    readonly id: string,
    readonly type: string,
    props: Record<string, unknown>,
  ) {
    this.props = {
      name: type[0] + type.slice(1).toLowerCase(),
      visible: true,
      opacity: 1,
      blendMode: type === "GROUP" || type === "FRAME" ? "PASS_THROUGH" : "NORMAL",
      isMask: false,
      maskType: "ALPHA",
      relativeTransform: IDENTITY,
      width: 100,
      height: 100,
      strokes: [],
      effects: [],
      ...(WITH_FILLS.has(type) ? { fills: [] } : {}),
      ...(type === "RECTANGLE" || type === "FRAME" || type === "COMPONENT" || type === "INSTANCE" ? { cornerRadius: 0 } : {}),
    };
    for (const [key, value] of Object.entries(props)) this.props[key] = key === "fills" ? freezePaints(this.checkPaints(value)) : value;
    // Properties only some node types have are the instance's own, so `"fills" in node` answers as in Figma.
    const own = (key: string, get: () => unknown, set?: (value: never) => void) =>
      Object.defineProperty(this, key, { get, set, enumerable: true, configurable: false });
    for (const [key, check] of Object.entries(PLAIN_PROPERTIES)) {
      own(
        key,
        () => this.props[key],
        (value: unknown) => this.write(key, check(value)),
      );
    }
    own(
      "strokes",
      () => this.props.strokes,
      (value: readonly Paint[]) => this.write("strokes", freezePaints(this.checkPaints(value))),
    );
    if ("fills" in this.props) {
      own(
        "fills",
        () => this.props.fills,
        (value: readonly Paint[]) => this.write("fills", freezePaints(this.checkPaints(value))),
      );
    }
    if ("cornerRadius" in this.props) {
      own(
        "cornerRadius",
        () => this.props.cornerRadius,
        (value: number) => this.write("cornerRadius", value),
      );
    }
    if (CONTAINERS.has(type) || type === "DOCUMENT") own("children", () => Object.freeze([...this.childList]));
    if (type === "PAGE") {
      own(
        "selection",
        () => Object.freeze([...((this.props.selection as NodeDouble[] | undefined) ?? [])]),
        (nodes: readonly NodeDouble[]) => this.select(nodes),
      );
    }
  }

  declare name: string;
  declare visible: boolean;
  declare opacity: number;
  declare blendMode: string;
  declare isMask: boolean;
  declare maskType: string;
  declare effects: readonly unknown[];
  declare strokes: readonly Paint[];
  declare fills: readonly Paint[] | symbol;
  declare readonly children: readonly NodeDouble[];
  declare cornerRadius: number;
  declare selection: readonly NodeDouble[];

  private select(nodes: readonly NodeDouble[]): void {
    for (const node of nodes) {
      if (node.removed || node.page !== this) throw new Error("in set_selection: Node is not on this page");
    }
    this.props.selection = [...new Set(nodes)];
    this.figma.emit("selectionchange");
  }

  get relativeTransform(): Transform {
    return copyTransform(this.props.relativeTransform as Transform);
  }
  set relativeTransform(value: Transform) {
    this.write("relativeTransform", copyTransform(value));
  }
  get x(): number {
    return this.relativeTransform[0][2];
  }
  get y(): number {
    return this.relativeTransform[1][2];
  }
  get width(): number {
    return this.props.width as number;
  }
  get height(): number {
    return this.props.height as number;
  }
  get absoluteTransform(): Transform {
    const own = this.relativeTransform;
    if (!this.parent || this.parent.type === "PAGE" || this.parent.type === "DOCUMENT") return own;
    return multiply(this.parent.absoluteTransform, own);
  }
  resize(width: number, height: number): void {
    if (!(width >= 0.01 && height >= 0.01)) throw new Error("in resize: Expected width and height >= 0.01");
    this.write("width", width);
    this.write("height", height);
  }

  clone(): NodeDouble {
    this.assertLive();
    const copy = this.copyTree();
    this.figma.currentPage.adopt(copy, this.figma.currentPage.childList.length);
    return copy;
  }

  remove(): void {
    this.assertLive();
    const parent = this.parent!;
    const index = parent.childList.indexOf(this);
    parent.childList.splice(index, 1);
    this.removed = true;
    this.figma.journal(() => {
      this.removed = false;
      parent.childList.splice(index, 0, this);
    });
  }

  appendChild(child: NodeDouble): void {
    this.insertChild(this.childList.length, child);
  }

  insertChild(index: number, child: NodeDouble): void {
    this.assertLive();
    if (!CONTAINERS.has(this.type)) throw new Error(`${this.type} cannot have children`);
    if (FIXED_CHILDREN.has(this.type) || this.insideInstance()) throw new Error("Cannot add children to an instance");
    child.assertReparentable();
    this.adopt(child, index);
  }

  findAll(callback?: (node: NodeDouble) => boolean): NodeDouble[] {
    const found: NodeDouble[] = [];
    const visit = (node: NodeDouble) => {
      for (const child of node.childList) {
        if (!callback || callback(child)) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }

  get page(): NodeDouble | null {
    let node: NodeDouble | null = this.parent;
    while (node && node.type !== "PAGE") node = node.parent;
    return node;
  }

  /** Moves `child` here at `index`, keeping its relative transform, journaled. */
  adopt(child: NodeDouble, index: number): void {
    const from = child.parent;
    const fromIndex = from ? from.childList.indexOf(child) : -1;
    if (from) from.childList.splice(fromIndex, 1);
    const at = Math.max(0, Math.min(index, this.childList.length));
    this.childList.splice(at, 0, child);
    child.parent = this;
    this.figma.journal(() => {
      this.childList.splice(this.childList.indexOf(child), 1);
      child.parent = from;
      if (from) from.childList.splice(fromIndex, 0, child);
    });
    if (from && from.type === "GROUP" && from.childList.length === 0 && !from.removed) from.remove();
  }

  assertReparentable(): void {
    if (this.insideInstance()) throw new Error("Cannot move node. Node is inside of an instance");
    if (this.type === "PAGE" || this.type === "DOCUMENT") throw new Error(`Cannot move a ${this.type}`);
  }

  insideInstance(): boolean {
    for (let node = this.parent; node; node = node.parent) if (node.type === "INSTANCE") return true;
    return false;
  }

  /** A plain copy of the tree, for comparing states. */
  toJSON(): unknown {
    const { selection: _selection, ...props } = this.props;
    return { type: this.type, ...props, children: this.childList.map((child) => child.toJSON()) };
  }

  setRaw(key: string, value: unknown): void {
    this.props[key] = value;
  }

  private copyTree(): NodeDouble {
    const { selection: _selection, ...props } = this.props;
    const copy = this.figma.makeNode(this.type, props);
    for (const child of this.childList) {
      const childCopy = child.copyTree();
      childCopy.parent = copy;
      copy.childList.push(childCopy);
    }
    return copy;
  }

  private write(key: string, value: unknown): void {
    this.assertLive();
    const before = this.props[key];
    this.props[key] = value;
    this.figma.journal(() => {
      this.props[key] = before;
    });
  }

  private assertLive(): void {
    if (this.removed) throw new Error(`The node with id ${JSON.stringify(this.id)} does not exist`);
  }

  private checkPaints(value: unknown): Paint[] {
    if (!Array.isArray(value)) throw new Error("in set_fills: Expected an array of paints");
    return value.map((paint: Paint) => {
      if (!paint || typeof paint !== "object" || !PAINT_TYPES.has(paint.type))
        throw new Error(`in set_fills: Invalid paint type ${paint?.type}`);
      if (paint.type !== "IMAGE") return { ...paint };
      for (const key of Object.keys(paint)) {
        if (!IMAGE_PAINT_KEYS.has(key)) throw new Error(`in set_fills: Unrecognized key(s) in object: '${key}'`);
      }
      if (!SCALE_MODES.has(paint.scaleMode as string)) throw new Error(`in set_fills: Invalid scaleMode ${String(paint.scaleMode)}`);
      const hash = paint.imageHash;
      if (hash !== null && (typeof hash !== "string" || !this.figma.getImageByHash(hash))) {
        throw new Error(`in set_fills: Image with hash ${String(hash)} does not exist`);
      }
      return { ...paint };
    });
  }
}

class ClientStorageDouble {
  private readonly entries = new Map<string, unknown>();

  async getAsync(key: string): Promise<unknown> {
    return this.entries.has(key) ? structuredClone(this.entries.get(key)) : undefined;
  }
  async setAsync(key: string, value: unknown): Promise<void> {
    const next = new Map(this.entries).set(key, structuredClone(value));
    const used = [...next].reduce((sum, [k, v]) => sum + k.length + sizeOf(v), 0);
    if (used > CLIENT_STORAGE_LIMIT) throw new Error("Cannot set value: client storage quota (5 MB) exceeded");
    this.entries.set(key, structuredClone(value));
  }
  async deleteAsync(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async keysAsync(): Promise<string[]> {
    return [...this.entries.keys()];
  }
}

/** figma.ui: what the plugin posts is kept (as the iframe would receive a structured clone); `send` plays the iframe posting back. */
class UiDouble {
  onmessage: ((message: unknown, props: { origin: string }) => void) | undefined;
  readonly received: unknown[] = [];
  private readonly listeners: ((message: unknown) => void)[] = [];

  postMessage(message: unknown): void {
    const copy = structuredClone(message);
    this.received.push(copy);
    for (const listener of this.listeners) listener(copy);
  }
  /** The UI posting `parent.postMessage({ pluginMessage }, "*")`. */
  send(message: unknown): void {
    this.onmessage?.(structuredClone(message), { origin: "null" });
  }
  /** Test hook: called with every message the plugin posts to the UI. */
  listen(listener: (message: unknown) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }
}

export class FigmaDouble {
  readonly mixed: symbol = Symbol("figma.mixed");
  readonly root: NodeDouble;
  currentPage: NodeDouble;
  readonly clientStorage = new ClientStorageDouble();
  readonly ui = new UiDouble();
  readonly notifications: { message: string; error: boolean }[] = [];
  shownUi: { html: string; options: unknown } | undefined;
  /** Undo steps, oldest first; `pending` holds the changes since the last commit. */
  readonly undoSteps: (() => void)[][] = [];
  private pending: (() => void)[] = [];
  private readonly images = new Map<string, ImageDouble>();
  private readonly handlers = new Map<string, (() => void)[]>();
  private nextId = 1;
  private replaying = false;

  constructor() {
    this.root = new NodeDouble(this, "0:0", "DOCUMENT", {});
    this.currentPage = this.makeNode("PAGE", { name: "Page 1" });
    this.currentPage.parent = this.root;
    this.root.childList.push(this.currentPage);
  }

  /** The double as the plugin sees it. */
  get api(): FigmaApi {
    return this as unknown as FigmaApi;
  }

  // The plugin API.
  showUI(html: string, options?: unknown): void {
    this.shownUi = { html, options };
  }
  notify(message: string, options?: { error?: boolean }): { cancel(): void } {
    this.notifications.push({ message, error: options?.error === true });
    return { cancel() {} };
  }
  on(type: string, callback: () => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), callback]);
  }
  commitUndo(): void {
    if (this.pending.length > 0) this.undoSteps.push(this.pending);
    this.pending = [];
  }
  getImageByHash(hash: string): ImageDouble | null {
    return this.images.get(hash) ?? null;
  }
  createImage(data: Uint8Array): ImageDouble {
    if (!(data instanceof Uint8Array)) throw new Error("in createImage: Expected a Uint8Array");
    const size = imageSize(data);
    if (!size) throw new Error("Image type is unsupported");
    if (size.width < 1 || size.height < 1) throw new Error("Image is too small");
    if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) throw new Error("Image is too large");
    const hash = createHash("sha1").update(data).digest("hex");
    const image = this.images.get(hash) ?? new ImageDouble(hash, data.slice(), size);
    this.images.set(hash, image);
    return image;
  }
  createRectangle(): NodeDouble {
    const rectangle = this.makeNode("RECTANGLE", { name: "Rectangle", fills: [{ type: "SOLID", color: { r: 0.85, g: 0.85, b: 0.85 } }] });
    this.currentPage.adopt(rectangle, this.currentPage.childList.length);
    return rectangle;
  }
  group(nodes: readonly NodeDouble[], parent: NodeDouble, index?: number): NodeDouble {
    if (nodes.length === 0) throw new Error("in group: First argument must be an array of at least one node");
    for (const node of nodes) node.assertReparentable();
    if (FIXED_CHILDREN.has(parent.type) || parent.insideInstance()) throw new Error("in group: Cannot add children to an instance");
    const absolute = nodes.map((node) => node.absoluteTransform);
    const box = bounds(nodes.map((node, i) => ({ transform: absolute[i]!, width: node.width, height: node.height })));
    const group = this.makeNode("GROUP", { name: "Group" });
    parent.adopt(group, index ?? parent.childList.length);
    const parentAbsolute = parent.type === "PAGE" ? IDENTITY : parent.absoluteTransform;
    const origin = multiply(invert(parentAbsolute), [
      [1, 0, box.x],
      [0, 1, box.y],
    ]);
    group.relativeTransform = origin;
    group.setRaw("width", box.width);
    group.setRaw("height", box.height);
    nodes.forEach((node, i) => {
      group.adopt(node, group.childList.length);
      node.relativeTransform = multiply(invert(group.absoluteTransform), absolute[i]!);
    });
    return group;
  }
  async getNodeByIdAsync(id: string): Promise<NodeDouble | null> {
    const find = (node: NodeDouble): NodeDouble | null => {
      if (node.id === id) return node;
      for (const child of node.childList) {
        const found = find(child);
        if (found) return found;
      }
      return null;
    };
    return find(this.root);
  }
  getNodeById(_id: string): never {
    throw new Error("Cannot call getNodeById with documentAccess: dynamic-page. Use figma.getNodeByIdAsync instead.");
  }

  // Test hooks.
  /** Adds a node under `parent` (the current page by default), outside undo history: the document as it was opened. */
  add(type: string, props: Record<string, unknown> = {}, parent: NodeDouble = this.currentPage): NodeDouble {
    const node = this.makeNode(type, props);
    node.parent = parent;
    parent.childList.push(node);
    return node;
  }
  /** An image as if the user had placed it (no undo step). */
  addImage(bytes: Uint8Array): string {
    return this.createImage(bytes).hash;
  }
  /** The user selecting layers. */
  select(...nodes: NodeDouble[]): void {
    this.currentPage.selection = nodes;
  }
  /** The user pressing Cmd+Z: reverts the last undo step (pending changes first count as one). */
  undo(): void {
    this.commitUndo();
    const step = this.undoSteps.pop();
    if (!step) return;
    this.replaying = true;
    try {
      for (const revert of step.reverse()) revert();
    } finally {
      this.replaying = false;
    }
  }
  /** Changes not yet committed to an undo step. */
  get pendingChanges(): number {
    return this.pending.length;
  }
  /** The current page as plain data. */
  snapshot(): unknown {
    return JSON.parse(JSON.stringify(this.currentPage.toJSON()));
  }

  makeNode(type: string, props: Record<string, unknown>): NodeDouble {
    return new NodeDouble(this, `1:${this.nextId++}`, type, props);
  }
  journal(revert: () => void): void {
    if (!this.replaying) this.pending.push(revert);
  }
  emit(type: string): void {
    for (const handler of this.handlers.get(type) ?? []) handler();
  }
}

// Also a compile-time check that the double's surface has the API's names.
export type DoubledApi = Pick<PluginAPI, keyof FigmaApi>;

function freezePaints(paints: Paint[]): readonly Paint[] {
  return Object.freeze(paints.map((paint) => Object.freeze(structuredClone(paint))));
}

function copyTransform(transform: Transform): Transform {
  return [
    [transform[0][0], transform[0][1], transform[0][2]],
    [transform[1][0], transform[1][1], transform[1][2]],
  ];
}

function multiply(a: Transform, b: Transform): Transform {
  return [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1], a[0][0] * b[0][2] + a[0][1] * b[1][2] + a[0][2]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1], a[1][0] * b[0][2] + a[1][1] * b[1][2] + a[1][2]],
  ];
}

function invert(t: Transform): Transform {
  const det = t[0][0] * t[1][1] - t[0][1] * t[1][0];
  const a = t[1][1] / det;
  const b = -t[0][1] / det;
  const c = -t[1][0] / det;
  const d = t[0][0] / det;
  return [
    [a, b, -(a * t[0][2] + b * t[1][2])],
    [c, d, -(c * t[0][2] + d * t[1][2])],
  ];
}

function bounds(items: { transform: Transform; width: number; height: number }[]) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const { transform: t, width, height } of items) {
    for (const [px, py] of [
      [0, 0],
      [width, 0],
      [0, height],
      [width, height],
    ] as const) {
      xs.push(t[0][0] * px + t[0][1] * py + t[0][2]);
      ys.push(t[1][0] * px + t[1][1] * py + t[1][2]);
    }
  }
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/** Width and height from a PNG, JPEG or GIF header; undefined for anything else. */
export function imageSize(data: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (data.length >= 10 && String.fromCharCode(...data.subarray(0, 4)) === "GIF8") {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    for (let at = 2; at + 9 < data.length; ) {
      if (data[at] !== 0xff) return undefined;
      const marker = data[at + 1]!;
      const length = view.getUint16(at + 2);
      const startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (startOfFrame) return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      at += 2 + length;
    }
  }
  return undefined;
}

function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  return JSON.stringify(value ?? null).length;
}
