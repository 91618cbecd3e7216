/**
 * API keys and the remote engine, against a local server standing in for
 * remove.bg (real HTTP): keys live in SecretStorage only, are checked with the
 * provider before they are kept, travel only in the provider's header, and
 * never reach a setting, a notification or the Output channel. Failures map
 * to notifications whose actions help.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { CutoutError } from "@cutout/core/pure";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type StandIn, startStandIn } from "../../../test/support/provider-standin.js";
import { explain } from "../src/errors.js";
import type { Run } from "../src/run.js";
import { CAR, explorer, photo, useExtension } from "./support/harness.js";
import * as vscode from "./support/vscode-double.js";

vi.mock("vscode", () => import("./support/vscode-double.js"));

const KEY = "sk-test-0123456789abcdef";
const ACCOUNT = { data: { attributes: { credits: { total: 42, subscription: 40, payg: 2 }, api: { free_calls: 50 } } } };
const REFUSED = { status: 403, json: { errors: [{ title: `API Key invalid: ${KEY}`, code: "auth_failed" }] } };

const h = useExtension();
let provider: StandIn;

beforeAll(async () => {
  provider = await startStandIn();
});
afterAll(() => {
  provider.close();
});
beforeEach(async () => {
  vscode.setSetting("cutout.remoteUrl", provider.origin);
  provider.requests.length = 0;
  for (const [name] of h.context.secrets.entries()) await h.context.secrets.delete(name);
});

/** Every text the user or the log could see. */
function everythingShown(): string {
  return [...vscode.user.shown.map((s) => s.message), ...h.log()].join("\n");
}

describe("Set API key", () => {
  it("checks the key with the provider, keeps it in SecretStorage only, and offers to use it", async () => {
    provider.script({ status: 200, json: ACCOUNT });
    vscode.user.quickPicks.push("remove.bg");
    vscode.user.inputs.push(`  ${KEY}\n`);
    vscode.user.clicks.push("Use as fallback");
    expect(await h.run("cutout.setApiKey")).toBe(true);

    expect(vscode.user.inputBoxes[0]).toMatchObject({ password: true });
    expect(h.context.secrets.entries()).toEqual([["cutout.apiKey.removebg", KEY]]);
    expect(provider.requests).toMatchObject([{ method: "GET", path: "/v1.0/account", headers: { "x-api-key": KEY } }]);
    await vi.waitFor(() => expect(vscode.workspace.getConfiguration("cutout").get("engine")).toBe("auto"));
    expect(h.log().some((l) => l.includes("42 credits"))).toBe(true);
    expect(everythingShown()).not.toContain(KEY);
    for (const name of ["engine", "provider", "remoteUrl"])
      expect(String(vscode.workspace.getConfiguration("cutout").get(name))).not.toContain(KEY);
  });

  it("a key the provider refuses is not kept; the error offers Set API key again", async () => {
    provider.script(REFUSED);
    vscode.user.quickPicks.push("remove.bg");
    vscode.user.inputs.push(KEY);
    expect(await h.run("cutout.setApiKey")).toBe(false);
    expect(h.context.secrets.entries()).toEqual([]);
    await vi.waitFor(() => expect(vscode.user.shown.some((s) => s.kind === "error")).toBe(true));
    const error = vscode.user.shown.find((s) => s.kind === "error")!;
    expect(error.items).toEqual(["Set API key", "Show details"]);
    expect(error.message).toContain("refused the API key");
    expect(everythingShown()).not.toContain(KEY);
  });

  it("refuses blanks and inner whitespace before anything is sent", () => {
    vscode.user.quickPicks.push("remove.bg");
    return expect(
      (async () => {
        vscode.user.inputs.push("two words");
        await h.run("cutout.setApiKey");
      })(),
    ).rejects.toThrow(/no spaces/);
  });

  it("Clear API key removes it", async () => {
    await h.context.secrets.store("cutout.apiKey.bgcut", KEY);
    vscode.user.quickPicks.push("BgCut");
    expect(await h.run("cutout.clearApiKey")).toBe(true);
    expect(h.context.secrets.entries()).toEqual([]);
  });
});

