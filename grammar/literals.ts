/**
 * Literal values from their spelling: integers, durations and sizes as exact bigints (a cr3
 * or a kernel pointer exceeds 2^53), strings unescaped.
 *
 * Contract: pure functions of the token image; the lexer already guarantees the shape, so the
 * only failures are semantic ones (a duration that is not a whole number of nanoseconds, an
 * unknown escape), returned as values for the builder to report.
 */

/** `123` or `0x1F` → exact value. */
export function intValue(text: string): bigint {
  return BigInt(text);
}

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  min: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** `10ms`, `1.5s` → nanoseconds; a fraction finer than 1 ns (`1.5ns`) is an error string. */
export function durationNs(text: string): { ns: bigint } | { error: string } {
  const m = /^(\d+)(?:\.(\d+))?(ns|us|ms|min|s|h)$/.exec(text);
  if (m === null) return { error: `\`${text}\` is not a duration` };
  const [, whole, frac = "", unit] = m;
  const scale = 10n ** BigInt(frac.length);
  const scaled = (BigInt(whole!) * scale + BigInt(frac || "0")) * NS_PER_UNIT[unit!]!;
  if (scaled % scale !== 0n) {
    return { error: `\`${text}\` is not a whole number of nanoseconds` };
  }
  return { ns: scaled / scale };
}

const BYTES_PER_UNIT: Record<string, bigint> = {
  B: 1n,
  KiB: 1n << 10n,
  MiB: 1n << 20n,
  GiB: 1n << 30n,
  TiB: 1n << 40n,
  KB: 1_000n,
  MB: 1_000_000n,
  GB: 1_000_000_000n,
};

/** `64KiB` → 65536 (binary units are powers of 1024, decimal ones of 1000). */
export function sizeBytes(text: string): bigint {
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB|KB|MB|GB)$/.exec(text);
  if (m === null) throw new Error(`not a size: ${text}`);
  return BigInt(m[1]!) * BYTES_PER_UNIT[m[2]!]!;
}

/** One escape the string syntax does not know (`\q`), at `offset` in the quoted image. */
export interface BadEscape {
  offset: number;
  text: string;
}

/**
 * The value of a quoted string image (`"a\"b"` → `a"b`). Known escapes: `\"`, `\\`, `\n`,
 * `\t`; any other `\x` keeps `x` and is listed in `bad` so it can be reported.
 */
export function unescapeString(image: string): { value: string; bad: BadEscape[] } {
  const body = image.slice(1, image.endsWith('"') && image.length > 1 ? -1 : undefined);
  if (!body.includes("\\")) return { value: body, bad: [] };
  let value = "";
  const bad: BadEscape[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\" || i + 1 >= body.length) {
      value += ch;
      continue;
    }
    const next = body[++i]!;
    const known = ESCAPES[next];
    if (known === undefined) bad.push({ offset: i, text: "\\" + next });
    value += known ?? next;
  }
  return { value, bad };
}

// --- internal ---

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t" };
