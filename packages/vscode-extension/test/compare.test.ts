/**
 * Compare: the webview's page under a strict Content-Security-Policy, and
 * the command finding the image/cutout pair from either side.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { compareHtml } from "../src/compare.js";
import type { Run } from "../src/run.js";
import { EXTENSION, explorer, photo, useExtension } from "./support/harness.js";
import * as vscode from "./support/vscode-double.js";

vi.mock("vscode", () => import("./support/vscode-double.js"));

const CSP_SOURCE = "https://file+.vscode-resource.vscode-cdn.net";

function policy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  if (!content) throw new Error("no CSP meta tag");
  return new Map(
    content
      .replace(/&#39;|&apos;/g, "'")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("the Compare page", () => {
  const html = compareHtml({
    cspSource: CSP_SOURCE,
    style: `${CSP_SOURCE}/ext/media/compare.css`,
    script: `${CSP_SOURCE}/ext/media/compare.js`,
    before: { src: `${CSP_SOURCE}/w/a%20b.jpg?v=1`, name: 'a "b" <c>.jpg' },
    after: { src: `${CSP_SOURCE}/w/a%20b.cutout.png?v=1`, name: "a b.cutout.png" },
  });

  it("allows only the webview's own images, stylesheet and script", () => {
    const csp = policy(html);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("img-src")).toEqual([CSP_SOURCE]);
    expect(csp.get("style-src")).toEqual([CSP_SOURCE]);
    expect(csp.get("script-src")).toEqual([CSP_SOURCE]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect([...csp.values()].flat().some((v) => /unsafe|\*|data:|nonce/.test(v))).toBe(false);
  });

  it("has no inline script, style or event handler, and loads only what the policy allows", () => {
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const loaded = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(loaded).toHaveLength(4);
    for (const url of loaded) expect(url.startsWith(`${CSP_SOURCE}/`), url).toBe(true);
  });

  it("escapes file names", () => {
    expect(html).toContain("a &quot;b&quot; &lt;c&gt;.jpg");
    expect(html).not.toContain("<c>");
  });

  it("its media ship with the extension", () => {
    for (const file of ["compare.css", "compare.js"]) expect(existsSync(path.join(EXTENSION, "media", file)), file).toBe(true);
  });
});

describe("the Compare command", () => {
  const h = useExtension({ "cutout.quality": "fast" });

  it("opens the pair from the image or from the cutout, also in an output folder, and reuses its panel", async () => {
    const ws = await h.folder("compare ü");
    vscode.openFolders(ws);
    vscode.setSetting("cutout.outputFolder", "out");
    const image = await photo(ws, "car ü.jpg");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    const cutout = path.join(ws, "out", "car ü.cutout.png");
    expect(run.outcomes[0]).toMatchObject({ output: cutout });

    const panel = await h.run<vscode.WebviewPanel>("cutout.compare", vscode.Uri.file(image));
    expect(vscode.user.panels).toEqual([panel]);
    expect(panel.webview.options.enableScripts).toBe(true);
    expect(panel.webview.options.localResourceRoots?.map((u) => u.fsPath)).toEqual([
      path.join(EXTENSION, "media"),
      ws,
      path.join(ws, "out"),
    ]);
    const html = panel.webview.html;
    expect(html).toContain(panel.webview.asWebviewUri(vscode.Uri.file(image)).toString());
    expect(html).toContain(panel.webview.asWebviewUri(vscode.Uri.file(cutout)).toString());

    expect(await h.run("cutout.compare", vscode.Uri.file(cutout))).toBe(panel);
    expect(panel.reveals).toBe(1);
    expect(vscode.user.panels).toHaveLength(1);
  });

  it("finds a cutout by name beside its image, a numbered one included", async () => {
    const dir = await h.folder("by-name");
    await photo(dir, "shoe.jpg");
    await photo(dir, "shoe.cutout-3.png");
    const panel = await h.run<vscode.WebviewPanel>("cutout.compare", vscode.Uri.file(path.join(dir, "shoe.cutout-3.png")));
    expect(panel.title).toBe("Compare: shoe.jpg");
  });

  it("offers to make the cutout first when there is none", async () => {
    const dir = await h.folder("none yet");
    const image = await photo(dir, "car.jpg");
    vscode.user.clicks.push("Remove background");
    const panel = await h.run<vscode.WebviewPanel>("cutout.compare", vscode.Uri.file(image));
    expect(vscode.user.shown[0]).toMatchObject({ message: "Cutout: car.jpg has no cutout yet.", items: ["Remove background"] });
    expect(existsSync(path.join(dir, "car.cutout.png"))).toBe(true);
    expect(panel.webview.html).toContain("car.cutout.png");
  });
});
