/**
 * A load test of `cutout serve` as users run it: 100 requests at
 * concurrency 8 with the real model, through every protocol and a mix of
 * formats and effects. None may fail, and the server's resident memory after
 * the run must be within 10% of what it was after the first 10 requests (no
 * leak per request). Speed is not asserted: `pnpm bench --server` measures
 * it against the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANIME, answer, CAR, form, type ServeProcess, startServe } from "../support/serve";

const TOTAL = 100;
const WARM_UP = 10;
const CONCURRENCY = 8;
let serve: ServeProcess;

beforeAll(async () => {
  // The fast preset (the same model at 704 px) keeps the run short; the memory per request is what is measured.
  serve = await startServe(["--quality", "fast", "-q"], { ready: true });
});
afterAll(() => serve?.kill());

/** The i-th request: each protocol in turn, each photo, several formats and effects. */
function request(i: number): [string, FormData] {
  const photo = i % 2 === 0 ? CAR : ANIME;
  switch (i % 5) {
    case 0:
      return ["/v1.0/removebg", form({ format: "png" }, { image_file: photo })];
    case 1:
      return ["/rmbg", form({ format: "webp", w: "300" }, { image: photo })];
    case 2:
      return ["/v2/rembg/color/", form({ bgcolor: "(255, 140, 0, 255)" }, { image: photo })];
    case 3:
      return ["/v1/remove", form({ format: "jpg", channels: "rgb", bg_color: "#ffffff" }, { image_file: photo })];
    default:
      return ["/api/remove", form({ om: "true" }, { file: photo })];
  }
}

async function run(from: number, to: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = from;
  const worker = async () => {
    while (next < to) {
      const [path, body] = request(next++);
      const served = await fetch(`${serve.url}${path}`, { method: "POST", body }).then(answer);
      statuses.push(served.status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return statuses;
}

const rss = async () => (await fetch(`${serve.url}/healthz`).then(answer)).json.memory.rss as number;

describe("load", () => {
  it(`${TOTAL} requests at concurrency ${CONCURRENCY}: no failure, and no growth in memory`, async () => {
    const first = await run(0, WARM_UP);
    const afterWarmUp = await rss();
    const rest = await run(WARM_UP, TOTAL);
    const afterAll = await rss();
    expect([...first, ...rest]).toEqual(Array(TOTAL).fill(200));
    console.log(
      `RSS after ${WARM_UP} requests ${(afterWarmUp / 2 ** 20).toFixed(0)} MiB, after ${TOTAL} ${(afterAll / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(afterAll).toBeLessThanOrEqual(afterWarmUp * 1.1);
    const health = (await fetch(`${serve.url}/healthz`).then(answer)).json;
    expect(health.images).toEqual({ done: TOTAL, failed: 0, dropped: 0 });
    // No time limit is asserted; this one only stops a hang (100 inferences on a busy 2-core machine take minutes).
  }, 900_000);
});
