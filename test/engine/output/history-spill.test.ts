/**
 * `vigil run -f json|csv` keeps no interval in memory: they go to a spill as they close
 * (engine/output/history-spill.ts) and the output reads them back. The text must be
 * byte-identical to the one built from intervals kept in memory.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CSV_ROWS, formatCsv } from "../../../engine/output/csv-formatter.js";
import { HistoryFiles, type SpillRenderers } from "../../../engine/output/history-spill.js";
import { JSON_ROWS, formatJson, segmentRecordText, stateRecordText } from "../../../engine/output/json-formatter.js";
import { Program } from "../../../engine/runtime/program.js";
import { compileOk, ev, toEvent, type EventSpec } from "../../helpers/run-rules.js";
import { REPO } from "../../helpers/shared.js";

const RULES = `
machine m per $cpu {
  states idle, busy = idle
  keep who = "", n = 0, big = 0, ratio = 0, flag = false, nothing = null
  on sched_switch where next_tid > 0 -> busy { who = next_comm  n = n + 1  big = next_tid * 1000000000000000000  ratio = n / 3  flag = next_tid > 5  nothing = n / 0 }
  on sched_switch where next_tid == 0 -> idle
}
machine unused per $cpu {
  states a, b = a
  on never_seen -> b
}
sequence s per $cpu {
  a: sched_switch where next_tid > 0 => b: sched_switch where next_tid == 0 within 1s
  emit segment { comm: a.next_comm }
}
`;

// names with quotes, commas, line breaks, backslashes and multi-byte UTF-8 (split across the
// spill's tiny chunks)
const COMMS = ["kworker/0:1", 'q"uote', "back\\slash", "héllo wörld", "日本語のスレッド", "emoji 🚀", "a,b", "two\nlines"];
const EVENTS: EventSpec[] = Array.from({ length: 60 }, (_, i) => ev(i * 10, "sched_switch", { next_tid: i % 3 === 2 ? 0 : i + 1, next_comm: COMMS[i % COMMS.length]! }, { cpu: i % 2 }));

async function run(spill: HistoryFiles | null) {
  const prog = new Program(compileOk(RULES).program!, { print: () => {}, history: true, ...(spill ? { spill } : {}) });
  for (const e of EVENTS) prog.push(toEvent(e));
  return prog.finish();
}

describe("history spill", () => {
  for (const [name, rows, format] of [["JSON", JSON_ROWS, formatJson], ["CSV", CSV_ROWS, formatCsv]] as const) {
    it(`${name}: gives the text of a run that kept everything, byte for byte`, async () => {
      const kept = await run(null);
      const spill = new HistoryFiles(rows as SpillRenderers, tmpdir(), 7);
      try {
        const spilled = await run(spill);
        expect(spilled.states["m"]).toEqual([]);
        expect(spilled.segments["s"]).toEqual([]);
        expect(spilled.spilled!.states["m"]!.count).toBe(kept.states["m"]!.length);
        expect(spilled.spilled!.states["m"]!.fields).toEqual(["who", "n", "big", "ratio", "flag", "nothing"]);
        expect(kept.states["m"]!.length).toBeGreaterThan(30);
        // a machine that never moved has no spill file and still prints (empty)
        expect(spilled.spilled!.states["unused"]).toBeUndefined();
        const text = format(spilled);
        expect(text).toBe(format(kept));
        expect(text).toContain("日本語のスレッド");
        if (name === "JSON") for (const part of ['"ratio": 0.3333333333333333', '"flag": true', '"flag": false', '"nothing": null']) expect(text).toContain(part);
        expect(text).toMatch(/"big": "\d{19,}"|,\d{19,}(,|\n)/); // past 2^53: exact
        // read twice, same text
        expect(format(spilled)).toBe(text);
      } finally {
        spill.dispose();
      }
    });
  }

  it("joins the records it was given, whatever the chunk size, and never leaves a file", async () => {
    const kept = await run(null);
    for (const chunk of [1, 5, 64, 1 << 16]) {
      const parent = mkdtempSync(join(tmpdir(), "vigil-spill-test-"));
      const spill = new HistoryFiles(JSON_ROWS, parent, chunk);
      const rows = kept.states["m"]!.map((s) => ({ key: s.key, state: s.state, start: s.start, end: s.end, duration: s.end - s.start, open: false, ...s.fields }));
      for (const r of rows) spill.state("m", r);
      for (const seg of kept.segments["s"]!) spill.segment("s", { start: seg.start, end: seg.end, duration: seg.end - seg.start, key: 0, ...seg.fields });
      // the files have no name from the moment they are open: a killed run leaves nothing
      expect(readdirSync(parent)).toEqual([]);
      const got = spill.finish();
      expect([...got.states["m"]!.joined(" | ")].join("")).toBe(kept.states["m"]!.map(stateRecordText).join(" | "));
      expect([...got.segments["s"]!.joined("\n")].join("")).toBe(kept.segments["s"]!.map(segmentRecordText).join("\n"));
      spill.dispose();
      expect(readdirSync(parent)).toEqual([]);
    }
  });

  it("vigil run -f json|csv spills, prints what the in-memory path prints, and leaves no file behind", () => {
    const tmp = mkdtempSync(join(tmpdir(), "vigil-spill-cli-"));
    const run = (extra: string[]) => spawnSync(process.execPath, [join(REPO, "dist", "cli", "main.js"), "run", ...extra, "examples/vcpu.vgl", "examples/kvm-host.jsonl"],
      { cwd: REPO, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TMPDIR: tmp } });
    for (const format of ["json", "csv"]) {
      const spilled = run(["-f", format]);
      expect(spilled.status).toBe(0);
      // --timeline needs the intervals in memory: no spill there
      const kept = run(["-f", format, "--timeline", join(tmp, "timeline.json")]);
      expect(kept.status).toBe(0);
      expect(spilled.stdout).toBe(kept.stdout);
      expect(spilled.stdout.split("\n").length).toBeGreaterThan(100);
    }
    expect(readdirSync(tmp).filter((d) => d.startsWith("vigil-history-"))).toEqual([]);
    expect(existsSync(join(tmp, "timeline.json"))).toBe(true);
    // nowhere to write: a clear error before the run, nothing half-written on stdout
    const nowhere = spawnSync(process.execPath, [join(REPO, "dist", "cli", "main.js"), "run", "-f", "json", "examples/vcpu.vgl", "examples/kvm-host.jsonl"],
      { cwd: REPO, encoding: "utf8", env: { ...process.env, TMPDIR: join(tmp, "missing") } });
    expect(nowhere.status).toBe(1);
    expect(nowhere.stdout).toBe("");
    expect(nowhere.stderr).toMatch(/cannot write the output's intervals to temporary files in .*missing \(ENOENT\): set TMPDIR/);
  });
});
