import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

/** End-to-end tests in real hosts (installed on first use and cached): `pnpm test` runs them after the rest. */
const HOSTS = ["server", "browser", "figma", "n8n", "vscode", "ship"].map((host) => `test/${host}/**/*.test.ts`);
// n8n loads n8n-workflow's CommonJS build; its ESM build has extensionless imports that Node cannot load, which vitest would transform itself.
const n8nWorkflow = createRequire(new URL("./packages/n8n-node/package.json", import.meta.url)).resolve("n8n-workflow");

// Tests run the real model: one file at a time keeps two cores and memory
// for the inference under test instead of several model copies at once.
export default defineConfig({
  resolve: { alias: { "n8n-workflow": n8nWorkflow } },
  test: {
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // One model cache for every file: downloaded once, announced, before the first test.
    globalSetup: ["./test/support/model-cache.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "models/test/**/*.test.ts", "bench/test/**/*.test.ts", "test/**/*.test.ts"],
          exclude: HOSTS,
        },
      },
      // The hosts install what a release ships: every artifact is packed once, first.
      {
        extends: true,
        test: { name: "hosts", include: HOSTS, globalSetup: ["./test/support/model-cache.ts", "./test/support/release-artifacts.ts"] },
      },
    ],
  },
});
