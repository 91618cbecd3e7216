#!/usr/bin/env node
// The CLI is bundled to dist/ by `pnpm build` (run on install by the workspace's prepare script).
// dist/launch.js is small: on Linux it may first run this script again with glibc's huge pages
// switched on (src/node/huge-pages.ts), before anything heavy is loaded.
const notBuilt = (error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && /dist\/(cli|launch)\.js/.test(String(error.message))) {
    process.stderr.write("cutout: not built yet; run `pnpm build` (or `pnpm install`) in the workspace first.\n");
    process.exit(2);
  }
  throw error;
};
const runHere = () => import("../dist/cli.js").catch(notBuilt);
import("../dist/launch.js").then(({ relaunchWithHugePages, followLauncher }) => {
  if (relaunchWithHugePages(process.argv[1], process.argv.slice(2), runHere)) return;
  followLauncher();
  return runHere();
}, notBuilt);
