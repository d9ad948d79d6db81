/**
 * Browser side: paints one lane's state intervals as pixels. One row of device pixels is
 * computed (a colour per column: the first interval reaching each column wins it, zoomed-out
 * runs of tiny intervals are skipped by binary search), copied down the lane's height and put
 * on the canvas in one call. A redraw costs lanes × (pixels + log intervals), so a million
 * intervals still pan and zoom smoothly.
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */

/** Where a lane goes and which time range it shows (CSS px; `dpr` converts to device px). */
export interface LaneView {
  t0: number;
  t1: number;
  left: number;
  top: number;
  width: number;
  height: number;
  dpr: number;
}

/** The lane painter factory. */
export function lanePainterModule() {
  let img: ImageData | null = null;
  const packed = new Map<string, number>();

  /** `#rrggbb` as one canvas pixel (RGBA bytes in memory order, read as a little-endian word). */
  function pixel(css: string): number {
    let v = packed.get(css);
    if (v === undefined) {
      const n = parseInt(css.slice(1, 7), 16);
      v = ((255 << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
      packed.set(css, v);
    }
    return v;
  }

  /** Index of the first interval (flat quadruples) ending at or after `t`. */
  function firstEndingAfter(iv: number[], t: number): number {
    let lo = 0, hi = iv.length / 4;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (iv[mid * 4]! + iv[mid * 4 + 1]! < t) lo = mid + 1; else hi = mid; }
    return lo * 4;
  }

  /** Paints intervals `iv` (`[start, duration, state, fieldSet]...`) of one lane into `v`. */
  function paint(ctx: CanvasRenderingContext2D, iv: number[], colorOf: (state: number) => string, v: LaneView, background: string): void {
    const W = Math.max(1, Math.round(v.width * v.dpr)), H = Math.max(1, Math.round(v.height * v.dpr));
    if (!img || img.width !== W || img.height !== H) img = ctx.createImageData(W, H);
    const px = new Uint32Array(img.data.buffer);
    const row = px.subarray(0, W);
    row.fill(pixel(background));
    const scale = W / (v.t1 - v.t0);
    const tAt = (x: number) => v.t0 + x / scale;
    let painted = 0; // columns before this one are final
    for (let i = firstEndingAfter(iv, v.t0); i < iv.length && iv[i]! <= v.t1; i += 4) {
      let x0 = Math.max(0, Math.round((iv[i]! - v.t0) * scale));
      let x1 = Math.min(W, Math.round((iv[i]! + iv[i + 1]! - v.t0) * scale));
      if (x1 <= x0) {
        if (x0 < painted) {
          const j = firstEndingAfter(iv, tAt(painted - 0.5)); // jump over what cannot show
          if (j > i + 4) i = j - 4;
          continue;
        }
        x1 = x0 + 1;
      } else if (x0 < painted) x0 = painted;
      if (x1 <= x0 || x0 >= W) continue;
      row.fill(pixel(colorOf(iv[i + 2]!)), x0, x1);
      painted = x1;
    }
    for (let r = 1; r < H; r++) px.copyWithin(r * W, 0, W);
    ctx.putImageData(img, Math.round(v.left * v.dpr), Math.round(v.top * v.dpr));
  }

  return { paint, firstEndingAfter };
}
