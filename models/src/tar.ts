/**
 * A streaming reader for the tar archives npm publishes (ustar, plus the pax
 * and GNU long-name records that node-tar writes for long paths). It reads
 * entries in order and never holds more than one chunk of the source in memory.
 */
export interface TarEntry {
  /** Path inside the archive, e.g. `package/dist/resources.json`. */
  readonly name: string;
  readonly size: number;
  readonly type: "file" | "directory" | "other";
  /** The entry's bytes. Optional to consume: unread bytes are skipped. */
  readonly body: AsyncGenerator<Uint8Array, void, undefined>;
}

const BLOCK = 512;

export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry, void, undefined> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let longName: string | undefined;
  try {
    for (;;) {
      const header = await reader.read(BLOCK);
      if (header === undefined || isZero(header)) return; // end-of-archive marker, or a truncated-but-aligned end
      verifyChecksum(header);

      const size = parseNumber(header.subarray(124, 136));
      const flag = String.fromCharCode(header[156] ?? 0);
      const padded = Math.ceil(size / BLOCK) * BLOCK;

      // Metadata records describe the next entry.
      if (flag === "x" || flag === "L") {
        if (size > 1024 * 1024) throw new Error("tar: oversized extended header");
        const data = await reader.readExactly(padded);
        const text = new TextDecoder().decode(data.subarray(0, size));
        longName = flag === "L" ? text.replace(/\0.*$/s, "") : (paxPath(text) ?? longName);
        continue;
      }
      if (flag === "g") {
        await reader.skip(padded);
        continue;
      }

      const name = longName ?? headerName(header);
      longName = undefined;
      const type = flag === "0" || flag === "\0" || flag === "7" ? "file" : flag === "5" ? "directory" : "other";
      const start = reader.position;
      yield { name, size, type, body: reader.stream(size) };
      // Whatever the consumer left unread (it may have stopped early), then the padding.
      await reader.skip(start + padded - reader.position);
    }
  } finally {
    await reader.close();
  }
}

function headerName(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  // Only POSIX ustar ("ustar\0") has a prefix field; old GNU tar ("ustar  ") keeps times there.
  const posix = cString(header.subarray(257, 263)) === "ustar";
  const prefix = posix ? cString(header.subarray(345, 500)) : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

/** The `path` record of a pax header: lines of `<len> key=value\n`. */
function paxPath(text: string): string | undefined {
  let rest = text;
  let found: string | undefined;
  while (rest.length > 0) {
    const space = rest.indexOf(" ");
    const length = Number.parseInt(rest.slice(0, space), 10);
    if (space <= 0 || !Number.isFinite(length) || length <= space) break;
    const record = rest.slice(space + 1, length - 1);
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") found = record.slice(eq + 1);
    // Lengths count bytes, not UTF-16 units; paths here are ASCII, and a
    // miscount only loses the pax name, which the header name then replaces.
    rest = rest.slice(length);
  }
  return found;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/** Octal, NUL/space terminated; or GNU base-256 when the high bit is set. */
function parseNumber(field: Uint8Array): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    if (!Number.isSafeInteger(value)) throw new Error("tar: entry size out of range");
    return value;
  }
  const text = cString(field).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error("tar: malformed header (bad size field)");
  return Number.parseInt(text, 8);
}

function verifyChecksum(header: Uint8Array): void {
  const expected = parseNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  if (sum !== expected) throw new Error("tar: malformed header (checksum mismatch)");
}

function isZero(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

/** Pulls exact byte counts out of an async iterator of arbitrary-sized chunks. */
class ByteReader {
  private pending: Uint8Array = new Uint8Array(0);
  private done = false;
  /** Bytes handed out so far. */
  position = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Up to `n` bytes from what is buffered, refilling once if empty; undefined at the end. */
  private async take(n: number): Promise<Uint8Array | undefined> {
    if (this.pending.length === 0) {
      if (this.done) return undefined;
      const next = await this.source.next();
      if (next.done === true) {
        this.done = true;
        return undefined;
      }
      this.pending = next.value;
    }
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(out.length);
    this.position += out.length;
    return out;
  }

  /** Exactly `n` bytes; undefined if the source ended cleanly first; throws if it ended midway. */
  async read(n: number): Promise<Uint8Array | undefined> {
    const first = await this.take(n);
    if (first === undefined) return undefined;
    if (first.length === n) return first;
    const out = new Uint8Array(n);
    out.set(first);
    let filled = first.length;
    while (filled < n) {
      const part = await this.take(n - filled);
      if (part === undefined) throw new Error("tar: archive is truncated");
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  async readExactly(n: number): Promise<Uint8Array> {
    if (n === 0) return new Uint8Array(0);
    const out = await this.read(n);
    if (out === undefined) throw new Error("tar: archive is truncated");
    return out;
  }

  async *stream(n: number): AsyncGenerator<Uint8Array, void, undefined> {
    let left = n;
    while (left > 0) {
      const part = await this.take(left);
      if (part === undefined) throw new Error("tar: archive is truncated");
      left -= part.length;
      yield part;
    }
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const part = await this.take(left);
      if (part === undefined) throw new Error("tar: archive is truncated");
      left -= part.length;
    }
  }

  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.source.return?.();
    }
  }
}
