/**
 * Static sizes of CTF types, used to bound array and sequence lengths before decoding them.
 *
 * Contract: `minBits(t)` is a lower bound of the bits any instance of `t` occupies, alignment
 * padding excluded (0 for types that may be empty), so `n * minBits(t)` bits must fit in what
 * is left of the packet for a length `n` to be plausible.
 */
import type { CtfType } from "./metadata-model.js";

/** Smallest number of bits an instance of `t` can occupy. */
export function minBits(t: CtfType): number {
  switch (t.kind) {
    case "int":
      return t.size;
    case "enum":
      return t.container.size;
    case "float":
      return t.expDig + t.mantDig;
    case "string":
      return 8;
    case "struct":
      return t.fields.reduce((n, f) => n + minBits(f.type), 0);
    case "variant":
      return t.options.length === 0 ? 0 : Math.min(...t.options.map((o) => minBits(o.type)));
    case "array":
      return t.length * minBits(t.element);
    case "sequence":
      return 0;
  }
}
