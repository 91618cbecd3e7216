import { type GetOptions, get, readText } from "./http.js";
import type { RegistryConfig } from "./registry-config.js";

/**
 * The tarball URL for `name@version`, as the registry advertises it: first
 * from the version document, then from the abbreviated packument (some
 * mirrors serve only that). If the registry answers but neither document
 * helps, the conventional `<registry>/<name>/-/<base>-<version>.tgz`.
 * A network failure is not retried: every candidate is on the same host.
 */
export async function findTarballUrl(config: RegistryConfig, name: string, version: string, options: GetOptions): Promise<URL> {
  const escaped = name.replace("/", "%2f");
  const versionDoc = new URL(`${escaped}/${encodeURIComponent(version)}`, config.registry);
  const packument = new URL(escaped, config.registry);

  const fromVersion = await tryJson(versionDoc, options, "application/json");
  let tarball = dig(fromVersion, ["dist", "tarball"]);
  if (tarball === undefined) {
    const fromPackument = await tryJson(packument, options, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8");
    tarball = dig(fromPackument, ["versions", version, "dist", "tarball"]);
  }
  if (tarball === undefined) return conventionalTarballUrl(config.registry, name, version);
  return replaceRegistryHost(new URL(tarball, config.registry), config.registry);
}

export function conventionalTarballUrl(registry: string, name: string, version: string): URL {
  const base = name.startsWith("@") ? name.slice(name.indexOf("/") + 1) : name;
  return new URL(`${name}/-/${base}-${version}.tgz`, registry);
}

/**
 * Mirrors often copy documents from registry.npmjs.org verbatim. npm's default
 * (`replace-registry-host=npmjs`) then fetches the tarball from the configured
 * registry instead; do the same, keeping the registry's path prefix.
 */
function replaceRegistryHost(tarball: URL, registry: string): URL {
  if (tarball.host !== "registry.npmjs.org" || new URL(registry).host === "registry.npmjs.org") return tarball;
  return new URL(tarball.pathname.replace(/^\//, ""), registry);
}

/** The parsed document, or undefined on an HTTP error or bad JSON; network errors propagate. */
async function tryJson(url: URL, options: GetOptions, accept: string): Promise<unknown> {
  const response = await get(url, { ...options, headers: { ...options.headers, accept } });
  if (response.status !== 200) {
    response.discard();
    return undefined;
  }
  const text = await readText(response);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function dig(value: unknown, keys: string[]): string | undefined {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "string" && current !== "" ? current : undefined;
}
