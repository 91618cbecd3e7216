import { expect, it } from "vitest";
import { parseBenchArgs } from "../src/bench/args.js";
import { renderServerBench } from "../src/bench/server-runs.js";

it("pnpm bench --server takes requests and concurrencies, and is a section of its own", () => {
  expect(parseBenchArgs(["--server"])).toMatchObject({ server: true, requests: 40, concurrency: [1, 8], batch: 10 });
  expect(parseBenchArgs(["--server", "--requests", "12", "--concurrency", "2,4"])).toMatchObject({ requests: 12, concurrency: [2, 4] });
  expect(() => parseBenchArgs(["--server", "--cli"])).toThrow("--server times the server alone");
  expect(() => parseBenchArgs(["--server", "--concurrency", "0"])).toThrow("--concurrency must be a positive integer");
});

it("the server section gives throughput, latencies and the ratio to the CLI's per-image time", () => {
  const body = renderServerBench(
    [{ label: "1 MP (1155x866)", concurrency: 8, requests: 40, perSecond: 2, p50: 3500, p95: 4000, cliPerImage: 625, rss: 700 * 2 ** 20 }],
    10,
    "the photos",
    "pnpm bench --server",
    "2026-12-07",
  );
  expect(body).toMatch(/\| 1 MP \(1155x866\) \|\s+8 \|\s+40 \|\s+2\.00 \|\s+0\.50 \|\s+0\.63 \|\s+0\.80 \|\s+3\.50 \|\s+4\.00 \|\s+700 \|/);
  expect(body).toContain("Reproduce: `pnpm bench --server`.");
});
