/**
 * The platform .vsix files other than this machine's (linux-x64 is packed by
 * `pnpm pack:all` and installed in real VS Code by test/vscode): each holds
 * its own platform's native modules and nothing of another's. sharp's
 * binaries for them come from the npm registry.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

const EXTENSION = path.join(ROOT, "packages", "vscode-extension");

const out = mkdtempSync(path.join(os.tmpdir(), "cutout-vsix-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Packages `target` with the extension's script; the .vsix's entries, and its size. */
function packaged(target: string): { files: string[]; bytes: number } {
  const file = path.join(out, `${target}.vsix`);
  const result = spawnSync(process.execPath, [path.join(EXTENSION, "scripts", "package.mjs"), "--target", target, "--out", file], {
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`packaging ${target} failed:\n${result.stdout}\n${result.stderr}`);
  const list = spawnSync("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", file], {
    encoding: "utf8",
  });
  const bytes = Number(spawnSync("stat", ["-c", "%s", file], { encoding: "utf8" }).stdout);
  return { files: list.stdout.split("\n").filter(Boolean), bytes };
}

const natives = (files: string[]) =>
  files
    .filter((f) => /\.(node|dylib|dll)$|\.so(\.\d+)*$/.test(f))
    .map((f) => f.replace("extension/dist/node_modules/", ""))
    .sort();

describe("platform packages", () => {
  it("darwin-arm64: the arm64 Mac binding, runtime and libvips only", () => {
    const { files, bytes } = packaged("darwin-arm64");
    expect(natives(files)).toEqual([
      "@img/sharp-darwin-arm64/lib/sharp-darwin-arm64.node",
      "@img/sharp-libvips-darwin-arm64/lib/libvips-cpp.8.17.3.dylib",
      "onnxruntime-node/bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib",
      "onnxruntime-node/bin/napi-v6/darwin/arm64/onnxruntime_binding.node",
    ]);
    expect(files).toContain("extension/dist/extension.js");
    process.stdout.write(`[vscode] darwin-arm64 .vsix: ${(bytes / 1e6).toFixed(1)} MB\n`);
  });

  it("win32-x64: the Windows binding with its runtime and DirectML, and sharp's libvips DLLs", () => {
    const { files, bytes } = packaged("win32-x64");
    expect(natives(files)).toEqual([
      "@img/sharp-win32-x64/lib/libvips-42.dll",
      "@img/sharp-win32-x64/lib/libvips-cpp-8.17.3.dll",
      "@img/sharp-win32-x64/lib/sharp-win32-x64.node",
      "onnxruntime-node/bin/napi-v6/win32/x64/DirectML.dll",
      "onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll",
      "onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node",
    ]);
    process.stdout.write(`[vscode] win32-x64 .vsix: ${(bytes / 1e6).toFixed(1)} MB\n`);
  });

  it("refuses a target onnxruntime-node has no build for", () => {
    expect(() => packaged("alpine-x64")).toThrow(/--target must be one of linux-x64, linux-arm64, darwin-arm64, win32-x64, win32-arm64/);
  });
});
