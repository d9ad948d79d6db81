/** const, list, macro, map (literal and TSV) and use: the declarations rules build on. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";
import { Program } from "../../../engine/runtime/program.js";
import { ev, runRules, toEvent } from "../../helpers/run-rules.js";

describe("declarations", () => {
  it("const, list and macro feed guards", async () => {
    const rules = `
const LIMIT = 0x10
list timers = (236, 251)
macro is_timer = irq in timers && irq > LIMIT
alert t on kvm_inj_virq where is_timer`;
    const events = [ev(1, "kvm_inj_virq", { irq: 236 }), ev(2, "kvm_inj_virq", { irq: 33 }), ev(3, "kvm_inj_virq", { irq: 251n })];
    const r = await runRules(rules, events);
    expect(r.alerts.map((a) => a.ts)).toEqual([1, 3]);
  });

  it("maps: literal entries and a TSV file, read as map[key], tested with in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-map-"));
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "reasons.tsv"), "# exit reasons\ncode\thex\tname\n12\t0x0c\tHLT\n48\t0x30\tEPT_VIOLATION\n");
    const file = join(dir, "r.vgl");
    const text = `
map reason_name from "data/reasons.tsv" key code value name
map class = { "HLT": "idle", "EPT_VIOLATION": "memory" }
alert named on kvm_exit message "{reason_name[exit_reason]} ({class[reason_name[exit_reason]]})"
alert unknown on kvm_exit where exit_reason not in reason_name message "unknown exit {exit_reason}"`;
    const out = compile({ sources: [{ file, text }] });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const prog = new Program(out.program!, { print: () => {} });
    for (const e of [ev(1, "kvm_exit", { exit_reason: 12 }), ev(2, "kvm_exit", { exit_reason: 48n }), ev(3, "kvm_exit", { exit_reason: 99 })]) prog.push(toEvent(e));
    const r = await prog.finish();
    expect(r.alerts.map((a) => `${a.rule}: ${a.message}`)).toEqual([
      "named: HLT (idle)", "named: EPT_VIOLATION (memory)", "named: ? (?)", "unknown: unknown exit 99",
    ]);
  });

  it("an empty map reads as null and holds nothing, until --map fills it", async () => {
    const text = `
map names = { }
alert a on e where not (k in names) and names[k] == null message "{coalesce(names[k], k)}"
alert b on e where k in names message "{coalesce(names[k], k)}"`;
    const run = async (mapEntries: Array<{ map: string; key: string; value: string }>) => {
      const out = compile({ sources: [{ file: "m.vgl", text }], mapEntries });
      expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const prog = new Program(out.program!, { print: () => {} });
      for (const e of [ev(1, "e", { k: 7 }), ev(2, "e", { k: 8 })]) prog.push(toEvent(e));
      return (await prog.finish()).alerts.map((a) => `${a.rule}: ${a.message}`);
    };
    expect(await run([])).toEqual(["a: 7", "a: 8"]);
    expect(await run([{ map: "names", key: "7", value: "seven" }])).toEqual(["b: seven", "a: 8"]);
  });

  it("in a list of small integers: the same answers as any list, for every kind of value", async () => {
    // (0..4095 lists are tested through a bitmap, others through a Set: both must agree)
    const rules = `
list small = (0, 20, 24, 4095)
list large = (0, 20, 24, 4096)
alert a on e where v in small message "small"
alert b on e where v in large message "large"
alert c on e where v not in small message "not small"`;
    const values = [0, 20, 24n, 4095, 4096, 20.5, -0, -20, "20", true, 1e12, null];
    const r = await runRules(rules, values.map((v, i) => ev(i + 1, "e", { v: v as never })));
    const at = (ts: number) => r.alerts.filter((a) => a.ts === ts).map((a) => a.message).sort();
    expect(values.map((_, i) => at(i + 1))).toEqual([
      ["large", "small"], ["large", "small"], ["large", "small"], ["small"], ["large", "not small"],
      ["not small"], ["large", "small"], ["not small"], ["not small"], ["not small"], ["not small"], ["not small"],
    ]);
  });

  it("after(text, mark): what follows the first mark, null without one", async () => {
    const r = await runRules(`const MARK = "vhost-"
const X = "x"
const NONE = "none"
alert a on e message "{after(s, MARK)}|{int(after(s, MARK)) + 1}|{coalesce(after(s, X), NONE)}"`,
      [ev(1, "e", { s: "vhost-2147" }), ev(2, "e", { s: "vhost-vhost-5" }), ev(3, "e", { s: "kworker/0:1" })]);
    expect(r.alerts.map((a) => a.message)).toEqual(["2147|2148|none", "vhost-5|?|none", "?|?|none"]);
  });

  it("a map whose file or column is missing is a located error", () => {
    const out = compile({ sources: [{ file: "/tmp/x.vgl", text: `map m from "nope.tsv" key a value b\nalert x on e where m[1] == 2` }] });
    expect(out.diagnostics.map((d) => [d.code, d.span.line])).toContainEqual(["VGL230", 1]);
    const out2 = compile({ sources: [{ file: "/tmp/x.vgl", text: `map m = { 1: 2 }\nalert x on e where m == 2` }] });
    expect(out2.diagnostics.map((d) => d.code)).toContain("VGL227");
  });

  it("use pulls in another file relative to the user, once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-use-"));
    writeFileSync(join(dir, "common.vgl"), "event vm_exit = kvm_x86_exit | kvm_exit\nconst HLT = 12\n");
    writeFileSync(join(dir, "main.vgl"), 'use "./common.vgl"\nuse "./common.vgl"\nalert h on vm_exit where exit_reason == HLT\n');
    const out = compile({ files: [join(dir, "main.vgl")] });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(out.texts.size).toBe(2);
    const prog = new Program(out.program!, { print: () => {} });
    prog.push(toEvent(ev(5, "kvm_x86_exit", { exit_reason: 12 })));
    expect((await prog.finish()).alerts.map((a) => a.ts)).toEqual([5]);
    const bad = compile({ sources: [{ file: join(dir, "b.vgl"), text: 'use "./missing.vgl"\nuse nosuchpack' }] });
    expect(bad.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["VGL120", 1], ["VGL122", 2]]);
  });
});
