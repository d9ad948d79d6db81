/**
 * The hand-written peers of the engine benchmark: what a programmer would write in plain
 * JavaScript for the same three workloads, with the same results (checked in the bench). Like
 * the engine, each looks the event's type up by name (a Map, as a programmer would write it).
 */
import type { TraceEvent } from "../engine/model/event.js";
import type { Feed } from "./engine-bench.js";

type F = { a: number; b: number; key: number };

/** Event name → type index, the hand-written dispatch. */
const TYPES = new Map<string, number>(Array.from({ length: 10 }, (_, i) => [`ev${i}`, i]));

export function handFilters(): { feed: Feed; result: () => number } {
  // rule k listens to ev(k % 10): a == k*7 % 1000 && b > 190
  const byType: number[][] = Array.from({ length: 10 }, () => []);
  for (let k = 0; k < 100; k++) byType[k % 10]!.push((k * 7) % 1000);
  let matches = 0;
  const feed = (e: TraceEvent) => {
    const t = TYPES.get(e.name)!;
    const f = e.fields as unknown as F;
    const wants = byType[t]!;
    for (let j = 0; j < wants.length; j++) if (f.a === wants[j] && f.b > 190) matches++;
  };
  return { feed, result: () => matches };
}

export function handMachines(): { feed: Feed; result: () => number } {
  // 20 machines; machine k: ev(k%10) from idle/done -> busy (n++), ev((k+1)%10) from busy -> done
  const maps = Array.from({ length: 20 }, () => new Map<number, { state: number; since: number; n: number }>());
  const enter: number[][] = Array.from({ length: 10 }, () => []);
  const leave: number[][] = Array.from({ length: 10 }, () => []);
  for (let k = 0; k < 20; k++) { enter[k % 10]!.push(k); leave[(k + 1) % 10]!.push(k); }
  const feed = (e: TraceEvent) => {
    const t = TYPES.get(e.name)!;
    const key = (e.fields as unknown as F).key;
    for (const k of enter[t]!) {
      const m = maps[k]!;
      let i = m.get(key);
      if (i === undefined) { i = { state: 0, since: e.ts, n: 0 }; m.set(key, i); }
      if (i.state !== 1) { i.state = 1; i.since = e.ts; i.n++; }
    }
    for (const k of leave[t]!) {
      const i = maps[k]!.get(key);
      if (i !== undefined && i.state === 1) { i.state = 2; i.since = e.ts; }
    }
  };
  return { feed, result: () => maps.reduce((a, m) => a + [...m.values()].reduce((x, i) => x + i.n, 0), 0) };
}

export function handSequences(): { feed: Feed; result: () => number } {
  // 20 sequences; seq k: x = ev(k%10) with a > 500, then y = ev((k+3)%10) within 2us; count + max duration
  interface P { start: number; a: number }
  const pending = Array.from({ length: 20 }, () => new Map<number, P[]>());
  const counts = new Array<number>(20).fill(0);
  const maxDur = new Array<number>(20).fill(0);
  const starts: number[][] = Array.from({ length: 10 }, () => []);
  const ends: number[][] = Array.from({ length: 10 }, () => []);
  for (let k = 0; k < 20; k++) { starts[k % 10]!.push(k); ends[(k + 3) % 10]!.push(k); }
  const feed = (e: TraceEvent) => {
    const t = TYPES.get(e.name)!;
    const f = e.fields as unknown as F;
    for (const k of ends[t]!) {
      const list = pending[k]!.get(f.key);
      if (list === undefined) continue;
      const live = list.filter((p) => e.ts - p.start <= 2000);
      if (live.length > 0) {
        counts[k]!++;
        maxDur[k] = Math.max(maxDur[k]!, e.ts - live[0]!.start);
        pending[k]!.delete(f.key); // skip past last
      } else pending[k]!.delete(f.key);
    }
    if (f.a > 500) for (const k of starts[t]!) {
      const m = pending[k]!;
      const list = m.get(f.key);
      if (list === undefined) m.set(f.key, [{ start: e.ts, a: f.a }]);
      else if (list.length < 256) list.push({ start: e.ts, a: f.a });
    }
  };
  return { feed, result: () => counts.reduce((a, b) => a + b, 0) };
}
