/**
 * A double of the part of the `vscode` module the extension uses, faithful to
 * the documented API (code.visualstudio.com/api/references/vscode-api):
 * commands run their registered handlers; configuration answers with the
 * defaults package.json contributes unless a user, workspace or folder value
 * is set, folder values applying to the URIs inside that folder; messages
 * resolve to the clicked item or undefined (dismissed); withProgress hands
 * the task a progress reporter and, when cancellable, a token; SecretStorage
 * and Memento keep values in memory.
 *
 * A scripted "user" answers the UI: each showQuickPick / showInputBox /
 * showOpenDialog / message call takes the next answer queued for it, and
 * everything shown is recorded for the assertions.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MANIFEST = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

// ---- basic types -------------------------------------------------------------------------

export class Disposable {
  constructor(private readonly done: () => void = () => undefined) {}
  dispose(): void {
    this.done();
  }
}

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** A URI as VS Code's: only the file scheme's behaviour matters here (fsPath is the platform path). */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}

  static file(fsPath: string): Uri {
    return new Uri("file", "", path.resolve(fsPath).split(path.sep).join("/"), "", "");
  }

  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.slice(0, -1), url.host, decodeURIComponent(url.pathname), url.search.slice(1), url.hash.slice(1));
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }

  get fsPath(): string {
    return this.path.split("/").join(path.sep);
  }

  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }

  toString(): string {
    const encoded = this.path
      .split("/")
      .map((part) => encodeURIComponent(part))
      .join("/");
    return `${this.scheme}://${this.authority}${encoded}${this.query ? `?${this.query}` : ""}${this.fragment ? `#${this.fragment}` : ""}`;
  }
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  private cancelled = false;
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

// ---- the scripted user and what was shown ------------------------------------------------

export interface Shown {
  kind: "info" | "warning" | "error";
  message: string;
  items: string[];
  modal: boolean;
}

export interface ProgressRun {
  title: string | undefined;
  cancellable: boolean;
  reports: { message?: string; increment?: number }[];
  source: CancellationTokenSource;
}

type QuickPickAnswer = string | ((items: { label: string }[]) => { label: string } | undefined) | undefined;

/** What the user will do next, by kind of prompt, and what they were shown. */
export const user = {
  quickPicks: [] as QuickPickAnswer[],
  inputs: [] as (string | undefined)[],
  openDialogs: [] as (string[] | undefined)[],
  /** Button labels clicked, in order, for messages that have buttons; undefined dismisses. Messages without buttons take no answer. */
  clicks: [] as (string | undefined)[],
  /** Called on every progress report; may cancel the run (the Cancel button). */
  onProgress: undefined as ((run: ProgressRun, report: { message?: string; increment?: number }) => void) | undefined,

  shown: [] as Shown[],
  quickPickTitles: [] as (string | undefined)[],
  inputBoxes: [] as { title?: string; prompt?: string; value?: string; password?: boolean; validate?: (v: string) => unknown }[],
  progress: [] as ProgressRun[],
  executed: [] as { command: string; args: unknown[] }[],
  panels: [] as WebviewPanel[],
  outputs: [] as OutputChannel[],
};

export function resetUser(): void {
  user.quickPicks.length = 0;
  user.inputs.length = 0;
  user.openDialogs.length = 0;
  user.clicks.length = 0;
  user.onProgress = undefined;
  user.shown.length = 0;
  user.quickPickTitles.length = 0;
  user.inputBoxes.length = 0;
  user.progress.length = 0;
  user.executed.length = 0;
  user.panels.length = 0;
}

// ---- commands ----------------------------------------------------------------------------

const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    if (registered.has(id)) throw new Error(`command '${id}' already exists`);
    registered.set(id, handler);
    return new Disposable(() => registered.delete(id));
  },
  async executeCommand<T>(id: string, ...args: unknown[]): Promise<T> {
    user.executed.push({ command: id, args });
    const handler = registered.get(id);
    // Built-in commands (revealInExplorer, vscode.open, workbench.action.openSettings) are recorded only.
    return (handler ? await handler(...args) : undefined) as T;
  },
  async getCommands(): Promise<string[]> {
    return [...registered.keys()];
  },
};

// ---- window ------------------------------------------------------------------------------

