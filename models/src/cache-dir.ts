import os from "node:os";
import path from "node:path";

export interface CacheDirOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * Cutout's cache root: `$CUTOUT_CACHE_DIR`, else `$XDG_CACHE_HOME/cutout`,
 * else the platform's usual per-user cache folder. Models go under `models/`.
 */
export function defaultCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  // Compute paths with the target platform's rules, so tests can ask for any.
  const p = platform === "win32" ? path.win32 : path.posix;
  const set = (value: string | undefined): value is string => value !== undefined && value !== "";

  if (set(env.CUTOUT_CACHE_DIR)) return p.resolve(env.CUTOUT_CACHE_DIR);
  if (set(env.XDG_CACHE_HOME)) return p.join(env.XDG_CACHE_HOME, "cutout");

  const home = options.homedir ?? os.homedir();
  if (platform === "win32") {
    const local = set(env.LOCALAPPDATA) ? env.LOCALAPPDATA : p.join(home, "AppData", "Local");
    return p.join(local, "cutout", "Cache");
  }
  if (platform === "darwin") return p.join(home, "Library", "Caches", "cutout");
  return p.join(home, ".cache", "cutout");
}
