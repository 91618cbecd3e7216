// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npm config syntax is `${VAR}`, written literally on purpose.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandEnv, npmConfigFromEnv, parseNpmrc } from "../src/npmrc";
import { DEFAULT_REGISTRY, redactUrl, resolveRegistryConfig } from "../src/registry-config";

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-npmrc-"));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A home with an optional user .npmrc, a project below it with an optional .npmrc, and no global config. */
async function setup(files: { user?: string; project?: string }, extraEnv: NodeJS.ProcessEnv = {}) {
  const home = await fs.mkdtemp(path.join(root, "home-"));
  const project = path.join(home, "work", "project");
  await fs.mkdir(path.join(project, "src"), { recursive: true });
  if (files.user !== undefined) await fs.writeFile(path.join(home, ".npmrc"), files.user);
  if (files.project !== undefined) await fs.writeFile(path.join(project, ".npmrc"), files.project);
  const env: NodeJS.ProcessEnv = { HOME: home, USERPROFILE: home, npm_config_globalconfig: path.join(home, "none"), ...extraEnv };
  return { env, cwd: path.join(project, "src"), home, project };
}

describe("parseNpmrc", () => {
  it("reads keys, skips comments and sections, unquotes, and expands ${VAR}", () => {
    const config = parseNpmrc(
      [
        "; comment",
        "# another",
        "[section]",
        "registry = https://r.example/npm/ ; trailing comment",
        'quoted="a;b"',
        "//r.example/npm/:_authToken=${TOKEN}",
        "maybe=${UNSET?}x",
        "kept=${UNSET}",
        "escaped=\\${TOKEN}",
        "list[]=a",
      ].join("\r\n"),
      { TOKEN: "t0k" },
    );
    expect(config.get("registry")).toBe("https://r.example/npm/");
    expect(config.get("quoted")).toBe("a;b");
    expect(config.get("//r.example/npm/:_authToken")).toBe("t0k");
    expect(config.get("maybe")).toBe("x");
    expect(config.get("kept")).toBe("${UNSET}");
    expect(config.get("escaped")).toBe("${TOKEN}");
    expect(config.has("list[]")).toBe(false);
  });

  it("expandEnv follows npm's escaping rules", () => {
    expect(expandEnv("a${X}b", { X: "1" })).toBe("a1b");
    expect(expandEnv("\\\\${X}", { X: "1" })).toBe("\\1");
  });

  it("reads npm_config_* variables the way npm names them", () => {
    const config = npmConfigFromEnv({
      NPM_CONFIG_REGISTRY: "https://a/",
      "npm_config_@imgly:registry": "https://b/",
      "npm_config_//c/:_authToken": "t",
      npm_config_empty: "",
      OTHER: "x",
    });
    expect(config.get("registry")).toBe("https://a/");
    expect(config.get("@imgly:registry")).toBe("https://b/");
    expect(config.get("//c/:_authToken")).toBe("t");
    expect(config.has("empty")).toBe(false);
    expect(config.size).toBe(3);
  });
});

describe("resolveRegistryConfig", () => {
  it("defaults to the public registry", async () => {
    const { env, cwd } = await setup({});
    const config = resolveRegistryConfig({ scope: "@imgly", env, cwd });
    expect(config.registry).toBe(DEFAULT_REGISTRY);
    expect(config.authorization(new URL("https://registry.npmjs.org/x"))).toBeUndefined();
  });

  it("takes npm_config_registry (any case) over .npmrc files, adding the trailing slash", async () => {
    const { env, cwd } = await setup({ user: "registry=https://user.example/", project: "registry=https://project.example/" });
    for (const name of ["npm_config_registry", "NPM_CONFIG_REGISTRY"]) {
      const config = resolveRegistryConfig({ env: { ...env, [name]: "https://env.example/path" }, cwd });
      expect(config.registry).toBe("https://env.example/path/");
      expect(config.source).toContain("npm_config_");
    }
  });

  it("takes the nearest project .npmrc over the user one", async () => {
    const { env, cwd, project } = await setup({ user: "registry=https://user.example/", project: "registry=https://project.example/" });
    const config = resolveRegistryConfig({ env, cwd });
    expect(config.registry).toBe("https://project.example/");
    expect(config.source).toBe(path.join(project, ".npmrc"));
  });

  it("reads the user .npmrc from NPM_CONFIG_USERCONFIG when set", async () => {
    const { env, cwd, home } = await setup({});
    const userconfig = path.join(home, "custom-npmrc");
    await fs.writeFile(userconfig, "registry=https://custom.example/\n");
    expect(resolveRegistryConfig({ env: { ...env, NPM_CONFIG_USERCONFIG: userconfig }, cwd }).registry).toBe("https://custom.example/");
    expect(resolveRegistryConfig({ env, cwd }).registry).toBe(DEFAULT_REGISTRY);
  });

  it("prefers the package scope's registry, from any layer, as npm does", async () => {
    const { env, cwd } = await setup({ user: "@imgly:registry=https://scoped.example/\n", project: "registry=https://project.example/" });
    expect(resolveRegistryConfig({ scope: "@imgly", env, cwd }).registry).toBe("https://scoped.example/");
    expect(resolveRegistryConfig({ scope: "@other", env, cwd }).registry).toBe("https://project.example/");
  });

  it("finds the token for the registry's path, expanding ${VAR}, and only for that host and path", async () => {
    const { env, cwd } = await setup(
      { user: "registry=https://r.example/npm/\n//r.example/npm/:_authToken=${MY_TOKEN}\n//other.example/:_authToken=nope\n" },
      { MY_TOKEN: "abc123" },
    );
    const config = resolveRegistryConfig({ env, cwd });
    expect(config.authorization(new URL("https://r.example/npm/@imgly%2fbackground-removal-node/1.4.5"))).toBe("Bearer abc123");
    expect(config.authorization(new URL("https://r.example/npm/@imgly/x/-/x-1.0.0.tgz"))).toBe("Bearer abc123");
    expect(config.authorization(new URL("https://r.example/elsewhere/x"))).toBeUndefined();
    expect(config.authorization(new URL("https://cdn.example/npm/x"))).toBeUndefined();
  });
});

describe("redactUrl", () => {
  it("drops credentials and query", () => {
    expect(redactUrl("https://user:pass@r.example/npm/?token=x#y")).toBe("https://r.example/npm/");
  });
});
