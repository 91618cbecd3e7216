import { parseArgs } from "node:util";
import { isCutoutError } from "../errors.js";
import type { Precision, Quality } from "../node/engine-model.js";
import { createCutoutServer } from "./app.js";
import { loadKeys } from "./keys.js";
import { DEFAULT_PORT, type ServerOptions } from "./options.js";

export const SERVE_USAGE = `Usage: cutout serve [options]

Runs an HTTP server that speaks the paid background-removal APIs' protocols,
with the model running here. Point an existing client at its base URL:
  remove.bg / BgCut   POST /v1.0/removebg, GET /v1.0/account
  rembg.com           POST /rmbg
  fapihub             POST /v2/rembg/ (and /blur/, /color/, /gradient/, /shadow/)
  minimal API         POST /v1/remove
  rembg server        POST /api/remove, GET /api/remove?url=
Also: GET / (a page to try it), /healthz, /readyz, /openapi.json.

Options:
  -p, --port <n>                 port (default: ${DEFAULT_PORT}; 0 picks a free one)
      --host <address>           address to listen on (default: 127.0.0.1, this machine
                                 only; 0.0.0.0 serves the network)
      --keys-file <path>         API keys, one per line; with keys (or CUTOUT_SERVER_KEYS),
                                 requests without a valid key are refused
      --rate-limit <mp>          megapixels per minute per key, as remove.bg counts them
                                 (default: no limit)
      --body-limit <size>        largest request, e.g. 22mb (default: 22mb)
      --queue <n>                requests that may wait for the model (default: 16);
                                 beyond that, 503 with Retry-After
      --allow-private-hosts <l>  comma-separated hosts, addresses or CIDR ranges that
                                 image_url / bg_image_url may name although private
                                 (default: none; * allows any)
      --fetch-timeout <ms>       time limit for fetching image URLs (default: 30000)
  -m, --model <name>             isnet-fp16 (default) | isnet-q8
      --model-path <file>        a local .onnx file instead of downloading
      --quality <preset>         best (default) | balanced | fast
      --precision <p>            int8 (default) | float
  -t, --threads <n>              inference threads (default: the physical cores)
      --max-pixels <n>           refuse larger inputs (default: 50000000)
      --max-png-pixels <n>       largest PNG output (default: 10000000)
  -q, --quiet                    no access log (one JSON line per request on stdout)
  -h, --help                     show this help

Environment:
  CUTOUT_SERVER_KEYS             API keys, separated by commas or spaces

SIGTERM or Ctrl-C stops taking requests, finishes those in flight, and exits.`;

const FLAGS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "keys-file": { type: "string" },
  "rate-limit": { type: "string" },
  "body-limit": { type: "string" },
  queue: { type: "string" },
  "allow-private-hosts": { type: "string" },
  "fetch-timeout": { type: "string" },
  model: { type: "string", short: "m" },
  "model-path": { type: "string" },
  quality: { type: "string" },
  precision: { type: "string" },
  threads: { type: "string", short: "t" },
  "max-pixels": { type: "string" },
  "max-png-pixels": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

class UsageError extends Error {}

/** `cutout serve`: resolves with the exit code once the server has stopped. */
export async function serve(argv: string[]): Promise<number> {
  let options: ServerOptions;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: true });
    if (values.help) {
      process.stdout.write(`${SERVE_USAGE}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const int = (flag: keyof typeof FLAGS) => integer(`--${flag}`, values[flag] as string | undefined);
    options = {
      port: int("port"),
      host: values.host,
      keys: loadKeys(values["keys-file"], process.env.CUTOUT_SERVER_KEYS),
      rateLimit: int("rate-limit"),
      bodyLimit: byteSize("--body-limit", values["body-limit"]),
      queueSize: int("queue"),
      allowPrivateHosts: values["allow-private-hosts"]
        ?.split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
      fetchTimeoutMs: int("fetch-timeout"),
      maxPixels: int("max-pixels"),
      maxPngPixels: int("max-png-pixels"),
      engine: {
        model: values.model,
        modelPath: values["model-path"],
        quality: values.quality as Quality | undefined,
        precision: values.precision as Precision | undefined,
        threads: int("threads"),
      },
      ...(values.quiet ? { accessLog: false as const } : {}),
    };
  } catch (error) {
    return usage(error);
  }
  let server: Awaited<ReturnType<typeof createCutoutServer>>;
  let url: string;
  try {
    server = await createCutoutServer(options);
    url = await server.listen();
  } catch (error) {
    if (isCutoutError(error) && error.code === "validation_error") return usage(error);
    const reason =
      (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? `port ${options.port ?? DEFAULT_PORT} is in use` : String(error);
    process.stderr.write(`cutout serve: cannot start: ${reason}\n`);
    return 1;
  }
  const keys = options.keys?.length ? `, ${options.keys.length} API key(s)` : ", no API keys (open to anyone who can connect)";
  process.stderr.write(`cutout serve: listening on ${url}${keys}; loading the model\n`);
  server.ready.then(
    () => process.stderr.write("cutout serve: model ready\n"),
    (error) => process.stderr.write(`cutout serve: the model could not be loaded: ${(error as Error).message}\n`),
  );
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`cutout serve: ${signal} again: exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      const { running, waiting } = server.queue();
      process.stderr.write(`cutout serve: ${signal}: finishing ${running + waiting} request(s) in work, taking no new ones\n`);
      server.close().then(
        () => {
          process.stderr.write("cutout serve: stopped\n");
          resolve(0);
        },
        (error) => {
          process.stderr.write(`cutout serve: error while stopping: ${String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function usage(error: unknown): number {
  process.stderr.write(`cutout serve: ${(error as Error).message}\n\nRun 'cutout serve --help' for usage.\n`);
  return 2;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number, got '${value}'`);
  return Number(value);
}

/** 22mb, 500kb, 1gb or plain bytes; k/m/g are powers of 1024. */
function byteSize(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`${flag} expects a size such as 22mb or 500kb, got '${value}'`);
  const unit = (match[2] ?? "b").toLowerCase()[0] as "b" | "k" | "m" | "g";
  const bytes = Math.round(Number(match[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]);
  if (bytes < 1) throw new UsageError(`${flag} must be at least 1 byte, got '${value}'`);
  return bytes;
}
