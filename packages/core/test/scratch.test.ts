import { describe, expect, it } from "vitest";
import { BufferPool, Scratch, scratchDirty } from "../src/scratch.js";

describe("Scratch", () => {
  it("lends one buffer per name, grown when a longer array is asked for", () => {
    const scratch = new Scratch();
    const a = scratch.dirty("plane", Float32Array, 100);
    const b = scratch.dirty("plane", Float32Array, 60);
    expect(b.buffer).toBe(a.buffer);
    expect(b).toHaveLength(60);
    const c = scratch.dirty("plane", Float32Array, 1000);
    expect(c.buffer).not.toBe(a.buffer);
    expect(c).toHaveLength(1000);
    expect(scratch.dirty("other", Float32Array, 100).buffer).not.toBe(c.buffer);
  });

  it("views the same bytes with another element type", () => {
    const scratch = new Scratch();
    const bytes = scratch.dirty("shared", Uint8Array, 64);
    const levels = scratch.dirty("shared", Uint16Array, 8);
    expect(levels.buffer).toBe(bytes.buffer);
  });

  it("allocates a fresh array when there is no scratch", () => {
    const a = scratchDirty(undefined, "x", Float64Array, 5);
    expect([...a]).toEqual([0, 0, 0, 0, 0]);
    expect(scratchDirty(undefined, "x", Float64Array, 5).buffer).not.toBe(a.buffer);
  });

  it("drops its buffers on clear", () => {
    const scratch = new Scratch();
    const a = scratch.dirty("plane", Float32Array, 10);
    scratch.clear();
    expect(scratch.dirty("plane", Float32Array, 10).buffer).not.toBe(a.buffer);
  });
});

describe("BufferPool", () => {
  it("lends a buffer once: taken twice without a give, two buffers", () => {
    const pool = new BufferPool(2);
    const a = pool.take(100);
    const b = pool.take(100);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a);
    expect(pool.take(50).buffer).toBe(a.buffer);
  });

  it("takes the smallest kept buffer that fits, and a new one when none does", () => {
    const pool = new BufferPool(3);
    const small = pool.take(10);
    const large = pool.take(1000);
    pool.give(large);
    pool.give(small);
    expect(pool.take(8).buffer).toBe(small.buffer);
    expect(pool.take(500).buffer).toBe(large.buffer);
    expect(pool.take(2000)).toHaveLength(2000);
  });

  it("keeps at most `keep` buffers, the largest", () => {
    const pool = new BufferPool(1);
    const small = pool.take(10);
    const large = pool.take(1000);
    pool.give(small);
    pool.give(large);
    expect(pool.take(5).buffer).toBe(large.buffer);
    expect(pool.take(5).buffer).not.toBe(small.buffer);
  });

  it("drops the largest kept buffers first when over its byte budget", () => {
    const pool = new BufferPool(3, 1500);
    const [a, b, c] = [pool.take(1000), pool.take(600), pool.take(400)];
    for (const array of [a, b, c]) pool.give(array);
    // 2000 bytes kept would be over budget: the 1000-byte buffer goes.
    expect(pool.take(600).buffer).toBe(b.buffer);
    expect(pool.take(400).buffer).toBe(c.buffer);
    expect(pool.take(900).buffer).not.toBe(a.buffer);
  });
});
