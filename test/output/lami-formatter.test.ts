/**
 * LAMI 1.0 output against the reference producer, lttng-cputop-mi (Debian python3-lttnganalyses),
 * on the same real kernel trace: the version line, the metadata and results objects have the
 * same structure and data-object shapes, the time range is the same to the nanosecond, and CPU
 * usage per thread and per CPU computed from the sched pack's thread states equals cputop's.
 * Then the LAMI options (--begin/--end, --limit, --output-progress, --test-compatibility) and
 * error objects, on the shipped kvm example.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lami } from "../../cli/commands/lami.js";
import type { ParsedArgs } from "../../cli/command.js";
import { formatLamiResults } from "../../engine/output/lami-formatter.js";
import type { LamiTableClass } from "../../engine/output/lami-table-classes.js";
import { ev, runRules } from "../helpers/run-rules.js";
import { REPO, sharedPath } from "../helpers/shared.js";

const CPUTOP_MI = "/usr/bin/lttng-cputop-mi";
const CPUTOP_VGL = join(REPO, "test", "output", "fixtures", "cputop.vgl");
const EXAMPLE = { rules: join(REPO, "examples", "vcpu.vgl"), trace: join(REPO, "examples", "kvm-host.jsonl") };

type Json = any; // parsed LAMI documents, walked structurally below

/** A rules file in a fresh temporary folder. */
function tmpRules(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), "vigil-lami-")), "rules.vgl");
  writeFileSync(p, text);
  return p;
}

