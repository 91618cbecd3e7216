/**
 * The QuickPick flow of "Remove background with options…": five short steps,
 * each offering the last choice first; the choices are remembered for next
 * time. Escape at any step cancels without doing anything.
 */
import * as vscode from "vscode";
import {
  type BackgroundKind,
  type Choices,
  checkChoices,
  checkOption,
  DEFAULT_CHOICES,
  describeChoices,
  SHADOW_CHOICES,
  sizeChoices,
} from "./choices.js";
import type { FormatSetting } from "./settings.js";

const LAST_CHOICES = "cutout.lastChoices";

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

/** Asks for the options; resolves to undefined when the user cancels. */
export async function askChoices(context: vscode.ExtensionContext, defaultFormat: FormatSetting): Promise<Choices | undefined> {
  const last = context.globalState.get<Choices>(LAST_CHOICES);
  const start: Choices = last ?? { ...DEFAULT_CHOICES, format: defaultFormat };
  if (last) {
    const again = await pick<boolean>("Options", [
      { label: "$(history) Use the last options", description: describeChoices(last), value: true },
      { label: "$(settings) Choose options…", value: false },
    ]);
    if (again === undefined) return undefined;
    if (again) return last;
  }
  const format = await pick("Format (1/5)", withLastFirst(formatItems(context), start.format));
  if (format === undefined) return undefined;
  const background = await askBackground(start.background);
  if (background === undefined) return undefined;
  const crop = await askCrop(start.crop);
  if (crop === undefined) return undefined;
  const size = await pick(
    "Size (4/5)",
    withLastFirst(
      sizeChoices().map((s) => ({ label: s.name, description: s.detail, value: s.name })),
      start.size,
    ),
  );
  if (size === undefined) return undefined;
  const shadow = await pick(
    "Shadow (5/5)",
    withLastFirst(
      SHADOW_CHOICES.map((s) => ({ label: s, value: s })),
      start.shadow,
    ),
  );
  if (shadow === undefined) return undefined;
  const choices: Choices = { format, background, crop, size, shadow };
  const problems = checkChoices(choices);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`Cutout: ${problems.join("; ")}`);
    return undefined;
  }
  await context.globalState.update(LAST_CHOICES, choices);
  return choices;
}

/** The format setting's values and descriptions, as package.json declares them. */
function formatItems(context: vscode.ExtensionContext): Item<FormatSetting>[] {
  const property = context.extension.packageJSON.contributes.configuration.properties["cutout.format"] as {
    enum: FormatSetting[];
    enumDescriptions: string[];
  };
  return property.enum.map((value, i) => ({ label: value, description: property.enumDescriptions[i] ?? "", value }));
}

const BACKGROUNDS: readonly Item<BackgroundKind>[] = [
  { label: "Transparent", value: "transparent" },
  { label: "Colour…", description: "a solid colour: #81d4fa, white, rgb(0 0 0)", value: "color" },
  { label: "Blur…", description: "the photo's own background, blurred", value: "blur" },
  { label: "Gradient…", description: "linear-gradient(180deg, #fff, #ddd)", value: "gradient" },
  { label: "Image…", description: "another picture behind the subject", value: "image" },
];

async function askBackground(last: Choices["background"]): Promise<Choices["background"] | undefined> {
  const kind = await pick("Background (2/5)", withLastFirst([...BACKGROUNDS], last.kind));
  if (kind === undefined) return undefined;
  const previous = kind === last.kind ? last.value : "";
  switch (kind) {
    case "transparent":
      return { kind, value: "" };
    case "color":
      return ask(kind, "Background colour", previous || "#ffffff", (v) => checkOption("bgColor", v));
    case "blur":
      return ask(kind, "Blur radius, 1 to 50", previous || "20", (v) => checkOption("bgBlur", v));
    case "gradient":
      return ask(kind, "Gradient", previous || "linear-gradient(180deg, #ffffff, #dddddd)", (v) => checkOption("bgGradient", v));
    case "image": {
      const files = await vscode.window.showOpenDialog({
        title: "Cutout: background image",
        canSelectMany: false,
        filters: { Images: ["png", "jpg", "jpeg", "webp", "gif", "tif", "tiff", "avif"] },
      });
      const file = files?.[0];
      return file ? { kind, value: file.fsPath } : undefined;
    }
  }
}

async function askCrop(last: Choices["crop"]): Promise<Choices["crop"] | undefined> {
  const enabled = await pick(
    "Crop (3/5)",
    withLastFirst(
      [
        { label: "Keep the whole frame", value: false },
        { label: "Crop to the subject…", description: "with a margin", value: true },
      ],
      last.enabled,
    ),
  );
  if (enabled === undefined) return undefined;
  if (!enabled) return { enabled, margin: last.margin };
  const margin = await ask("margin", "Margin around the subject: 30px, 10%, or 10px 5%", last.margin, (v) => checkOption("cropMargin", v));
  return margin && { enabled, margin: margin.value };
}

async function pick<T>(step: string, items: Item<T>[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title: `Cutout: ${step}`, ignoreFocusOut: true });
  return chosen?.value;
}

async function ask<K extends string>(
  kind: K,
  prompt: string,
  value: string,
  validateInput: (value: string) => string | undefined,
): Promise<{ kind: K; value: string } | undefined> {
  const answer = await vscode.window.showInputBox({ title: "Cutout", prompt, value, ignoreFocusOut: true, validateInput });
  return answer === undefined ? undefined : { kind, value: answer.trim() };
}

/** The last choice first, marked, so Enter repeats it. */
function withLastFirst<T>(items: Item<T>[], last: T): Item<T>[] {
  const at = items.findIndex((item) => item.value === last);
  if (at < 0) return items;
  const chosen = { ...items[at]!, detail: "last used" };
  return [chosen, ...items.slice(0, at), ...items.slice(at + 1)];
}
