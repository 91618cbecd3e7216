/** Pixels [x0, x1) x [y0, y1). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The rectangle grown by `margin` on every side and cut to the image. Box
 * filters over the grown rectangle are exact inside the original up to
 * radius `margin`: their windows only shrink where the image itself ends.
 */
export function grow(rect: Rect, margin: number, width: number, height: number): Rect {
  return {
    x0: Math.max(0, rect.x0 - margin),
    y0: Math.max(0, rect.y0 - margin),
    x1: Math.min(width, rect.x1 + margin),
    y1: Math.min(height, rect.y1 + margin),
  };
}

/** A flag per cell of a width x height image cut into cells of cellWidth x cellHeight, row-major. */
export interface CellMask {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  columns: number;
  flags: Uint8Array;
}

export function cellMask(width: number, height: number, cellWidth: number, cellHeight: number, flag = 0): CellMask {
  const columns = Math.ceil(width / cellWidth);
  const flags = new Uint8Array(columns * Math.ceil(height / cellHeight)).fill(flag);
  return { width, height, cellWidth, cellHeight, columns, flags };
}

/** The pixels of cell (column, row), cut to the image. */
export function cellRect(mask: CellMask, column: number, row: number): Rect {
  const x0 = column * mask.cellWidth;
  const y0 = row * mask.cellHeight;
  return { x0, y0, x1: Math.min(x0 + mask.cellWidth, mask.width), y1: Math.min(y0 + mask.cellHeight, mask.height) };
}

/**
 * The flagged cells as rectangles to compute, one row of cells at a time:
 * neighbouring flagged cells join into one rectangle, so they share the
 * context a box filter needs around it, and so do cells across a gap
 * narrower than `join` pixels, whose context would overlap anyway. A
 * rectangle stops at `maxWidth` pixels so its buffers stay in cache.
 */
export function flaggedRuns(mask: CellMask, join: number, maxWidth: number): Rect[] {
  const { columns, cellWidth, cellHeight, width, height, flags } = mask;
  const out: Rect[] = [];
  for (let row = 0; row * cellHeight < height; row++) {
    const y0 = row * cellHeight;
    const y1 = Math.min(y0 + cellHeight, height);
    let run: Rect | undefined;
    for (let column = 0; column < columns; column++) {
      if (flags[row * columns + column] === 0) continue;
      const x0 = column * cellWidth;
      const x1 = Math.min(x0 + cellWidth, width);
      if (run && x0 - run.x1 < join && x1 - run.x0 <= maxWidth) {
        run.x1 = x1;
      } else {
        run = { x0, y0, x1, y1 };
        out.push(run);
      }
    }
  }
  return out;
}
