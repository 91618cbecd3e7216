// Compiles the refinement's kernels (packages/core/assembly, AssemblyScript)
// to WebAssembly and writes their bytes, base64, with the exports' types that
// AssemblyScript declares for them, into a TypeScript module (git-ignored)
// that the bundles and the tests import like any other source.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const entry = fileURLToPath(new URL("../packages/core/assembly/index.ts", import.meta.url));
const target = fileURLToPath(new URL("../packages/core/src/wasm/kernels-binary.ts", import.meta.url));

export async function buildKernels() {
  const files = {};
  const { error, stderr } = await asc.main(
    // No runtime to speak of (the kernels allocate nothing) and no bounds assertions: the loader lays memory out.
    [entry, "--outFile", "kernels.wasm", "--bindings", "raw", "-O3", "--runtime", "stub", "--noAssert", "--enable", "simd"],
    {
      writeFile(name, contents) {
        files[name.split(".").pop()] = contents;
      },
    },
  );
  if (error) throw new Error(`AssemblyScript failed on ${entry}:\n${stderr.toString()}`);
  // The bindings' declarations: a namespace of the exports (memory and one function per kernel).
  const declared = /declare namespace __AdaptedExports \{[\s\S]*?\n\}/.exec(files.ts)?.[0];
  if (!declared) throw new Error("AssemblyScript's bindings no longer declare __AdaptedExports");
  const source = [
    "// Written by scripts/build-kernels.mjs from packages/core/assembly: do not edit.",
    declared,
    "export type KernelExports = typeof __AdaptedExports;",
    `export const KERNELS_WASM = "${Buffer.from(files.wasm).toString("base64")}";`,
    "",
  ].join("\n");
  if (!existsSync(target) || readFileSync(target, "utf8") !== source) writeFileSync(target, source);
}
