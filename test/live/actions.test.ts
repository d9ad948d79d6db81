/**
 * Alert actions as the live driver uses them: commands retried per policy with every attempt
 * reported and a final failure kept (never lost), snapshots of one session run one after the
 * other, the snapshot's directory written into the alert record, and the event loop never
 * waiting for a slow command. A stand-in `lttng` script records its calls.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ActionRunner, type ActionEvent } from "../../engine/runtime/actions.js";
import { Alerter } from "../../engine/runtime/alerter.js";
import type { AlertRecord } from "../../engine/runtime/result.js";

/** A fake `lttng`: logs its arguments, sleeps, creates snapshot dirs, fails when told to. */
function fakeLttng(opts: { sleep?: number; failFirst?: number } = {}): { bin: string; calls: () => string[]; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "vigil-fake-lttng-"));
  const out = join(dir, "snapshots");
  mkdirSync(out);
  const log = join(dir, "calls");
  const count = join(dir, "count");
  writeFileSync(count, "0");
  const bin = join(dir, "lttng");
  writeFileSync(bin, `#!/bin/sh
n=$(cat ${count}); n=$((n+1)); echo $n > ${count}
echo "$(date +%s%N) $*" >> ${log}
case "$1 $2" in
  "snapshot list-output") echo "Snapshot output list for session $4"; echo "    [1] snapshot-1: ${out}"; exit 0;;
esac
sleep ${opts.sleep ?? 0}
if [ $n -le ${opts.failFirst ?? 0} ]; then echo "Error: session not found" >&2; exit 1; fi
if [ "$1 $2" = "snapshot record" ]; then name=snapshot-1; while [ $# -gt 0 ]; do [ "$1" = -n ] && name=$2; shift; done; mkdir -p "${out}/$name-20260101-000000-$n"; fi
exit 0
`);
  chmodSync(bin, 0o755);
  return { bin, out, calls: () => readFileSync(log, "utf8").trim().split("\n").map((l) => l.slice(l.indexOf(" ") + 1)) };
}

function record(rule = "r", ts = 0): AlertRecord {
  return { rule, severity: "warning", ts, message: "m", fields: { vm: 1 } };
}

