/**
 * Compare: the image and its cutout in a webview, as a before/after slider
 * or side by side, over a checkerboard that shows what is transparent. The
 * page runs under a Content-Security-Policy that allows only the webview's
 * own resources (images through asWebviewUri, media/compare.css and .js), so
 * nothing else loads and no inline script runs.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { Pair } from "./pairs.js";

const VIEW_TYPE = "cutout.compare";
const panels = new Map<string, vscode.WebviewPanel>();

export function showCompare(extensionUri: vscode.Uri, pair: Pair, version = Date.now()): vscode.WebviewPanel {
  const media = vscode.Uri.joinPath(extensionUri, "media");
  const image = vscode.Uri.file(pair.image);
  const cutout = vscode.Uri.file(pair.cutout);
  let panel = panels.get(pair.cutout);
  if (panel) {
    panel.reveal();
  } else {
    panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Compare: ${path.basename(pair.image)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media, vscode.Uri.file(path.dirname(pair.image)), vscode.Uri.file(path.dirname(pair.cutout))],
    });
    panels.set(pair.cutout, panel);
    panel.onDidDispose(() => panels.delete(pair.cutout));
  }
  const webview = panel.webview;
  // The version defeats the webview's cache when a cutout is written again under the same name.
  const src = (uri: vscode.Uri) =>
    webview
      .asWebviewUri(uri)
      .with({ query: `v=${version}` })
      .toString();
  webview.html = compareHtml({
    cspSource: webview.cspSource,
    style: webview.asWebviewUri(vscode.Uri.joinPath(media, "compare.css")).toString(),
    script: webview.asWebviewUri(vscode.Uri.joinPath(media, "compare.js")).toString(),
    before: { src: src(image), name: path.basename(pair.image) },
    after: { src: src(cutout), name: path.basename(pair.cutout) },
  });
  return panel;
}

export interface ComparePage {
  cspSource: string;
  style: string;
  script: string;
  before: { src: string; name: string };
  after: { src: string; name: string };
}

/** The page: everything it loads is named here and allowed by its policy, nothing more. */
export function compareHtml(page: ComparePage): string {
  const csp = [
    "default-src 'none'",
    `img-src ${page.cspSource}`,
    `style-src ${page.cspSource}`,
    `script-src ${page.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const { before, after } = page;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(page.style)}">
<title>Compare</title>
</head>
<body>
<header>
  <div class="modes" role="tablist" aria-label="View">
    <button id="mode-slider" role="tab" aria-selected="true">Slider</button>
    <button id="mode-sides" role="tab" aria-selected="false">Side by side</button>
  </div>
  <span class="names">${text(before.name)} → ${text(after.name)}</span>
</header>
<main id="view" class="slider">
  <figure class="pane before"><img id="before" src="${attr(before.src)}" alt="${attr(before.name)}"><figcaption>Before</figcaption></figure>
  <figure class="pane after checkerboard"><img id="after" src="${attr(after.src)}" alt="${attr(after.name)}"><figcaption>After</figcaption></figure>
  <input id="split" type="range" min="0" max="100" value="50" aria-label="Before / after">
</main>
<script src="${attr(page.script)}"></script>
</body>
</html>`;
}

function text(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;");
}
