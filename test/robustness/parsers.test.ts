/**
 * Property tests for the parsers packages/core/test/options/properties.test.ts
 * does not cover: the CLI's argument parser (with the option resolution the
 * CLI runs right after it), the GitHub Action's input reader, and the
 * engine-level limits of resolveOptions. Whatever arrives, each returns a
 * value or throws its own documented error, naming what was wrong: never
 * another error, which a host would report as an internal failure.
 */
import os from "node:os";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../packages/core/src/cli/args.js";
import { CutoutError } from "../../packages/core/src/errors.js";
import { OPTION_FIELDS } from "../../packages/core/src/options/option-fields.js";
import { LIMIT_KEYS, MAX_TIMEOUT_MS, type RemoveOptions, resolveOptions } from "../../packages/core/src/options.js";
import { fetchRemoteCutout } from "../../packages/core/src/remote/client.js";
import { ACTION_INPUTS, InputErrors, readSettings } from "../../packages/github-action/src/inputs.js";
import { inputVariable } from "../../packages/github-action/src/runtime.js";

const RUNS = { numRuns: 300 };

/** Values that sit near every grammar: numbers, units, colours, booleans, paths, junk. */
const VALUE_TOKENS = [
  "",
  " ",
  "0",
  "1",
  "-1",
  "10",
  "100",
  "1e309",
  "NaN",
  "Infinity",
  "0x10",
  "2.5",
  "50%",
  "10px",
  "true",
  "false",
  "TRUE",
  "yes",
  "red",
  "#ff0000",
  "#ff000080",
  "rgba(0,0,0,0.5)",
  "png",
  "jpg",
  "webp",
  "zip",
  "mask",
  "auto",
  "none",
  "drop",
  "local",
  "remote",
  "removebg",
  "isnet-fp16",
  "suffix",
  "replace",
  "out",
  "../outside",
  "/abs/path",
  "**/*.jpg",
  "a\nb",
  "center",
  "10,20",
  "0 0 50% 50%",
  "linear-gradient(90deg, red, blue)",
  "\u0000",
  "é",
  "__proto__",
  "constructor",
];
const value = fc.oneof(fc.constantFrom(...VALUE_TOKENS), fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String));

const CLI_FLAG_NAMES = [
  ...OPTION_FIELDS.flatMap((f) => (f.kind === "boolean" ? [f.flag, f.flag.replace(/^--/, "--no-")] : [f.flag])),
  "-o",
  "--output",
  "-m",
  "--model",
  "--model-path",
  "-t",
  "--threads",
  "--max-pixels",
  "--max-png-pixels",
  "--engine",
  "--quality",
  "--provider",
  "--remote-url",
  "-r",
  "--recursive",
  "--skip-existing",
  "--json",
  "-q",
  "--quiet",
  "-f",
  "--unknown",
  "-z",
  "--",
  "-",
];
const argvToken = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CLI_FLAG_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...CLI_FLAG_NAMES).chain((flag) => value.map((v) => `${flag}=${v}`)) },
  { weight: 3, arbitrary: value },
);

describe("CLI arguments", () => {
  it("any argv parses to arguments or a UsageError; the options the CLI resolves next give options or a validation_error", () => {
    fc.assert(
      fc.property(fc.array(argvToken, { maxLength: 10 }), (argv) => {
        let args: ReturnType<typeof parseCliArgs>;
        try {
          args = parseCliArgs(argv);
        } catch (error) {
          expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeGreaterThan(0);
          return;
        }
        expect(Array.isArray(args.inputs)).toBe(true);
        // As main() does: image options plus the two limits, resolved at the door.
        const perImage = { ...(args.image as RemoveOptions), maxPixels: args.maxPixels, maxPngPixels: args.maxPngPixels };
        try {
          resolveOptions(perImage);
        } catch (error) {
          expect(error, argv.join(" ")).toBeInstanceOf(CutoutError);
          expect((error as CutoutError).code).toBe("validation_error");
          expect((error as CutoutError).field, argv.join(" ")).toBeTruthy();
        }
      }),
      RUNS,
    );
  });
});

describe("GitHub Action inputs", () => {
  const names = ACTION_INPUTS.map((i) => i.name).concat(OPTION_FIELDS.map((f) => f.field));
  const known = new Set(names);

  it("any set of INPUT_* values gives settings or InputErrors, each naming a declared input", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 8 }), fc.boolean(), (inputs, withPaths) => {
        const env: Record<string, string> = {};
        for (const [name, v] of Object.entries(inputs)) env[inputVariable(name)] = v;
        if (withPaths) env[inputVariable("paths")] ??= "**/*.jpg";
        try {
          const settings = readSettings(env, os.tmpdir());
          expect(settings.paths.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error, JSON.stringify(env)).toBeInstanceOf(InputErrors);
          for (const e of (error as InputErrors).errors) {
            expect(known.has(e.input) || e.input === "options", `${e.input}: ${e.message}`).toBe(true);
            expect(e.message.length).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });
});

describe("engine-level limits", () => {
  const limit = fc.oneof(
    fc.constant(undefined),
    fc.constant(false),
    fc.constant(true),
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, -0, 2 ** 53, 1.5, 2 ** 31 - 1, 2 ** 31, 3e9, 2 ** 32),
    fc.string({ maxLength: 6 }),
    fc.constant(null),
    fc.constant({}),
  );

  it("maxPixels, maxInputBytes, timeoutMs, maxPngPixels: a positive integer (or false where allowed), else a validation_error naming it", () => {
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(LIMIT_KEYS.map((k) => [k, limit])) as Record<(typeof LIMIT_KEYS)[number], typeof limit>),
        (limits) => {
          try {
            const resolved = resolveOptions(limits as RemoveOptions);
            for (const key of LIMIT_KEYS) {
              expect(Number.isInteger(resolved[key]) && resolved[key] > 0, `${key}: ${resolved[key]}`).toBe(true);
            }
            // Node's timers overflow past 2^31 - 1 ms: a longer timeout would fire at once, or throw a RangeError.
            expect(resolved.timeoutMs).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
            expect(() => AbortSignal.timeout(resolved.timeoutMs)).not.toThrow();
          } catch (error) {
            expect(error).toBeInstanceOf(CutoutError);
            expect((error as CutoutError).code).toBe("validation_error");
            expect(LIMIT_KEYS as readonly string[]).toContain((error as CutoutError).field);
          }
        },
      ),
      RUNS,
    );
  });

  it("the remote engine's timeoutMs is held to the same bounds, before any request", async () => {
    for (const timeoutMs of [0, -1, 1.5, 3e9, 2 ** 53, Number.NaN]) {
      const error = await fetchRemoteCutout(new Uint8Array(8), { apiKey: "k-123456", url: "http://127.0.0.1:9/", timeoutMs }).catch(
        (e: unknown) => e,
      );
      expect(error, String(timeoutMs)).toBeInstanceOf(CutoutError);
      expect(error, String(timeoutMs)).toMatchObject({ code: "validation_error", field: "timeoutMs" });
    }
  });
});
