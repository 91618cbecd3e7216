/**
 * code-server (real VS Code, from the npm registry) for the extension's
 * real-host test. VS Code's own test runner downloads VS Code, which cannot
 * work here; code-server ships the same workbench and extension host.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { aptInstall, cachedInstall, node24, pathWithNode24, run } from "./hosts.js";

export const CODE_SERVER_VERSION = "4.139.1";

/** The launcher script of the cached install (run it with Node 24). */
function codeServerEntry(): string {
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
  return path.join(dir, "node_modules", "code-server", "out", "node", "entry.js");
}

/**
 * Settings of a quiet, offline workbench: no welcome page, no trust prompt, no
 * update or telemetry traffic. A single click in the explorer only selects:
 * an image it opened would take the focus a moment later, when its preview
 * loads, and close a context menu opened meanwhile.
 */
const USER_SETTINGS = {
  "workbench.list.openMode": "doubleClick",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true,
};

export interface CodeServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  userDataDir: string;
  /** Everything code-server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs the cached code-server with its Node 24: the CLI once, to completion. */
export function codeServerCli(args: string[], home: string): string {
  const config = path.join(home, "config.yaml");
  return run(node24().bin, [codeServerEntry(), "--config", config, ...args], { env: { PATH: pathWithNode24() }, timeoutMs: 300_000 });
}

/**
 * Prepares a private code-server home in `home` (config, user data and
 * extensions folders, so nothing of the user's own is read or written).
 */
export function prepareCodeServer(home: string): { userDataDir: string; extensionsDir: string } {
  const userDataDir = path.join(home, "user-data");
  const extensionsDir = path.join(home, "extensions");
  mkdirSync(path.join(userDataDir, "User"), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, "User", "settings.json"), JSON.stringify(USER_SETTINGS, null, 2));
  writeFileSync(path.join(home, "config.yaml"), "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  return { userDataDir, extensionsDir };
}

/** Installs a .vsix as `code-server --install-extension` does. */
export function installExtension(home: string, vsix: string): string {
  const { userDataDir, extensionsDir } = prepareCodeServer(home);
  return codeServerCli(["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir, "--install-extension", vsix], home);
}

/** Starts code-server on a free port of 127.0.0.1, without authentication; resolves once it listens. */
export async function startCodeServer(home: string): Promise<CodeServer> {
  const userDataDir = path.join(home, "user-data");
  const args = [
    codeServerEntry(),
    "--config",
    path.join(home, "config.yaml"),
    "--user-data-dir",
    userDataDir,
    "--extensions-dir",
    path.join(home, "extensions"),
    "--disable-workspace-trust",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
  ];
  const child: ChildProcess = spawn(node24().bin, args, {
    env: { ...process.env, PATH: pathWithNode24() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${text}`)), 120_000);
    const read = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const found = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`code-server exited (${code}):\n${text}`)));
  });
  return {
    url,
    userDataDir,
    output: () => text,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
