import { CutoutError } from "./errors.js";

/** image_too_large for an input over maxInputBytes. */
export function tooManyBytes(name: string, maxBytes: number): CutoutError {
  return new CutoutError("image_too_large", `${name} is larger than ${maxBytes} bytes (maxInputBytes)`);
}

/**
 * A stream's bytes, refused as soon as they pass maxBytes: leaving the loop
 * early ends the stream (a Node Readable is destroyed, a web stream cancelled).
 */
export async function collectBytes(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  name: string,
  tooLarge: () => Error = () => tooManyBytes(name, maxBytes),
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    parts.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A web stream as chunks, for browsers whose ReadableStream is not async-iterable; stopping early cancels it. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/** URLs may carry credentials or signed tokens; keep them out of messages. */
export function redactUrl(href: string): string {
  try {
    const url = new URL(href);
    url.username = "";
    url.password = "";
    url.search = url.search ? "?…" : "";
    return url.href;
  } catch {
    return "<url>";
  }
}
