/** The action itself (loaded by index.ts once the platform is known to fit the bundled binaries). */
import { run } from "./main.js";
import { command } from "./runtime.js";

run(process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stdout.write(`${command("error", { title: "Cutout: internal error" }, (error as Error)?.stack ?? String(error))}\n`);
    process.exitCode = 1;
  },
);
