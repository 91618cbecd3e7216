import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { CutoutError } from "../errors.js";

/**
 * The API keys a server accepts. Keys are compared through their SHA-256
 * digests with timingSafeEqual, against every configured key without
 * stopping at a match, so the time taken says nothing about how much of a
 * key was right, nor which one matched.
 */
export class KeyRing {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = [...new Set(keys)].map(digest);
  }

  /** No keys configured: every request is let in. */
  get open(): boolean {
    return this.digests.length === 0;
  }

  accepts(given: string | undefined): boolean {
    if (this.open) return true;
    const candidate = digest(given ?? "");
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(known, candidate) || found;
    return found && given !== undefined && given !== "";
  }
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}

/** The key a client sent, in any of the headers the spoken protocols use: X-Api-Key (remove.bg, rembg.com, the minimal API), ApiKey (fapihub), or Authorization: Bearer. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const bearer = /^Bearer\s+(.+)$/i.exec(header("authorization") ?? "")?.[1];
  return header("x-api-key") || header("apikey") || bearer?.trim() || undefined;
}

/**
 * Keys from a file (one per line; blank lines and # comments ignored) and
 * from a variable's text (separated by commas, spaces or new lines).
 */
export function loadKeys(file: string | undefined, variable: string | undefined): string[] {
  const keys: string[] = [];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CutoutError("validation_error", `Cannot read the keys file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
        field: "keysFile",
      });
    }
    for (const line of text.split(/\r?\n/)) {
      const key = line.replace(/#.*/, "").trim();
      if (key !== "") keys.push(key);
    }
  }
  if (variable !== undefined) keys.push(...variable.split(/[\s,]+/).filter((key) => key !== ""));
  return keys;
}
