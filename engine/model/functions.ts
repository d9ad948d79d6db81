/**
 * Built-in functions callable from expressions: the catalogue (names, arity, docs) the checker
 * uses. Implementations live in `engine/runtime/builtins.ts` under the same names.
 */
export interface FunctionInfo {
  minArgs: number;
  maxArgs: number;
  doc: string;
}

export const FUNCTIONS: Record<string, FunctionInfo> = {
  abs: { minArgs: 1, maxArgs: 1, doc: "Absolute value" },
  sqrt: { minArgs: 1, maxArgs: 1, doc: "Square root of a number (null when negative or not a number)" },
  min: { minArgs: 2, maxArgs: 8, doc: "Smallest argument" },
  max: { minArgs: 2, maxArgs: 8, doc: "Largest argument" },
  str: { minArgs: 1, maxArgs: 1, doc: "Value as text" },
  int: { minArgs: 1, maxArgs: 1, doc: "Text or number as an integer (null when not a number)" },
  hex: { minArgs: 1, maxArgs: 1, doc: "Integer as 0x-prefixed hexadecimal text" },
  lower: { minArgs: 1, maxArgs: 1, doc: "Lower-case text" },
  upper: { minArgs: 1, maxArgs: 1, doc: "Upper-case text" },
  len: { minArgs: 1, maxArgs: 1, doc: "Length of text or array" },
  after: { minArgs: 2, maxArgs: 2, doc: "after(text, mark): the text after the first `mark` (null when there is none): int(after($comm, \"vhost-\"))" },
  coalesce: { minArgs: 2, maxArgs: 8, doc: "First argument that is not null" },
  ms: { minArgs: 1, maxArgs: 1, doc: "Nanoseconds as (fractional) milliseconds" },
  us: { minArgs: 1, maxArgs: 1, doc: "Nanoseconds as (fractional) microseconds" },
  duration: { minArgs: 1, maxArgs: 1, doc: "Nanoseconds as readable text (12.5ms)" },
  cond: { minArgs: 3, maxArgs: 3, doc: "cond(c, a, b): a when c holds, else b" },
  tuple: { minArgs: 2, maxArgs: 8, doc: "A composite key of several values (`per tuple(domain, vcpu)`), as text `a:b`" },
  bucket: { minArgs: 2, maxArgs: 2, doc: "Start of the fixed window holding a time: bucket($ts, 1s) = ⌊ts / 1s⌋ × 1s" },
};