export class OutputChannel {
  readonly lines: string[] = [];
  visible = false;
  constructor(readonly name: string) {}
  append(value: string): void {
    this.lines.push(value);
  }
  appendLine(value: string): void {
    this.lines.push(value);
  }
  trace(message: string): void {
    this.lines.push(`[trace] ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`[debug] ${message}`);
  }
  info(message: string): void {
    this.lines.push(`[info] ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`[warning] ${message}`);
  }
  error(message: string | Error): void {
    this.lines.push(`[error] ${String(message)}`);
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  clear(): void {
    this.lines.length = 0;
  }
  replace(value: string): void {
    this.lines.splice(0, this.lines.length, value);
  }
  dispose(): void {}
}

/** Messages: (message, ...items) or (message, options, ...items); items are strings or { title }. */
function message(kind: Shown["kind"], text: string, ...rest: unknown[]): Promise<unknown> {
  const options =
    rest[0] !== null && typeof rest[0] === "object" && !("title" in (rest[0] as object)) ? (rest.shift() as { modal?: boolean }) : {};
  const items = rest as (string | { title: string })[];
  const labels = items.map((i) => (typeof i === "string" ? i : i.title));
  user.shown.push({ kind, message: text, items: labels, modal: options.modal === true });
  if (items.length === 0) return Promise.resolve(undefined);
  const clicked = user.clicks.shift();
  const at = clicked === undefined ? -1 : labels.indexOf(clicked);
  if (clicked !== undefined && at < 0)
    throw new Error(`the user clicked '${clicked}', which is not among ${JSON.stringify(labels)} of "${text}"`);
  return Promise.resolve(at < 0 ? undefined : items[at]);
}

export class Webview {
  html = "";
  readonly cspSource = "https://file+.vscode-resource.vscode-cdn.net";
  constructor(readonly options: { enableScripts?: boolean; localResourceRoots?: Uri[] }) {}
  /** As VS Code maps a local file for a webview: the vscode-resource origin, the file's path. */
  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`https://file+.vscode-resource.vscode-cdn.net${uri.toString().slice("file://".length)}`);
  }
}

export class WebviewPanel {
  readonly webview: Webview;
  private readonly disposed = new EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  reveals = 0;
  constructor(
    readonly viewType: string,
    public title: string,
    readonly column: ViewColumn,
    options: { enableScripts?: boolean; localResourceRoots?: Uri[] },
  ) {
    this.webview = new Webview(options);
  }
  reveal(): void {
    this.reveals++;
  }
  dispose(): void {
    this.disposed.fire();
  }
}

interface Tab {
  input: unknown;
}

export const window = {
  createOutputChannel(name: string, _options?: { log: true }): OutputChannel {
    const channel = new OutputChannel(name);
    user.outputs.push(channel);
    return channel;
  },
  showInformationMessage: (text: string, ...rest: unknown[]) => message("info", text, ...rest),
  showWarningMessage: (text: string, ...rest: unknown[]) => message("warning", text, ...rest),
  showErrorMessage: (text: string, ...rest: unknown[]) => message("error", text, ...rest),
  async showQuickPick<T extends { label: string }>(items: T[] | Promise<T[]>, options?: { title?: string }): Promise<T | undefined> {
    const list = await items;
    user.quickPickTitles.push(options?.title);
    const answer = user.quickPicks.shift();
    if (answer === undefined) return undefined;
    if (typeof answer === "function") return answer(list) as T | undefined;
    const found = list.find((item) => item.label === answer);
    if (!found) throw new Error(`no item '${answer}' in ${options?.title}: ${list.map((i) => i.label).join(", ")}`);
    return found;
  },
  /** Like VS Code, an answer the box's validateInput refuses cannot be accepted: the test fails. */
  async showInputBox(options: {
    title?: string;
    prompt?: string;
    value?: string;
    password?: boolean;
    validateInput?: (value: string) => string | undefined | null | Promise<string | undefined | null>;
  }): Promise<string | undefined> {
    user.inputBoxes.push({ ...options, ...(options.validateInput ? { validate: options.validateInput } : {}) });
    const answer = user.inputs.shift();
    if (answer === undefined) return undefined;
    const problem = await options.validateInput?.(answer);
    if (problem) throw new Error(`the input box refuses '${answer}': ${problem}`);
    return answer;
  },
  async showOpenDialog(_options: unknown): Promise<Uri[] | undefined> {
    const answer = user.openDialogs.shift();
    return answer?.map((file) => Uri.file(file));
  },
  async withProgress<R>(
    options: { location: ProgressLocation; title?: string; cancellable?: boolean },
    task: (
      progress: { report(value: { message?: string; increment?: number }): void },
      token: CancellationTokenSource["token"],
    ) => Thenable<R>,
  ): Promise<R> {
    const source = new CancellationTokenSource();
    const run: ProgressRun = { title: options.title, cancellable: options.cancellable === true, reports: [], source };
    user.progress.push(run);
    const progress = {
      report(value: { message?: string; increment?: number }) {
        run.reports.push(value);
        user.onProgress?.(run, value);
      },
    };
    return task(progress, source.token);
  },
  createWebviewPanel(
    viewType: string,
    title: string,
    column: ViewColumn,
    options: { enableScripts?: boolean; localResourceRoots?: Uri[] },
  ) {
    const panel = new WebviewPanel(viewType, title, column, options);
    user.panels.push(panel);
    return panel;
  },
  tabGroups: { activeTabGroup: { activeTab: undefined as Tab | undefined } },
};

