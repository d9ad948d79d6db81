/**
 * `npm run bench:engine`: events/s through the compiled program on an in-memory stream of
 * 10M events, for (a) 100 stateless filter rules, (b) 20 keyed machines over 64 keys, (c) 20
 * keyed sequences with windows — each against a hand-written JavaScript loop doing the same
 * work, measured in the same run. Results: bench/results/engine.json.
 *
 * The stream is a ring of pre-built events whose `ts` is advanced as they are pushed, the way
 * readers reuse event objects. Options: --events N (default 10M), --rounds R (best of R, default 3).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../engine/compile.js";
import type { TraceEvent } from "../engine/model/event.js";
import { Program } from "../engine/runtime/program.js";
import { handMachines, handFilters, handSequences } from "./engine-bench-peers.js";

const args = process.argv.slice(2);
const arg = (name: string, def: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const N = arg("--events", 10_000_000);
const ROUNDS = arg("--rounds", 3);
const ONLY = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const NAMES = Array.from({ length: 10 }, (_, i) => `ev${i}`);
const RING = 65536;

/** Deterministic ring of events: 10 types, fields a (0..999), b (0..199), key (0..63). */
function makeRing(): TraceEvent[] {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: RING }, () => ({
    name: NAMES[Math.floor(rnd() * NAMES.length)]!, ts: 0, cpu: Math.floor(rnd() * 4), host: 0,
    fields: { a: Math.floor(rnd() * 1000), b: Math.floor(rnd() * 200), key: Math.floor(rnd() * 64) },
    context: { tid: 1000 + Math.floor(rnd() * 64), pid: 1 },
  }));
}

export type Feed = (ev: TraceEvent) => void;

function drive(ring: TraceEvent[], feed: Feed): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const e = ring[i & (RING - 1)]!;
    e.ts = i * 10;
    feed(e);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const SCENARIOS: Record<string, { rules: string; peer: () => { feed: Feed; result: () => number } }> = {
  "a-100-filters": {
    rules: Array.from({ length: 100 }, (_, k) => `alert f${k} on ev${k % 10} where a == ${k * 7 % 1000} && b > 190`).join("\n"),
    peer: handFilters,
  },
  "b-20-machines-64-keys": {
    rules: Array.from({ length: 20 }, (_, k) => `machine m${k} per key {
  states idle, busy, done = idle
  keep n = 0
  on ev${k % 10} from idle, done -> busy { n = n + 1 }
  on ev${(k + 1) % 10} from busy -> done
}`).join("\n"),
    peer: handMachines,
  },
  "c-20-sequences-windows": {
    rules: Array.from({ length: 20 }, (_, k) => `sequence s${k} per key {
  x: ev${k % 10} where a > 500 -> y: ev${(k + 3) % 10} within 2us
  emit segment { a: x.a }
}
table t${k} from s${k} select count, max(duration)`).join("\n"),
    peer: handSequences,
  },
};

interface Row { scenario: string; events: number; vigil_events_per_s: number; hand_events_per_s: number; ratio_hand_over_vigil: number; vigil_matches: number; hand_matches: number }

async function main(): Promise<void> {
  const ring = makeRing();
  const rows: Row[] = [];
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    if (ONLY !== undefined && !name.startsWith(ONLY)) continue;
    const out = compile({ sources: [{ file: `${name}.vgl`, text: sc.rules }] });
    if (!out.program) throw new Error(`${name}: ${out.diagnostics.map((d) => d.message).join("; ")}`);
    let bestV = Infinity, bestH = Infinity, vMatches = 0, hMatches = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const prog = new Program(out.program, { history: false, print: () => {} });
      bestV = Math.min(bestV, drive(ring, (e) => prog.push(e)));
      const res = await prog.finish();
      vMatches = res.alerts.length + Object.values(res.tables).reduce((a, t) => a + t.rows.reduce((x, row) => x + Number(row[0] ?? 0), 0), 0) + countTransitions(prog);
      const peer = sc.peer();
      bestH = Math.min(bestH, drive(ring, peer.feed));
      hMatches = peer.result();
    }
    const row: Row = {
      scenario: name, events: N,
      vigil_events_per_s: Math.round(N / bestV), hand_events_per_s: Math.round(N / bestH),
      ratio_hand_over_vigil: Number((bestV / bestH).toFixed(2)), vigil_matches: vMatches, hand_matches: hMatches,
    };
    rows.push(row);
    process.stdout.write(`${name}: vigil ${(row.vigil_events_per_s / 1e6).toFixed(1)}M ev/s, hand ${(row.hand_events_per_s / 1e6).toFixed(1)}M ev/s, vigil takes ${row.ratio_hand_over_vigil}x the hand loop's time (matches ${vMatches} vs ${hMatches})\n`);
  }
  const file = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "results", "engine.json");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, events: N, rounds: ROUNDS, results: rows }, null, 2) + "\n");
  process.stdout.write(`written ${file}\n`);
}

/** Machines report their transitions through instance counters (kept field n). */
function countTransitions(prog: Program): number {
  return (prog as unknown as { rt: { machines: Array<{ map: Map<unknown, { k_n: number }> }> } }).rt.machines
    .reduce((a, m) => a + [...m.map.values()].reduce((x, i) => x + i.k_n, 0), 0);
}

void main();
