import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type NpmConfig, npmConfigFromEnv, parseNpmrc } from "./npmrc.js";

export const DEFAULT_REGISTRY = "https://registry.npmjs.org/";

export interface RegistryConfig {
  /** Registry base URL, always ending in `/`. May carry credentials; print it with `redactUrl`. */
  readonly registry: string;
  /** Where the registry setting came from, for error messages. */
  readonly source: string;
  /** The `Authorization` header npm would send to `url`, if any. Never print it. */
  authorization(url: URL): string | undefined;
}

export interface RegistryConfigOptions {
  /** Package scope whose `@scope:registry` setting applies, e.g. `@imgly`. */
  scope?: string;
  /** Where to start looking for a project `.npmrc`. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

interface Layer {
  readonly label: string;
  readonly config: NpmConfig;
}

/**
 * The registry npm would use for a package in `scope`, and its tokens. Layers
 * merge like npm's: environment, then project `.npmrc`, then user, then global;
 * the first layer that sets a key wins, and a scoped registry setting beats
 * the plain `registry` key wherever each is set.
 */
export function resolveRegistryConfig(options: RegistryConfigOptions = {}): RegistryConfig {
  const env = options.env ?? process.env;
  const layers = loadLayers(options.cwd ?? process.cwd(), env);
  const lookup = (key: string): { value: string; label: string } | undefined => {
    for (const layer of layers) {
      const value = layer.config.get(key);
      if (value !== undefined && value !== "") return { value, label: layer.label };
    }
    return undefined;
  };

  const found = (options.scope === undefined ? undefined : lookup(`${options.scope}:registry`)) ?? lookup("registry");
  const registry = withTrailingSlash(found?.value ?? DEFAULT_REGISTRY);
  return {
    registry,
    source: found?.label ?? "npm's default",
    authorization(url: URL): string | undefined {
      // npm looks for the longest `//host/path/:_authToken` that is a prefix of the URL.
      for (let key = nerfDart(url); key.length > 2; key = key.replace(/[^/]*\/$/, "")) {
        const token = lookup(`${key}:_authToken`);
        if (token !== undefined) return `Bearer ${token.value}`;
      }
      return undefined;
    },
  };
}

/** A URL without credentials or query, safe to put in messages. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

function loadLayers(cwd: string, env: NodeJS.ProcessEnv): Layer[] {
  const layers: Layer[] = [];
  const fromEnv = npmConfigFromEnv(env);
  layers.push({ label: "environment (npm_config_*)", config: fromEnv });

  const userFile = fromEnv.get("userconfig") ?? path.join(homeDir(env), ".npmrc");
  const projectFile = findProjectNpmrc(cwd);
  if (projectFile !== undefined && path.resolve(projectFile) !== path.resolve(userFile)) {
    pushFile(layers, projectFile, env);
  }
  pushFile(layers, userFile, env);
  pushFile(layers, fromEnv.get("globalconfig") ?? path.join(globalPrefix(fromEnv, env), "etc", "npmrc"), env);
  return layers;
}

function pushFile(layers: Layer[], file: string, env: NodeJS.ProcessEnv): void {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return; // a missing or unreadable .npmrc is not an error for npm either
  }
  layers.push({ label: file, config: parseNpmrc(text, env) });
}

function findProjectNpmrc(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ".npmrc");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function homeDir(env: NodeJS.ProcessEnv): string {
  const home = process.platform === "win32" ? env.USERPROFILE : env.HOME;
  return home !== undefined && home !== "" ? home : os.homedir();
}

/** npm's global prefix: `prefix` config or `$PREFIX`, else derived from the node binary. */
function globalPrefix(fromEnv: NpmConfig, env: NodeJS.ProcessEnv): string {
  const prefix = fromEnv.get("prefix") ?? env.PREFIX;
  if (prefix !== undefined && prefix !== "") return prefix;
  const binDir = path.dirname(process.execPath);
  return process.platform === "win32" ? binDir : path.dirname(binDir);
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** npm's "nerf dart": `//host[:port]/path/` of a URL's directory, protocol and credentials dropped. */
function nerfDart(url: URL): string {
  const dir = new URL(".", url);
  return `//${dir.host}${dir.pathname}`;
}
