import { type CellMask, cellMask } from "./cells.js";
import { axisWeights } from "./resize.js";

/**
 * Cells of the small pass. Its only context is its radius (3 px at working
 * size), so cells can be small and hug the band of soft pixels; its rows
 * are computed in runs (foreground.ts).
 */
export const CELL_WIDTH = 8;
export const CELL_HEIGHT = 16;

/**
 * The cells of a cellsWidth x cellsHeight colour estimate that
 * `applyForeground` reads for a width x height alpha: those holding a corner
 * of the bilinear cell under a soft pixel (0 < alpha < 255). A matte is
 * mostly 0 and 255, so these are a band along the subject's edge.
 */
export function softCells(alpha: Uint8Array, width: number, height: number, cellsWidth: number, cellsHeight: number): CellMask {
  const mask = cellMask(cellsWidth, cellsHeight, CELL_WIDTH, CELL_HEIGHT);
  const { columns, flags } = mask;
  const cellOf = (size: number, cells: number, along: number) => {
    const { xs0, xs1 } = axisWeights(cells, size);
    return [xs0.map((v) => Math.floor(v / along)), xs1.map((v) => Math.floor(v / along))];
  };
  const [cx0, cx1] = cellOf(width, cellsWidth, CELL_WIDTH);
  const [cy0, cy1] = cellOf(height, cellsHeight, CELL_HEIGHT);
  // Read four pixels at a time, as one word: most words are all 0 or all 255 and are skipped whole.
  const bytes = alpha.byteOffset % 4 === 0 ? alpha : alpha.slice();
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  // The row's soft pixels mark their columns of cells here; its one or two rows of cells take them at its end.
  const hits = new Uint8Array(columns);
  for (let y = 0; y < height; y++) {
    const start = y * width;
    const end = start + width;
    let hit = false;
    for (let i = start; i < end; ) {
      let last = i;
      if ((i & 3) === 0 && i + 4 <= end) {
        const word = words[i >> 2];
        last = i + 3;
        if (word === 0 || word === -1) {
          i += 4;
          continue;
        }
      } else if (bytes[i] === 0 || bytes[i] === 255) {
        i++;
        continue;
      }
      // A mixed word marks the cells under all four pixels: a few more cells to compute, never one too few.
      for (let c = cx0[i - start]; c <= cx1[last - start]; c++) hits[c] = 1;
      hit = true;
      i = last + 1;
    }
    if (!hit) continue;
    for (let c = 0; c < columns; c++) {
      if (hits[c] === 0) continue;
      flags[cy0[y] * columns + c] = 1;
      flags[cy1[y] * columns + c] = 1;
      hits[c] = 0;
    }
  }
  return mask;
}

/**
 * As softCells, from a guided fit's settled blocks (guided-filter.ts)
 * instead of the full-size alpha: the cells under every block whose pixels
 * may be soft, with its right and lower neighbours (the bilinear corners
 * those pixels read). A superset of softCells' cells, found without the
 * full-size alpha, so the colours can be estimated before it is written.
 */
export function blockCells(settled: Uint16Array, width: number, height: number, unsettled: number): CellMask {
  const mask = cellMask(width, height, CELL_WIDTH, CELL_HEIGHT);
  const { columns, flags } = mask;
  const hits = new Uint8Array(columns);
  for (let y = 0; y < height; y++) {
    let hit = false;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (settled[i] !== unsettled) continue;
      hits[Math.floor(x / CELL_WIDTH)] = 1;
      hits[Math.floor(Math.min(x + 1, width - 1) / CELL_WIDTH)] = 1;
      hit = true;
    }
    if (!hit) continue;
    const rows = [Math.floor(y / CELL_HEIGHT), Math.floor(Math.min(y + 1, height - 1) / CELL_HEIGHT)];
    for (let c = 0; c < columns; c++) {
      if (hits[c] === 0) continue;
      for (const row of rows) flags[row * columns + c] = 1;
      hits[c] = 0;
    }
  }
  return mask;
}
