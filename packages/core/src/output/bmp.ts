/**
 * BMP writer (sharp/libvips cannot write BMP). RGB becomes 24-bit BI_RGB;
 * RGBA becomes 32-bit BI_BITFIELDS with a BITMAPV4 header, the form that
 * keeps alpha in common viewers. Rows are stored bottom-up, BGR(A).
 */
export function encodeBmp(pixels: Uint8Array, width: number, height: number, channels: 3 | 4): Uint8Array {
  const headerSize = channels === 4 ? 108 : 40;
  const rowBytes = channels === 4 ? width * 4 : Math.ceil((width * 3) / 4) * 4;
  const dataOffset = 14 + headerSize;
  const size = dataOffset + rowBytes * height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // "B"
  out[1] = 0x4d; // "M"
  view.setUint32(2, size, true);
  view.setUint32(10, dataOffset, true);
  view.setUint32(14, headerSize, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, channels * 8, true);
  view.setUint32(30, channels === 4 ? 3 : 0, true); // BI_BITFIELDS or BI_RGB
  view.setUint32(34, rowBytes * height, true);
  view.setInt32(38, 2835, true); // 72 dpi
  view.setInt32(42, 2835, true);
  if (channels === 4) {
    view.setUint32(54, 0x00ff0000, true); // red mask
    view.setUint32(58, 0x0000ff00, true);
    view.setUint32(62, 0x000000ff, true);
    view.setUint32(66, 0xff000000, true); // alpha mask
    view.setUint32(70, 0x73524742, true); // "sRGB" colour space
  }
  for (let y = 0; y < height; y++) {
    let src = (height - 1 - y) * width * channels;
    let dst = dataOffset + y * rowBytes;
    for (let x = 0; x < width; x++, src += channels, dst += channels) {
      out[dst] = pixels[src + 2];
      out[dst + 1] = pixels[src + 1];
      out[dst + 2] = pixels[src];
      if (channels === 4) out[dst + 3] = pixels[src + 3];
    }
  }
  return out;
}
