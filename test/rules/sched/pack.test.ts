/** The pack's own contract: it compiles on any trace, and pack.json says what it has. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { graphSchema } from "../../../engine/analyses/critical-path/run-packs.js";
import { eventCatalog } from "../../../engine/check/event-catalog.js";
import { compile } from "../../../engine/compile.js";
import { REPO } from "../../helpers/shared.js";
import { compilePacks } from "./helpers.js";

const packJson = JSON.parse(readFileSync(join(REPO, "rules", "sched", "pack.json"), "utf8")) as {
  name: string; optional_events: string[]; reports: { machines: string[]; links: string[] };
};

describe("sched pack", () => {
  it("compiles against a trace holding only sched_switch, and against the built-in catalogue", () => {
    const onlySwitch = [{ name: "sched_switch", fields: ["prev_comm", "prev_tid", "prev_state", "next_comm", "next_tid"].map((name) => ({ name, type: "unknown" as const })) }];
    const fake = { hostId: "t", path: "t", format: "jsonl", first: 0n, last: 0n, schema: onlySwitch, open: async () => {}, batches: async function* () {} };
    for (const schema of [graphSchema([fake], ["sched"]), graphSchema([], ["sched"])]) {
      const out = compile({ packs: ["sched"], traceSchema: schema });
      expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    }
  });

  it("checks cleanly against the built-in catalogue alone (ftrace and JSON Lines traces declare no events)", () => {
    // the catalogue knows the stub, IPI and NAPI spellings and the stubs' `msgid`
    const errors = compile({ packs: ["sched"], traceSchema: null }).diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
  });

  it("pack.json names every machine and link set the pack produces", () => {
    const out = compilePacks();
    expect(out.program!.links.sort()).toEqual([...packJson.reports.links].sort());
    const machines = out.plans.filter((p) => p.rule.kind === "Machine").map((p) => p.outName).sort();
    expect(machines).toEqual([...packJson.reports.machines].sort());
  });

  it("lists as optional every spelling its aliases name that the built-in catalogue lacks", () => {
    const out = compilePacks();
    const builtin = eventCatalog(null).events;
    const spellings = [...out.unit!.symbols.aliases.values()].flatMap((a) => a.events.map((e) => e.name));
    expect(spellings.filter((s) => !builtin.has(s) && !packJson.optional_events.includes(s))).toEqual([]);
  });
});
