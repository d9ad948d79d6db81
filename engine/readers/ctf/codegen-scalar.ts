/**
 * Emitters for scalar reads: alignment, integers (with clock updates), floats, strings and
 * text arrays. Generated code runs with `st` (DecodeState), `u8`, `dv`, `p` (bit position) and
 * `R` (DecodeRuntime) in scope.
 *
 * Contract: after each emitter, `p` is past the value and `g.known` is updated. Byte-aligned
 * 8/16/32/64-bit integers read through `DataView`; other integers whose bit offset is known
 * statically and that span at most 4 bytes are assembled inline; the rest call the generic
 * bit reader. 64-bit values are `number` when exact, else `bigint`.
 */
import type { FloatType, IntegerType } from "./metadata-model.js";
import type { CodeGen } from "./codegen-buffer.js";

/** What a read integer also does besides producing its value. */
export interface IntEffects {
  /** Update the running clock (a clock-mapped field other than `timestamp_end`). */
  clock: boolean;
  /** Store as the event id (`id` fields of the event header). */
  id: boolean;
}

/** Aligns `p` to `align` bits. */
export function emitAlign(g: CodeGen, align: number): void {
  if (align <= 1) return;
  if (g.known !== null && align <= 8 && g.known % align === 0) return;
  g.line(`p = (p + ${align - 1}) & ${-align};`);
  g.known = align >= 8 ? 0 : g.known === null ? null : (Math.ceil(g.known / align) * align) % 8;
}

/** Reads integer `t` into local `v`. */
export function emitInt(g: CodeGen, t: IntegerType, le: boolean, v: string, fx: IntEffects): void {
  emitAlign(g, t.align);
  const size = t.size;
  const aligned = g.known === 0;
  let hiLo: [string, string] | null = null;
  if (aligned && size === 8) {
    g.line(t.signed ? `${v} = (u8[p >>> 3] << 24) >> 24;` : `${v} = u8[p >>> 3];`);
  } else if (aligned && (size === 16 || size === 32)) {
    g.line(`${v} = dv.get${t.signed ? "Int" : "Uint"}${size}(p >>> 3, ${le});`);
  } else if (aligned && size === 64) {
    const hi = g.fresh("h");
    const lo = g.fresh("l");
    hiLo = [hi, lo];
    g.line(`${lo} = dv.getUint32((p >>> 3) + ${le ? 0 : 4}, ${le}); ${hi} = dv.get${t.signed ? "Int" : "Uint"}32((p >>> 3) + ${le ? 4 : 0}, ${le});`);
    const safe = t.signed ? `${hi} < 2097152 && ${hi} >= -2097152` : `${hi} < 2097152`;
    // Wide values come straight from DataView: one bigint, no intermediate ones.
    g.line(`${v} = ${safe} ? ${hi} * 4294967296 + ${lo} : dv.getBig${t.signed ? "Int" : "Uint"}64(p >>> 3, ${le});`);
  } else if (g.known !== null && Math.ceil((g.known + size) / 8) <= 4 && size < 32) {
    _emitInline(g, t, le, v, g.known);
  } else {
    g.line(`${v} = R.r${t.signed ? "s" : "u"}(u8, p, ${size}, ${le});`);
  }
  g.line(`p += ${size};`);
  if (g.known !== null) g.known = (g.known + size) % 8;
  if (fx.clock) _emitClock(g, size, v, hiLo);
  if (fx.id) g.line(`st.id = ${v};`);
}

/** Reads float `t` into local `v`. */
export function emitFloat(g: CodeGen, t: FloatType, le: boolean, v: string): void {
  emitAlign(g, t.align);
  const size = t.expDig + t.mantDig;
  if (g.known === 0) {
    g.line(`${v} = dv.getFloat${size}(p >>> 3, ${le});`);
  } else if (size === 32) {
    g.line(`${v} = R.f32(R.ru(u8, p, 32, ${le}));`);
  } else {
    g.line(`${v} = R.f64(R.ru(u8, p, 64, ${le}));`);
  }
  g.line(`p += ${size};`);
  if (g.known !== null) g.known = (g.known + size) % 8;
}

/** Reads a NUL-terminated string into `v`. */
export function emitString(g: CodeGen, v: string): void {
  emitAlign(g, 8);
  g.line(`${v} = R.str(st, p >>> 3); p = st.strEnd * 8;`);
  g.known = 0;
}

/** Reads `n` (an expression) bytes of text into `v`, after a bounds check. */
export function emitText(g: CodeGen, n: string, v: string, what: string): void {
  emitAlign(g, 8);
  const len = g.fresh("n");
  g.line(`${len} = R.len(st, p, ${n}, 8, ${what});`);
  g.line(`${v} = R.text(u8, p >>> 3, ${len}); p += ${len} * 8;`);
  g.known = 0;
}

// --- internal ---

/** Integer of < 32 bits at a statically known bit offset within at most 4 bytes. */
function _emitInline(g: CodeGen, t: IntegerType, le: boolean, v: string, shift: number): void {
  const nbytes = Math.ceil((shift + t.size) / 8);
  const parts: string[] = [];
  for (let i = 0; i < nbytes; i++) {
    const byte = `u8[(p >>> 3) + ${i}]`;
    const sh = le ? 8 * i : 8 * (nbytes - 1 - i);
    parts.push(sh === 0 ? byte : `(${byte} << ${sh})`);
  }
  const word = parts.length === 1 ? parts[0] : `(${parts.join(" | ")})`;
  const down = le ? shift : nbytes * 8 - shift - t.size;
  const mask = t.size === 31 ? "0x7fffffff" : `0x${(2 ** t.size - 1).toString(16)}`;
  const raw = down === 0 ? `(${word} & ${mask})` : `((${word} >>> ${down}) & ${mask})`;
  // Sign-extend through the int32 shift pair.
  g.line(t.signed ? `${v} = (${raw} << ${32 - t.size}) >> ${32 - t.size};` : `${v} = ${raw};`);
}

/** CTF clock update (spec §8): one wrap when the new low bits are below the current ones. */
function _emitClock(g: CodeGen, size: number, v: string, hiLo: [string, string] | null): void {
  if (size === 64 && hiLo !== null) {
    const [hi, lo] = hiLo;
    g.line(`if (st.base.hi < 0) st.base.hi = ${hi} >>> 0;`);
    g.line(`st.clk = ((${hi} >>> 0) - st.base.hi) * 4294967296 + ${lo};`);
  } else if (size === 64) {
    g.line(`R.clk64(st, ${v});`);
  } else if (size <= 31) {
    const m = g.fresh("m");
    g.line(`${m} = st.clk & ${2 ** size - 1}; st.clk += ${v} - ${m} + (${v} < ${m} ? ${2 ** size} : 0);`);
  } else if (size === 32) {
    const m = g.fresh("m");
    g.line(`${m} = st.clk >>> 0; st.clk += ${v} - ${m} + (${v} < ${m} ? 4294967296 : 0);`);
  } else {
    g.line(`R.clkWide(st, ${v}, ${size});`);
  }
}
