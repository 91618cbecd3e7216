/**
 * The few pieces of the Actions runtime protocol this action needs, written
 * out instead of depending on @actions/core: inputs from INPUT_* variables,
 * workflow commands on stdout, and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files. Each function follows the runner's documented behaviour.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variable the runner sets for an input: `INPUT_` + the name upper-cased
 * with spaces turned into underscores. Hyphens stay: `only-changed` arrives
 * as `INPUT_ONLY-CHANGED`.
 */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** An input's value, trimmed; `fallback` when the variable is absent (run outside a runner, or by hand). */
export function getInput(env: Env, name: string, fallback = ""): string {
  const value = env[inputVariable(name)];
  return (value ?? fallback).trim();
}

/** One entry per non-empty line. */
export function getMultilineInput(env: Env, name: string, fallback = ""): string[] {
  return splitLines(getInput(env, name, fallback));
}

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

const TRUE_WORDS = ["true", "True", "TRUE"];
const FALSE_WORDS = ["false", "False", "FALSE"];

/** YAML 1.2 core-schema booleans only, as @actions/core's getBooleanInput: a typo fails instead of meaning false. */
export function getBooleanInput(env: Env, name: string, fallback: string): boolean {
  const value = getInput(env, name, fallback);
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(
    name,
    `Input ${name} must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got '${value}'`,
  );
}

/** A bad input: reported as an error annotation titled with the input's name, before any work. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** Escaping of a workflow command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of a workflow command's property values (also `:` and `,`, which delimit them). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
}

/** `::command key=value,...::message`, as the runner parses it from stdout. */
export function command(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** Where workflow commands and log lines go; stdout unless a test swaps it. */
export interface Log {
  line(text: string): void;
}

export const stdoutLog: Log = { line: (text) => process.stdout.write(text + EOL) };

export class Runtime {
  constructor(
    readonly env: Env,
    readonly log: Log = stdoutLog,
  ) {}

  info(text: string): void {
    this.log.line(text);
  }

  debug(text: string): void {
    this.log.line(command("debug", {}, text));
  }

  notice(text: string, properties: AnnotationProperties = {}): void {
    this.log.line(command("notice", { ...properties }, text));
  }

  warning(text: string, properties: AnnotationProperties = {}): void {
    this.log.line(command("warning", { ...properties }, text));
  }

  error(text: string, properties: AnnotationProperties = {}): void {
    this.log.line(command("error", { ...properties }, text));
  }

  /**
   * Masks a secret in every later log line. Multi-line secrets are masked
   * line by line, as @actions/core does, so no line of one slips through.
   */
  setSecret(secret: string): void {
    for (const part of secret.split(/\r?\n/)) if (part.trim() !== "") this.log.line(`::add-mask::${escapeData(part)}`);
  }

  group(title: string): void {
    this.log.line(`::group::${escapeData(title)}`);
  }

  endGroup(): void {
    this.log.line("::endgroup::");
  }

  /**
   * Appends `name<<delimiter` / value / `delimiter` to GITHUB_OUTPUT. The
   * random delimiter is checked against the value, so no value can end the
   * block early or smuggle in another output.
   */
  setOutput(name: string, value: string): void {
    const file = this.env.GITHUB_OUTPUT;
    if (!file) {
      // Outside a runner (or an old one): print it, so a local run still shows the result.
      this.log.line(`${name}=${value}`);
      return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name} contains its delimiter`);
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, "utf8");
  }

  /** Appends Markdown to the job summary, when the runner offers one. Returns false without one. */
  appendSummary(markdown: string): boolean {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (!file) return false;
    appendFileSync(file, markdown, "utf8");
    return true;
  }
}
