#!/usr/bin/env node
// The CLI is bundled to dist/ by `pnpm build` (run on install by the workspace's prepare script).
import("../dist/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && /dist\/cli\.js/.test(String(error.message))) {
    process.stderr.write("cutout: not built yet; run `pnpm build` (or `pnpm install`) in the workspace first.\n");
    process.exit(2);
  }
  throw error;
});