describe("the remote engine", () => {
  it("without a key: nothing runs, and the notification's Set API key starts the command", async () => {
    vscode.setSetting("cutout.engine", "remote");
    const dir = await h.folder("no-key");
    await photo(dir, "car.jpg");
    vscode.user.clicks.push("Set API key");
    vscode.user.quickPicks.push(undefined); // then dismisses the provider pick
    expect(await h.run("cutout.removeBackground", ...explorer(path.join(dir, "car.jpg")))).toBeUndefined();
    expect(vscode.user.progress).toHaveLength(0);
    expect(vscode.user.shown[0]).toMatchObject({ kind: "error", items: ["Set API key", "Show details"] });
    await vi.waitFor(() => expect(vscode.user.executed.map((e) => e.command)).toContain("cutout.setApiKey"));
  });

  it("sends the key in the provider's header only; a refusal reads as remote_auth_failed without the key; a new key restarts the engine", async () => {
    vscode.setSetting("cutout.engine", "remote");
    await h.context.secrets.store("cutout.apiKey.removebg", KEY);
    const dir = await h.folder("remote");
    const image = await photo(dir, "car.jpg");

    provider.script(REFUSED);
    let run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    expect(run.outcomes[0]).toMatchObject({ error: { code: "remote_auth_failed", actions: ["setApiKey", "showOutput"] } });
    await vi.waitFor(() => expect(vscode.user.shown).toHaveLength(1));
    expect(vscode.user.shown[0]).toMatchObject({ kind: "error", items: ["Set API key", "Show details"] });
    expect(everythingShown()).not.toContain(KEY);

    provider.script({ cutout: true, headers: { "X-Credits-Charged": "1" } });
    await h.context.secrets.store("cutout.apiKey.removebg", `${KEY}-new`);
    run = await h.run<Run>("cutout.removeBackground", ...explorer(image));
    const output = path.join(dir, "car.cutout.png");
    expect(run.outcomes[0]).toMatchObject({ output, result: { engine: "remote", creditsCharged: 1 } });
    const sent = provider.requests.at(-1)!;
    expect(sent).toMatchObject({ method: "POST", path: "/v1.0/removebg", headers: { "x-api-key": `${KEY}-new` } });
    expect(JSON.stringify(sent.fields)).not.toContain(KEY);
    expect((await fs.readFile(output)).includes(KEY)).toBe(false);
    expect(everythingShown()).not.toContain(KEY);
  });
});

describe("errors as notifications", () => {
  it("say what happened and offer what helps", () => {
    const cases: [CutoutError, string[], string][] = [
      [new CutoutError("remote_auth_failed", "HTTP 403"), ["setApiKey", "showOutput"], "cutout.remoteUrl"],
      [new CutoutError("remote_quota_exceeded", "HTTP 402"), ["setApiKey", "openSettings", "showOutput"], "cutout.remoteUrl"],
      [new CutoutError("validation_error", "needs a key", { field: "apiKey" }), ["setApiKey", "showOutput"], "cutout"],
      [new CutoutError("image_too_large", "PNG output is limited", { field: "format" }), ["openSettings", "showOutput"], "cutout.format"],
      [new CutoutError("output_unwritable", "EACCES"), ["openSettings", "showOutput"], "cutout.outputFolder"],
      [new CutoutError("model_unavailable", "offline"), ["openSettings", "showOutput"], "cutout.engine"],
      [new CutoutError("invalid_image", "not an image"), ["showOutput"], "cutout"],
    ];
    for (const [error, actions, setting] of cases) {
      const explained = explain(error);
      expect(explained, error.code).toMatchObject({ code: error.code, actions, setting });
      expect(explained.message, error.code).toMatch(new RegExp(`^[A-Z].+\\. ${error.message}$`));
    }
    // Anything that is not a CutoutError still gets a code and a sentence.
    expect(explain(new Error("boom"))).toMatchObject({ code: "inference_failed", message: expect.stringContaining("boom") });
  });

  it("Open settings opens the setting the error is about", async () => {
    const dir = await h.folder("unwritable");
    const blocker = path.join(dir, "a file");
    await fs.writeFile(blocker, "not a folder");
    vscode.setSetting("cutout.quality", "fast");
    vscode.setSetting("cutout.outputFolder", path.join(blocker, "cutouts"));
    vscode.user.clicks.push("Open settings");
    const run = await h.run<Run>("cutout.removeBackground", ...explorer(CAR));
    expect(run.outcomes[0]).toMatchObject({ error: { code: "output_unwritable" } });
    await vi.waitFor(() =>
      expect(vscode.user.executed).toContainEqual({ command: "workbench.action.openSettings", args: ["cutout.outputFolder"] }),
    );
  });
});
