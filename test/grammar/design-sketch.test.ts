import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVgl } from "../../grammar/parse.js";
import { REPO } from "../helpers/shared.js";

// A copy of the language sketch in DESIGN.md (our own design text).
const SKETCH = readFileSync(join(REPO, "test/grammar/fixtures/design-sketch.vgl"), "utf8");

describe("the DESIGN.md sketch", () => {
  const { ast, diagnostics } = parseVgl(SKETCH, "design-sketch.vgl");

  it("parses without any diagnostic", () => {
    expect(diagnostics).toEqual([]);
  });

  it("yields every declaration in order", () => {
    expect(ast.decls.map((d) => d.kind)).toEqual([
      "Pack", "Use", "EventAlias", "EventAlias", "Macro", "Machine", "Sequence", "Sequence", "Table", "Alert",
    ]);
  });

  it("reads the rules as the sketch means them", () => {
    const machine = ast.decls[5]!;
    expect(machine.kind === "Machine" && machine.transitions.map((t) => `${t.events[0]!.name}->${t.to.name}`)).toEqual([
      "vm_entry->guest", "vm_exit->host", "sched_switch->preempted", "sched_switch->waiting", "sched_switch->host",
    ]);
    const storm = ast.decls[7]!;
    expect(storm.kind === "Sequence" && storm.steps[0]).toMatchObject({ quantifier: { min: 500, max: null } });
    expect(storm.kind === "Sequence" && storm.within).toMatchObject({ ns: 10_000_000n });
    const table = ast.decls[8]!;
    expect(table.kind === "Table" && table.order).toMatchObject([{ column: "share_duration", desc: true }]);
    const alert = ast.decls[9]!;
    expect(alert.kind === "Alert" && alert.spec.actions[0]!.action.kind).toBe("SnapshotAction");
  });
});
