/**
 * Where a cutout is written: core's name (`<name>.cutout.png`,
 * `<name>.mask.png`) in the image's folder or the configured output folder,
 * and, when that name is taken, the first free `<name>.cutout-N.png`. Pure:
 * the file system is asked through `taken`.
 */
import path from "node:path";

/** The first name of `<stem><suffix>`, `<stem><suffix>-1`, `-2`... that `taken` does not claim; the number goes before the extension. */
export function freeName(stem: string, suffix: string, taken: (name: string) => boolean): string {
  const wanted = `${stem}${suffix}`;
  if (!taken(wanted)) return wanted;
  const dot = suffix.lastIndexOf(".");
  const [head, extension] = dot > 0 ? [suffix.slice(0, dot), suffix.slice(dot)] : [suffix, ""];
  for (let n = 1; ; n++) {
    const name = `${stem}${head}-${n}${extension}`;
    if (!taken(name)) return name;
  }
}

/** The image's name less its extension: `photo.jpg` -> `photo`, `.hidden.png` -> `.hidden`. */
export function stemOf(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The folder a cutout goes to: beside the image when `outputFolder` is empty;
 * else that folder, absolute as given, relative to the image's workspace folder
 * (or the image's own folder when it lies outside every workspace folder).
 */
export function outputDirectory(image: string, outputFolder: string, workspaceFolder: string | undefined): string {
  const folder = outputFolder.trim();
  if (folder === "") return path.dirname(image);
  return path.resolve(workspaceFolder ?? path.dirname(image), folder);
}
