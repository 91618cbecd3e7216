/**
 * The contract between package.json and the code: every contributed command
 * has a handler and the other way round, menus name contributed commands and
 * show only for images core reads, activation is on the commands only, and
 * the settings offer exactly what core accepts.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IMAGE_EXTENSIONS, QUALITY_PRESETS, REMOTE_PROVIDERS } from "@cutout/core";
import { FORMATS } from "@cutout/core/pure";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildOnce } from "../../../test/support/cli.js";
import * as vscode from "./support/vscode-double.js";

vi.mock("vscode", () => import("./support/vscode-double.js"));

const EXTENSION = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(EXTENSION, "package.json"), "utf8"));
const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
const properties = manifest.contributes.configuration.properties;

let extension: typeof import("../src/extension.js");
let context: ReturnType<typeof vscode.extensionContext>;

beforeAll(async () => {
  buildOnce();
  extension = await import("../src/extension.js");
  context = vscode.extensionContext(EXTENSION);
  extension.activate(context as never);
});
afterAll(async () => {
  await extension.deactivate();
  for (const d of context.subscriptions) d.dispose();
});

/** The extensions a when-clause's `resourceExtname =~ /.../i` accepts. */
function extnameRegex(when: string): RegExp {
  const match = /resourceExtname =~ \/(.+)\/([a-z]*)/.exec(when);
  if (!match) throw new Error(`no resourceExtname test in: ${when}`);
  return new RegExp(match[1]!, match[2]);
}

describe("package.json and the code agree", () => {
  it("every contributed command has a handler, and every handler is contributed", async () => {
    expect((await vscode.commands.getCommands()).sort()).toEqual([...contributed].sort());
    expect(contributed.every((c) => c.startsWith("cutout."))).toBe(true);
  });

  it("activates on its commands only", () => {
    expect([...manifest.activationEvents].sort()).toEqual(contributed.map((c) => `onCommand:${c}`).sort());
    expect(manifest.main).toBe("./dist/extension.js");
    expect(existsSync(path.join(EXTENSION, manifest.main))).toBe(true);
  });

  it("menus name contributed commands, for images core reads and only on disk", () => {
    const entries = Object.entries(manifest.contributes.menus as Record<string, { command: string; when: string }[]>);
    expect(entries.map(([menu]) => menu).sort()).toEqual(["editor/title", "explorer/context"]);
    for (const [menu, items] of entries) {
      for (const item of items) {
        expect(contributed, `${menu}: ${item.command}`).toContain(item.command);
        expect(item.when, `${menu}: ${item.command}`).toContain("resourceScheme == file");
        const accepts = extnameRegex(item.when);
        for (const extension of IMAGE_EXTENSIONS) {
          expect(accepts.test(extension), `${menu} ${item.command} ${extension}`).toBe(true);
          expect(accepts.test(extension.toUpperCase()), `${menu} ${item.command} ${extension.toUpperCase()}`).toBe(true);
        }
        // Core cannot decode these: the commands are not offered for them.
        for (const other of [".svg", ".bmp", ".ico", ".txt", ".png.bak", ".cutout"])
          expect(accepts.test(other), `${menu} ${other}`).toBe(false);
      }
    }
    const explorer = manifest.contributes.menus["explorer/context"];
    expect(explorer.every((i: { when: string }) => i.when.includes("!explorerResourceIsFolder"))).toBe(true);
    expect(explorer.find((i: { command: string }) => i.command === "cutout.compare").when).toContain("!listMultiSelection");
  });

  it("runs where the files are (workspace side), never in a virtual workspace", () => {
    expect(manifest.extensionKind).toEqual(["workspace"]);
    expect(manifest.capabilities.virtualWorkspaces).toBe(false);
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain("cutout.outputFolder");
  });

  it("settings offer what core accepts", () => {
    expect(Object.keys(properties).sort()).toEqual(
      [
        "cutout.engine",
        "cutout.format",
        "cutout.ifOutputExists",
        "cutout.outputFolder",
        "cutout.provider",
        "cutout.quality",
        "cutout.remoteUrl",
        "cutout.threads",
      ].sort(),
    );
    expect(properties["cutout.provider"].enum).toEqual(Object.keys(REMOTE_PROVIDERS));
    properties["cutout.provider"].enum.forEach((id: string, i: number) => {
      expect(properties["cutout.provider"].enumDescriptions[i]).toContain(REMOTE_PROVIDERS[id]!.label);
    });
    expect(properties["cutout.quality"].enum).toEqual(Object.keys(QUALITY_PRESETS));
    expect(properties["cutout.engine"].enum).toEqual(["local", "remote", "auto"]);
    expect(properties["cutout.format"].enum.filter((f: string) => f !== "mask").sort()).toEqual([...FORMATS].sort());
    for (const [name, property] of Object.entries(properties as Record<string, { enum?: string[]; enumDescriptions?: string[] }>)) {
      if (property.enum) expect(property.enumDescriptions?.length, name).toBe(property.enum.length);
    }
  });

  it("no setting can hold an API key, and a workspace cannot redirect one", () => {
    expect(Object.keys(properties).some((k) => /key|token|secret/i.test(k))).toBe(false);
    for (const name of ["cutout.engine", "cutout.provider", "cutout.remoteUrl"]) expect(properties[name].scope, name).toBe("machine");
  });
});
