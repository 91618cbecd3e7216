import { defineConfig } from "vitest/config";

// Tests run the real model: one file at a time keeps two cores and memory
// for the inference under test instead of several model copies at once.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "models/test/**/*.test.ts", "bench/test/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // One model cache for every file: downloaded once, announced, before the first test.
    globalSetup: ["./test/support/model-cache.ts"],
  },
});