/** Runs `vigil lami` in-process; stdout and the exit status. */
async function vigilLami(values: ParsedArgs["values"], positionals: string[] = []): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await lami({ values, positionals }, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** The reference producer's stdout (it must be installed: it is the answer key). */
function cputopMi(args: string[]): string {
  if (!existsSync(CPUTOP_MI)) throw new Error(`${CPUTOP_MI} is missing: apt-get install -y python3-lttnganalyses (the LAMI reference producer)`);
  const r = spawnSync(CPUTOP_MI, args, { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`lttng-cputop-mi ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A value's structure: object keys (sorted) with their structures, an array's first item's, or the JSON type. */
function shape(v: Json): Json {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])]));
  return v === null ? "null" : typeof v;
}

describe("LAMI against lttng-cputop-mi on lttng-ref-basic-kernel-analysis", () => {
  let trace: string;
  let refMeta: Json, refResults: Json, meta: Json, results: Json, resultsMeta: Json;

  beforeAll(async () => {
    trace = sharedPath("traces", "lttng-ref-basic-kernel-analysis", "kernel");
    refMeta = JSON.parse(cputopMi(["--metadata"]));
    refResults = JSON.parse(cputopMi(["--limit", "100000", trace]));
    // Metadata comes without a trace (as Trace Compass asks for it): the kvm example's rules.
    const m = await vigilLami({ metadata: true }, [EXAMPLE.rules]);
    expect(m.code, m.err).toBe(0);
    meta = JSON.parse(m.out);
    const cm = await vigilLami({ metadata: true }, [join(REPO, "test", "output", "fixtures", "exit-count.vgl")]);
    resultsMeta = JSON.parse(cm.out);
    const r = await vigilLami({}, [CPUTOP_VGL, trace]);
    expect(r.code, r.err).toBe(0);
    results = JSON.parse(r.out);
  }, 120_000);

  it("prints the same version line", async () => {
    expect((await vigilLami({ "mi-version": true })).out).toBe(cputopMi(["--mi-version"]));
  });

  it("writes metadata with the reference's structure and only LAMI 1.0 column classes", () => {
    expect(Object.keys(meta).sort()).toEqual(Object.keys(refMeta).sort());
    for (const k of ["mi-version", "version", "authors", "tags"]) expect(shape(meta[k])).toEqual(shape(refMeta[k]));
    expect(meta["mi-version"]).toEqual(refMeta["mi-version"]);
    const refClasses = new Set(Object.values(refMeta["table-classes"]).flatMap((t: Json) => t["column-descriptions"].map((c: Json) => c.class)));
    const lami10 = new Set([...refClasses, "string", "number", "bool", "ratio", "timestamp", "time-range", "duration", "size", "bitrate", "syscall", "process", "path", "fd", "irq", "cpu", "disk", "part", "netif", "mixed"]);
    for (const [name, t] of Object.entries(meta["table-classes"]) as Array<[string, Json]>) {
      expect(Object.keys(t).sort(), name).toEqual(["column-descriptions", "title"]);
      for (const c of t["column-descriptions"]) {
        expect(lami10.has(c.class), `${name}.${c.title}: ${c.class}`).toBe(true);
        expect(Object.keys(c).every((k) => ["title", "class", "unit"].includes(k))).toBe(true);
      }
    }
    expect(meta["table-classes"]["example.exits"]["column-descriptions"].slice(0, 4)).toEqual([
      { title: "vm", class: "mixed" }, { title: "reason", class: "mixed" }, { title: "count", class: "number", unit: "segments" }, { title: "count_pct", class: "ratio" },
    ]);
    expect(meta["table-classes"]["example.exits"]["column-descriptions"].slice(4).map((c: Json) => c.class)).toEqual(["duration", "ratio", "duration", "duration", "duration", "duration"]);
    expect(Object.keys(resultsMeta["table-classes"])).toEqual(["exit_count.exits", "vigil-states", "vigil-alerts"]);
  });

  it("writes results with the reference's structure, the same time range and the same cell shapes", () => {
    expect(Object.keys(results)).toEqual(["results"]);
    const byClass = new Map<string, Json>(results.results.map((t: Json) => [t.class, t]));
    for (const t of results.results) {
      expect(Object.keys(t).sort()).toEqual(Object.keys(refResults.results[0]).sort());
      expect(t["time-range"]).toEqual(refResults.results[0]["time-range"]); // exact absolute ns, beyond 2^53
      expect(t.data.length).toBeGreaterThan(0);
      expect(new Set(t.data.map((row: Json[]) => row.length)).size).toBe(1);
    }
    const refCpu = refResults.results.find((t: Json) => t.class === "per-cpu");
    const refTid = refResults.results.find((t: Json) => t.class === "per-process");
    expect(shape(byClass.get("cputop.per_cpu").data[0][0])).toEqual(shape(refCpu.data[0][0])); // {"class": "cpu", "id"}
    expect(shape(byClass.get("cputop.per_tid").data[0][3])).toEqual(shape(refTid.data[0][1])); // {"class": "number", "value"}
    expect(shape(byClass.get("cputop.per_tid").data[0][1])).toEqual(shape(refTid.data[0][2])); // {"class": "string", "value"}
    expect(shape(byClass.get("vigil-states").data[0][5])).toEqual(shape(refCpu.data[0][1])); // {"class": "ratio", "value"}
    expect(shape(byClass.get("cputop.first_slice").data[0][1])).toEqual({ class: "string", tid: "number" });
  });

  it("gives cputop's CPU usage per CPU and per thread from the sched pack's thread states (within 0.1%)", () => {
    const tables = new Map<string, Json[][]>(results.results.map((t: Json) => [t.class, t.data]));
    const begin = BigInt(results.results[0]["time-range"].begin.value);
    const span = Number(BigInt(results.results[0]["time-range"].end.value) - begin);
    // cputop counts a CPU busy, and the thread it runs, from the trace's start to the CPU's first switch
    const slices = tables.get("cputop.first_slice")!.map((r) => ({ cpu: r[0].id as number, tid: r[1].tid as number, ns: Number(BigInt(r[3].value) - begin) }));
    expect(slices.length).toBe(2);
    const perCpu = new Map(tables.get("cputop.per_cpu")!.map((r) => [r[0].id as number, (r[1].value as number) + slices.find((s) => s.cpu === r[0].id)!.ns]));
    const refCpu = refResults.results.find((t: Json) => t.class === "per-cpu").data;
    expect(refCpu.length).toBe(2);
    for (const r of refCpu) expect(Math.abs(perCpu.get(r[0].id)! / span - r[1].value)).toBeLessThan(r[1].value * 0.001);
    const perTid = new Map<number, number>();
    for (const r of tables.get("cputop.per_tid")!) {
      const tid = Number(String(r[0].value).split(":")[1]);
      perTid.set(tid, (perTid.get(tid) ?? 0) + r[2].value);
    }
    for (const s of slices) if (s.tid !== 0) perTid.set(s.tid, (perTid.get(s.tid) ?? 0) + s.ns);
    // swapper (tid 0) is each CPU's idle thread: cputop lists it, the table leaves it out
    const refTid = refResults.results.find((t: Json) => t.class === "per-process").data.filter((r: Json) => r[0].tid !== 0);
    expect(refTid.length).toBeGreaterThan(50);
    expect([...perTid.keys()].sort((a, b) => a - b)).toEqual(refTid.map((r: Json) => r[0].tid).sort((a: number, b: number) => a - b));
    for (const r of refTid) {
      const ours = perTid.get(r[0].tid)! / span;
      expect(Math.abs(ours - r[3].value), `tid ${r[0].tid} ${r[0].name}`).toBeLessThanOrEqual(Math.max(r[3].value * 0.001, 1e-9));
    }
  });
});

describe("vigil lami on the kvm example", () => {
  const count = (from: bigint, to: bigint) => readFileSync(EXAMPLE.trace, "utf8").split("\n").filter((l) => l.includes('"kvm_exit"')).map((l) => BigInt(JSON.parse(l).ts)).filter((t) => t >= from && t <= to).length;

  it("analyses only --begin..--end and reports that range", async () => {
    const counter = join(REPO, "test", "output", "fixtures", "exit-count.vgl");
    const begin = 1700000000101000000n, end = 1700000000202500000n;
    const r = await vigilLami({ begin: String(begin), end: String(end) }, [counter, EXAMPLE.trace]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const t = doc.results.find((x: Json) => x.class === "exit_count.exits");
    expect(t["time-range"]).toEqual({ class: "time-range", begin: { class: "timestamp", value: Number(begin) }, end: { class: "timestamp", value: Number(end) } });
    expect(r.out).toContain(`"value": ${begin}}`); // written exactly, not as a rounded double
    expect(t.data).toEqual([[{ class: "number", value: count(begin, end) }]]);
    expect(count(begin, end)).toBeLessThan(count(0n, 2n ** 62n));
  });

  it("keeps at most --limit rows per table", async () => {
    const all = JSON.parse((await vigilLami({}, [EXAMPLE.rules, EXAMPLE.trace])).out);
    const run2 = await vigilLami({ limit: "2" }, [EXAMPLE.rules, EXAMPLE.trace]);
    const two = JSON.parse(run2.out);
    expect(run2.err).toContain("WARNING example.long_preemption"); // alert prints go to stderr, never into the LAMI
    const exits = (d: Json) => d.results.find((x: Json) => x.class === "example.exits").data;
    expect(exits(all).length).toBe(10);
    expect(exits(two)).toEqual(exits(all).slice(0, 2));
  });

  it("prints progress lines, then the results, with --output-progress", async () => {
    const r = await vigilLami({ "output-progress": true }, [EXAMPLE.rules, EXAMPLE.trace]);
    const lines = r.out.trimEnd().split("\n");
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const l of progress) expect(l).toMatch(/^(0|1|0\.\d+|\*)( .*)?$/);
    const values = progress.map((l) => Number(l.split(" ")[0]));
    expect(values[0]).toBe(0);
    expect(values[values.length - 1]).toBe(1);
    expect(JSON.parse(lines[lines.length - 1]!).results.length).toBeGreaterThan(0);
  });

  it("answers --test-compatibility with nothing for a fitting trace and an error object otherwise", async () => {
    expect(await vigilLami({ "test-compatibility": EXAMPLE.trace }, [EXAMPLE.rules])).toMatchObject({ code: 0, out: "" });
    const kernel = sharedPath("traces", "lttng-ref-basic-kernel-analysis", "kernel");
    const bad = await vigilLami({ "test-compatibility": kernel }, [join(REPO, "test", "output", "fixtures", "exit-count.vgl")]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)["error-message"]).toBe(`${kernel} has none of the events these rules read (kvm_exit)`);
    const typo = await vigilLami({ "test-compatibility": EXAMPLE.trace }, [tmpRules("table t from example_typo_event select count")]);
    expect(typo.code).toBe(1);
    expect(JSON.parse(typo.out)["error-message"]).toMatch(/^Cannot compile the rules: \d+ error\(s\), first: .*rules\.vgl:1:\d+: /);
    const missing = await vigilLami({}, [EXAMPLE.rules, "/nonexistent/trace"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)["error-message"]).toContain("/nonexistent/trace");
  });

  it("refuses bad options with an error object and a non-zero status", async () => {
    const r = await vigilLami({ begin: "12:00:00" }, [EXAMPLE.rules, EXAMPLE.trace]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ "error-message": "vigil lami: --begin 12:00:00: expected an absolute time in integer ns", "error-code": 2 });
    expect(JSON.parse((await vigilLami({ metadata: true })).out)["error-code"]).toBe(2);
  });
});

describe("formatLamiResults", () => {
  it("writes 64-bit values exactly, mistyped cells as unknown and empty ones as null", async () => {
    const r = await runRules(`event g = go
table t from g by who, rip select avg(x) as x, count`, [
      ev(1, "go", { who: 7, rip: 18446744071579336182n, x: 1 }), ev(2, "go", { who: "eight", rip: 1n, x: 2 }),
    ]);
    const classes: Record<string, LamiTableClass> = {
      t: { title: "t", columns: [{ title: "who", class: "process", processId: "pid" }, { title: "rip", class: "number" }, { title: "x", class: "ratio" }, { title: "count", class: "number" }] },
    };
    const text = formatLamiResults(r, classes);
    expect(text).toContain('[{"class": "process", "pid": 7}, {"class": "number", "value": 18446744071579336182}, {"class": "ratio", "value": 0.01}, {"class": "number", "value": 1}]');
    expect(text).toContain('[{"class": "process", "name": "eight"}, {"class": "number", "value": 1}, {"class": "ratio", "value": 0.02}');
    const nan = await runRules(`event g = go\ntable t from g by who, rip select avg(x) as x, count`, [ev(1, "go", { who: true, rip: 2, x: Number.NaN })]);
    expect(formatLamiResults(nan, classes)).toContain('"data": [[{"class": "unknown"}, {"class": "number", "value": 2}, null, {"class": "number", "value": 1}]]');
    const wrong = { t: { title: "t", columns: classes.t!.columns.slice(1) } };
    expect(() => formatLamiResults(r, wrong)).toThrow("LAMI: table t has columns who, rip, x, count but its class declares rip, x, count");
  });
});
