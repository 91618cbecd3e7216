/**
 * Which image each cutout came from, so Compare finds the pair from either
 * side, also when the cutout went to an output folder or was numbered
 * (`photo.cutout-2.png`). Kept in the workspace's state, newest first.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { FORMATS, IMAGE_EXTENSIONS, isOwnOutput } from "@cutout/core/pure";
import type * as vscode from "vscode";
import { stemOf } from "./naming.js";

const KEY = "cutout.pairs";
const KEEP = 500;

export interface Pair {
  image: string;
  cutout: string;
}

export class Pairs {
  constructor(private readonly state: vscode.Memento) {}

  async record(image: string, cutout: string): Promise<void> {
    const rest = this.all().filter((p) => p.cutout !== cutout);
    await this.state.update(KEY, [{ image, cutout }, ...rest].slice(0, KEEP));
  }

  /** The pair a file belongs to, as an image or as a cutout: remembered first, else by name beside it. */
  find(file: string): Pair | undefined {
    const live = this.all().filter((p) => existsSync(p.image) && existsSync(p.cutout));
    const remembered = live.find((p) => p.cutout === file) ?? live.find((p) => p.image === file);
    if (remembered) return remembered;
    return isOwnOutput(file) ? besideAsCutout(file) : besideAsImage(file);
  }

  private all(): Pair[] {
    return this.state.get<Pair[]>(KEY, []);
  }
}

/** `photo.cutout.png` (or `photo.cutout-2.png`) -> an image `photo.<ext>` in the same folder. */
function besideAsCutout(cutout: string): Pair | undefined {
  const stem = path.basename(cutout).replace(/\.(cutout|mask)(-\d+)?\.[a-z]+$/i, "");
  const dir = path.dirname(cutout);
  for (const extension of IMAGE_EXTENSIONS) {
    const image = path.join(dir, `${stem}${extension}`);
    if (existsSync(image)) return { image, cutout };
  }
  return undefined;
}

/** `photo.jpg` -> `photo.cutout.<ext>` in the same folder. */
function besideAsImage(image: string): Pair | undefined {
  const dir = path.dirname(image);
  for (const extension of FORMATS.filter((f) => f !== "auto" && f !== "zip")) {
    const cutout = path.join(dir, `${stemOf(image)}.cutout.${extension}`);
    if (existsSync(cutout)) return { image, cutout };
  }
  return undefined;
}