describe("ActionRunner", () => {
  it("retries a failing command, reports every attempt, and writes the final failure into the record", async () => {
    const events: ActionEvent[] = [];
    const r = new ActionRunner({ print: () => {}, lttng: "lttng", origin: 0n });
    r.retry = { attempts: 3, backoffMs: 10 };
    r.listener = (e) => events.push(e);
    const rec = record();
    r.run({ kind: "exec", argv: () => ["sh", "-c", "echo nope >&2; exit 3"] }, rec);
    await r.settle();
    expect(events.map((e) => `${e.phase}:${e.attempt}`)).toEqual(["started:1", "retrying:1", "started:2", "retrying:2", "started:3", "failed:3"]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toContain("exited with 3: nope");
    expect(r.failures[0]).toContain("after 3 attempts");
    expect(String(rec.fields.action_error)).toContain("exited with 3");
  });

  it("succeeds on a later attempt without reporting a failure", async () => {
    const fake = fakeLttng({ failFirst: 1 });
    const events: ActionEvent[] = [];
    const r = new ActionRunner({ print: () => {}, lttng: fake.bin, origin: 0n });
    r.retry = { attempts: 2, backoffMs: 10 };
    r.listener = (e) => events.push(e);
    const rec = record();
    r.run({ kind: "snapshot", session: () => "fr", name: null, maxSize: null }, rec);
    await r.settle();
    expect(r.failures).toEqual([]);
    expect(events.map((e) => e.phase)).toEqual(["started", "retrying", "started", "done"]);
    expect(rec.fields.snapshot_path).toBe(join(fake.out, "r-1-20260101-000000-2"));
    expect(events.at(-1)!.path).toBe(rec.fields.snapshot_path);
  });

  it("runs at most maxConcurrent commands at once, and names each snapshot so its directory is known", async () => {
    const fake = fakeLttng({ sleep: 0.3 });
    const events: ActionEvent[] = [];
    const r = new ActionRunner({ print: () => {}, lttng: fake.bin, origin: 0n });
    r.maxConcurrent = 2;
    r.listener = (e) => events.push(e);
    const recs = [record("a", 1), record("b", 2), record("c", 3)];
    const t0 = Date.now();
    for (const rec of recs) r.run({ kind: "snapshot", session: () => "fr", name: (x) => `n-${x.rule}`, maxSize: 1048576 }, rec);
    // Queuing returned at once: the event loop never waits for a command.
    expect(Date.now() - t0).toBeLessThan(100);
    expect(r.inFlight).toBe(3);
    await r.settle();
    // Two start at once; the third only when a slot frees (when one of the first two ended).
    const starts = events.filter((e) => e.phase === "started").map((e) => e.wallMs);
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeLessThan(250);
    expect(starts[2]! - starts[0]!).toBeGreaterThan(250); // each fake command takes 300 ms
    const calls = fake.calls().filter((c) => c.startsWith("snapshot record")).sort();
    expect(calls).toEqual(["snapshot record -s fr -n n-a-1 -m 1048576", "snapshot record -s fr -n n-b-2 -m 1048576", "snapshot record -s fr -n n-c-3 -m 1048576"]);
    // Each record got the directory its own command made, though they overlapped.
    expect(recs.map((x) => String(x.fields.snapshot_path).replace(/-\d+$/, ""))).toEqual(["n-a-1", "n-b-2", "n-c-3"].map((n) => join(fake.out, `${n}-20260101-000000`)));
    expect(events.filter((e) => e.phase === "done").map((e) => e.path).sort()).toEqual(recs.map((x) => x.fields.snapshot_path).sort());
  });

  it("does not wait for a command that cannot be started", async () => {
    const r = new ActionRunner({ print: () => {}, lttng: "/nonexistent/lttng", origin: 0n });
    r.retry = { attempts: 1, backoffMs: 1 };
    r.run({ kind: "rotate", session: () => "fr" }, record());
    await r.settle();
    expect(r.failures[0]).toContain("cannot run /nonexistent/lttng");
  });
});

describe("Alerter in live runs", () => {
  const spec = [{ name: "r", severity: "warning" as const, actions: [{ action: { kind: "print" as const }, policy: { kind: "every" as const, ns: 100 } }] }];

  it("keeps only the newest records once asked, and still counts every alert", () => {
    const lines: string[] = [];
    const seen: number[] = [];
    const a = new Alerter(spec, new ActionRunner({ print: (l) => lines.push(l), lttng: "lttng", origin: 0n }), { maxRecords: 10, onRecord: (r) => seen.push(r.ts) });
    for (let i = 0; i < 1000; i++) a.fire(0, i * 10, "m", {}, [i % 3]);
    expect(a.total).toBe(1000);
    expect(seen).toHaveLength(1000);
    expect(a.records.length).toBeLessThanOrEqual(20);
    expect(a.records.at(-1)!.ts).toBe(9990);
    // at most every 100 ns per key; each of the 3 keys fires every 30 ns, so 1 in 4 passes
    expect(lines).toHaveLength(1000 - a.suppressedTotal);
    expect(lines.length).toBe(3 * Math.ceil(1000 / 3 / 4));
  });

  it("forgets policy keys whose window has passed, so key churn stays bounded", () => {
    const a = new Alerter(spec, new ActionRunner({ print: () => {}, lttng: "lttng", origin: 0n }));
    for (let i = 0; i < 100_000; i++) a.fire(0, i * 1000, "m", {}, [i]);
    const state = (a as unknown as { state: Array<Array<Map<unknown, number>>> }).state[0]![0]!;
    expect(state.size).toBeLessThan(10_000);
    expect(a.suppressedTotal).toBe(0);
  });
});