// ---- workspace ---------------------------------------------------------------------------

export interface WorkspaceFolder {
  uri: Uri;
  name: string;
  index: number;
}

const settings = {
  user: new Map<string, unknown>(),
  workspace: new Map<string, unknown>(),
  /** Folder settings by folder path. */
  folders: new Map<string, Map<string, unknown>>(),
};

export const workspace = {
  workspaceFolders: undefined as WorkspaceFolder[] | undefined,
  getWorkspaceFolder(uri: Uri): WorkspaceFolder | undefined {
    const inside = (workspace.workspaceFolders ?? []).filter((f) => uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path}/`));
    return inside.sort((a, b) => b.uri.path.length - a.uri.path.length)[0];
  },
  /** Values: folder (for a scope inside that folder), then workspace, then user, then package.json's default. */
  getConfiguration(section: string, scope?: Uri) {
    const folder = scope ? workspace.getWorkspaceFolder(scope) : undefined;
    const full = (key: string) => `${section}.${key}`;
    const lookup = (key: string): { found: boolean; value?: unknown } => {
      const name = full(key);
      const layers = [folder ? settings.folders.get(folder.uri.path) : undefined, settings.workspace, settings.user];
      for (const layer of layers) if (layer?.has(name)) return { found: true, value: layer.get(name) };
      const contributed = MANIFEST.contributes.configuration.properties[name];
      return contributed && "default" in contributed ? { found: true, value: contributed.default } : { found: false };
    };
    return {
      get<T>(key: string, fallback?: T): T {
        const { found, value } = lookup(key);
        return (found ? value : fallback) as T;
      },
      has(key: string): boolean {
        return lookup(key).found;
      },
      async update(key: string, value: unknown, target: ConfigurationTarget | boolean = ConfigurationTarget.Workspace): Promise<void> {
        const layer =
          target === ConfigurationTarget.Global || target === true
            ? settings.user
            : target === ConfigurationTarget.WorkspaceFolder && folder
              ? (settings.folders.get(folder.uri.path) ?? new Map())
              : settings.workspace;
        if (target === ConfigurationTarget.WorkspaceFolder && folder) settings.folders.set(folder.uri.path, layer);
        if (value === undefined) layer.delete(full(key));
        else layer.set(full(key), value);
      },
    };
  },
};

/** Sets a setting as a user would (in settings.json), for a folder when given. */
export function setSetting(name: string, value: unknown, folder?: string): void {
  if (folder === undefined) {
    settings.user.set(name, value);
    return;
  }
  const key = Uri.file(folder).path;
  const layer = settings.folders.get(key) ?? new Map<string, unknown>();
  layer.set(name, value);
  settings.folders.set(key, layer);
}

export function resetSettings(): void {
  settings.user.clear();
  settings.workspace.clear();
  settings.folders.clear();
}

/** Opens these folders as the workspace (several: a multi-root workspace). */
export function openFolders(...folders: string[]): void {
  workspace.workspaceFolders = folders.map((f, index) => ({ uri: Uri.file(f), name: path.basename(f), index }));
}

export const env = { remoteName: undefined as string | undefined, appName: "Visual Studio Code (double)" };

// ---- the extension context ---------------------------------------------------------------

export class SecretStorage {
  private readonly values = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
  }
  /** Everything stored (for assertions). */
  entries(): [string, string][] {
    return [...this.values];
  }
}

export class Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
}

/** An ExtensionContext for the extension folder `extensionPath` (its package.json is read as VS Code does). */
export function extensionContext(extensionPath: string) {
  const packageJSON = JSON.parse(readFileSync(path.join(extensionPath, "package.json"), "utf8")) as unknown;
  const extensionUri = Uri.file(extensionPath);
  return {
    subscriptions: [] as { dispose(): unknown }[],
    secrets: new SecretStorage(),
    globalState: new Memento(),
    workspaceState: new Memento(),
    extensionUri,
    extensionPath,
    extension: { id: "cutout.cutout", extensionUri, extensionPath, packageJSON },
    asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
  };
}
