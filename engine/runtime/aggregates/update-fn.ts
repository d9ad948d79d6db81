/**
 * A table's row update, generated once per table: one straight line of code per aggregate
 * input instead of a loop over slot tables, so each table gets its own small monomorphic
 * function (the loop was a sixth of the kvm pack's run time).
 *
 * Contract: the returned function does what `TableTracker.update` documents — the group of
 * `group` (found or created by `groupOf`) counts the row, every moment slot adds its finite
 * input (count, sum and the parts its `needs` bits name: moments.ts), every quantile slot
 * stores its finite input. The generated source holds only integers computed here, never
 * text from a rule.
 */
import type { FieldValue } from "../../model/event.js";
import type { TableGroup } from "./column-plan.js";
import { MOMENT_STRIDE, momentUpdateCode } from "./moments.js";

export type TableUpdate = (ts: number, group: FieldValue[], values: ArrayLike<number>) => void;

export function compileUpdate(groupOf: (group: FieldValue[]) => TableGroup, momentArgs: Int32Array, needs: Uint8Array, quantileArgs: Int32Array): TableUpdate {
  const lines: string[] = [];
  // v - v is 0 exactly for finite numbers: one test drops NaN and ±Infinity (and null).
  const finite = "v != null && v - v === 0";
  momentArgs.forEach((arg, s) => {
    lines.push(`v = values[${arg}]; if (${finite}) { ${momentUpdateCode(s * MOMENT_STRIDE, needs[s]!)} }`);
  });
  if (quantileArgs.length > 0) {
    lines.push("const q = g.quantiles;");
    quantileArgs.forEach((arg, s) => lines.push(`v = values[${arg}]; if (${finite}) q[${s}].add(v);`));
  }
  const src = `return function update(ts, group, values) {\n  const g = groupOf(group);\n  g.count++;\n  const a = g.acc;\n  let v;\n  ${lines.join("\n  ")}\n};`;
  return new Function("groupOf", src)(groupOf) as TableUpdate;
}
