/**
 * code-server (real VS Code, from the npm registry) for the extension's
 * real-host test. VS Code's own test runner downloads VS Code, which cannot
 * work here; code-server ships the same workbench and extension host.
 */
import path from "node:path";
import { aptInstall, cachedInstall, node24, pathWithNode24, run } from "./hosts.js";

export const CODE_SERVER_VERSION = "4.139.1";

export interface CodeServer {
  /** The code-server launcher script; run it with `node24().bin`. */
  entry: string;
  /** The install's root (holds node_modules/code-server). */
  dir: string;
}

/**
 * Installs code-server once into HOST_CACHE: Debian's gssapi headers and build
 * tools for its `kerberos` module, Node 24 first on PATH (its postinstall
 * requires it) and that Node's headers for node-gyp, which cannot download them.
 */
export function codeServer(): CodeServer {
  const dir = cachedInstall(
    `code-server-${CODE_SERVER_VERSION}`,
    `installing code-server@${CODE_SERVER_VERSION} (npm, about 500 MB)`,
    (target) => {
      aptInstall(["libkrb5-dev", "build-essential", "python3"], "code-server's native modules");
      const node = node24();
      // Its postinstall reads Node's version from npm_config_user_agent: the one pnpm or vitest's parent
      // passed down names the test's Node, so it is dropped for npm to set its own.
      run(
        "npm",
        ["install", "--prefix", target, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `code-server@${CODE_SERVER_VERSION}`],
        {
          env: { PATH: pathWithNode24(), npm_config_nodedir: node.home, npm_config_user_agent: undefined },
          timeoutMs: 1_500_000,
        },
      );
    },
  );
  return { dir, entry: path.join(dir, "node_modules", "code-server", "out", "node", "entry.js") };
}
