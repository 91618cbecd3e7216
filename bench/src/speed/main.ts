// `pnpm bench`: cold start, warm end-to-end, bare session.run and peak RSS
// for a ~1 MP and a ~12 MP photo. The same bundle runs as the parent and, with
// --child, as the cold and warm child processes. Heavy modules are imported
// lazily so a cold child pays for them inside its own measurement.
import { engineOf, parseBenchArgs, USAGE } from "./args.js";
import { type ChildReport, REPORT_MARKER } from "./protocol.js";

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.child) {
    process.stdout.write(`${REPORT_MARKER}${JSON.stringify(await childReport(args))}\n`);
    return 0;
  }
  const { runParent } = await import("./parent.js");
  return runParent(args);
}

/** What a child process measures, by the role it was started for. */
async function childReport(args: ReturnType<typeof parseBenchArgs>): Promise<ChildReport> {
  const engine = engineOf(args);
  if (args.child === "bare-cold") return (await import("./cold.js")).runBareCold(engine);
  if (!args.image) throw new Error("--child needs --image");
  return args.child === "cold"
    ? (await import("./cold.js")).runCold(args.image, engine)
    : (await import("./warm.js")).runWarm(args.image, engine, args.runs, args.batch);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
