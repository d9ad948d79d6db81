/**
 * Provider-prefixed event names (UST `provider:event`): bare or quoted in `event` aliases,
 * quoted wherever events are listed (`on`, sequence steps, alert triggers), checked without
 * false did-you-mean errors, and matched by the compiled program as the tracer names them.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../engine/compile.js";
import { compileOk, ev, runRules } from "../helpers/run-rules.js";
import { diagnosticsOf, expectReject, parseDecl } from "./helpers.js";

describe("provider-prefixed event names", () => {
  it("reads an alias target written provider:event, quoted, or plain, in order", () => {
    const a = parseDecl(`event vm_exit = vigil_kvm:kvm_x86_exit | "lttng_ust:kvm_exit" | kvm_exit`, "EventAlias");
    expect(a.events.map((e) => e.name)).toEqual(["vigil_kvm:kvm_x86_exit", "lttng_ust:kvm_exit", "kvm_exit"]);
    expect(a.events[0]!.span).toMatchObject({ line: 1, col: 17, endCol: 39 });
  });

  it("takes quoted names in on-lists and sequence steps; a bare colon there stays a step label", () => {
    const m = parseDecl(`machine m per $tid {\n  states a, b = a\n  on "p:enter" | kvm_entry -> b\n}`, "Machine");
    expect(m.transitions[0]!.events.map((e) => e.name)).toEqual(["p:enter", "kvm_entry"]);
    const s = parseDecl(`sequence s per $tid {\n  x: "p:exit" -> not "p:entry" within 5ms\n}`, "Sequence");
    expect(s.steps.map((st) => [st.label?.name ?? null, st.events.map((e) => e.name)])).toEqual([["x", ["p:exit"]], [null, ["p:entry"]]]);
  });

  it("rejects spaces around the colon and names that no tracer writes (VGL118)", () => {
    expectReject("event e = vigil_kvm : kvm_exit", "VGL118", 1, 11);
    expectReject(`event e = "kvm exit"`, "VGL118", 1, 11);
    expectReject(`alert a on ""`, "VGL118", 1, 12);
    expect(diagnosticsOf(`event e = p:`)).toContain("VGL102 1:13");
  });

  it("checks provider names without did-you-mean errors against the kernel catalogue", () => {
    // `p:kvm_exit` is one edit from nothing the user meant; the catalogue knows `kvm_exit`
    const ok = compile({ sources: [{ file: "t.vgl", text: `event e = p:kvm_exit\nalert a on e\nalert b on "q:kvm_entry"` }] });
    expect(ok.diagnostics.map((d) => d.code)).toEqual([]);
    // an unknown UST name is a warning (the trace may have it), not an error
    const unk = compile({ sources: [{ file: "t.vgl", text: `alert a on "myapp:tick"` }] });
    expect(unk.diagnostics.map((d) => [d.code, d.severity])).toEqual([["VGL203", "warning"]]);
    // against a trace's schema, names are exact
    const schema = [{ name: "vigil_kvm:kvm_exit", fields: [{ name: "exit_reason" }] }] as Parameters<typeof compile>[0]["traceSchema"];
    const tr = compile({ sources: [{ file: "t.vgl", text: `alert a on "vigil_kvm:kvm_exit" where exit_reason == 1\nalert b on "vigil_kvm:kvm_entry"` }], traceSchema: schema });
    expect(tr.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["VGL204", 2]]);
  });

  it("matches events by their provider-prefixed names at run time", async () => {
    const rules = `event vm_exit = vigil_kvm:kvm_x86_exit | kvm_exit
alert ept on vm_exit where exit_reason == 48
  message "ept {$name}"
alert entry on "vigil_kvm:kvm_x86_entry"
  message "entry"`;
    expect(compileOk(rules).program).toBeDefined();
    const r = await runRules(rules, [
      ev(1, "vigil_kvm:kvm_x86_exit", { exit_reason: 48 }),
      ev(2, "kvm_x86_exit", { exit_reason: 48 }), // another spelling, not in the alias
      ev(3, "kvm_exit", { exit_reason: 48 }),
      ev(4, "vigil_kvm:kvm_x86_entry", {}),
      ev(5, "kvm_x86_entry", {}),
    ]);
    expect(r.alerts.map((a) => `${a.ts} ${a.message}`)).toEqual(["1 ept vigil_kvm:kvm_x86_exit", "3 ept kvm_exit", "4 entry"]);
  });
});
