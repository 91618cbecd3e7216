/**
 * The worker's fetch: the CDN directly; anything else (the remote engine's
 * API, which need not allow a null origin's requests) made by the main
 * thread, whose fetch knows no CORS. core's remote client calls the global
 * fetch, so it goes through this without knowing.
 */
import type { RelayedRequest, RelayedResponse } from "../protocol.js";

/** Replaces globalThis.fetch; returns the function that takes the main thread's answers. */
export function relayFetch(send: (request: RelayedRequest) => void, direct: (url: string) => boolean): (answer: RelayedResponse) => void {
  let nextId = 1;
  const waiting = new Map<number, (answer: RelayedResponse) => void>();
  const directFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (direct(request.url)) return directFetch(request);
    const { signal } = request;
    signal.throwIfAborted();
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : new Uint8Array(await request.arrayBuffer());
    const id = nextId++;
    const answered = new Promise<RelayedResponse>((resolve, reject) => {
      waiting.set(id, resolve);
      const abort = () => {
        waiting.delete(id);
        reject(signal.reason);
      };
      signal.addEventListener("abort", abort, { once: true });
    });
    send({ id, url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body });
    const answer = await answered;
    if (!answer.ok) throw new TypeError(answer.message);
    return new Response(answer.body as BodyInit, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
  return (answer) => {
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  };
}
