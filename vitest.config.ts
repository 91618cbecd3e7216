import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// n8n loads n8n-workflow's CommonJS build; its ESM build has extensionless imports that Node cannot load, which vitest would transform itself.
const n8nWorkflow = createRequire(new URL("./packages/n8n-node/package.json", import.meta.url)).resolve("n8n-workflow");

// Tests run the real model: one file at a time keeps two cores and memory
// for the inference under test instead of several model copies at once.
export default defineConfig({
  resolve: { alias: { "n8n-workflow": n8nWorkflow } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "models/test/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
