/**
 * Common subexpressions of one generated function, each evaluated at most once per call.
 *
 * Why: the kvm pack's rows feed a dozen tables whose where, by and select clauses repeat the
 * same macros (`in_range`, `clipped`, `coalesce(vm_names[vm], vm)`) and machine lookups
 * (`cr3_source[vm].state`); a machine transition reads the same `cr3_pending[$tid]` instance
 * for several kept fields. Each repeat was a fresh hash lookup or expression evaluation.
 *
 * Contract: the function is generated twice with the same scope — a counting pass, then
 * `emit()` and the real pass — so only what occurs at least twice is memoised. A memoised
 * value is computed where it is first needed (`_cN !== _NA ? _cN : (_cN = code)`), never
 * earlier, so a branch that is not taken costs nothing more than before. Callers enable a
 * scope only where every value an expression reads is fixed for the whole call: a table's
 * update for one row, a transition's right-hand sides (all computed before any is assigned).
 * Keys are canonical source text with a kind prefix; generated code never enters a key.
 */
export class CseScope {
  private counting = true;
  private readonly counts = new Map<string, number>();
  private readonly names = new Map<string, string>();

  /** Ends the counting pass: from now on `use` memoises what was seen twice or more. */
  emit(): void {
    this.counting = false;
  }

  /** `code`, or a memoised read of it when `key` repeats within the function. */
  use(key: string, code: string): string {
    if (this.counting) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      return code;
    }
    if ((this.counts.get(key) ?? 0) < 2) return code;
    let name = this.names.get(key);
    if (name === undefined) {
      name = `_c${this.names.size}`;
      this.names.set(key, name);
    }
    return `(${name} !== _NA ? ${name} : (${name} = ${code}))`;
  }

  /** The locals' declaration for the top of the function (`let _c0 = _NA, ...;`), or "". */
  declarations(): string {
    if (this.names.size === 0) return "";
    return `let ${[...this.names.values()].map((n) => `${n} = _NA`).join(", ")};`;
  }
}

/**
 * Generates a function body twice with one scope (see the contract) and returns the second
 * pass's result with the declarations it needs.
 */
export function withCse<T>(generate: (cse: CseScope) => T): { result: T; declarations: string } {
  const cse = new CseScope();
  generate(cse);
  cse.emit();
  const result = generate(cse);
  return { result, declarations: cse.declarations() };
}
