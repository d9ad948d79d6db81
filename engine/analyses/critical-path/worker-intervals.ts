/**
 * A machine's intervals regrouped per worker in typed arrays: kind of each interval as an
 * edge (a wait typed by what ended it), its qualifier, and how the worker was woken at its
 * start. Built once per graph; the RunResult's interval objects are read, never kept.
 */
import type { FieldValue } from "../../model/event.js";
import type { StateInterval } from "../../runtime/result.js";
import type { ExecGraph } from "./exec-graph.js";
import { KIND_CODE, NO_EDGE, type GraphSpec } from "./graph-spec.js";

export class WorkerIntervals {
  /** Intervals of worker w are [first[w], first[w + 1]), in time order. */
  readonly first: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly kind: Uint8Array;
  readonly cause: Int32Array;
  /** How the worker was woken when this interval starts a post-wait stretch (index into wakeNames), else -1. */
  readonly wake: Int32Array;
  /** The CPU of a running interval, -1 otherwise. */
  readonly cpu: Int32Array;
  readonly causes: string[] = [];
  readonly wakeNames: string[] = [];
  private readonly workerNames: string[];
  private readonly causeIndex = new Map<string, number>();

  /**
   * `keepLast(key, end)` says whether a worker's final interval, ending at `end`, was closed by
   * a real event (null: always); one the end of the run closed is left open, as an edge-less tail.
   */
  constructor(intervals: StateInterval[], workerCount: number, index: Map<string, number>, spec: GraphSpec,
    keepLast: ((key: string, end: number) => boolean) | null) {
    const n = intervals.length;
    const first = new Int32Array(workerCount + 1);
    const w = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = intervals[i]!.key;
      const x = typeof k === "string" ? index.get(k)! : -1;
      w[i] = x;
      if (x >= 0) first[x + 1]!++;
    }
    for (let i = 0; i < workerCount; i++) first[i + 1] += first[i]!;
    const m = first[workerCount]!;
    this.first = first;
    this.start = new Float64Array(m);
    this.end = new Float64Array(m);
    this.kind = new Uint8Array(m).fill(NO_EDGE);
    this.cause = new Int32Array(m).fill(-1);
    this.wake = new Int32Array(m).fill(-1);
    this.cpu = new Int32Array(m).fill(-1);
    this.workerNames = new Array<string>(workerCount).fill("");
    // 1. one sequential pass over the interval objects (they are scattered in memory: visiting
    //    them per worker would cost a cache miss each), scattered into typed arrays by worker;
    //    the counting sort is stable, so each worker keeps its intervals in close (= time) order
    const state = new Uint8Array(m);
    const woken = new Int32Array(m);
    const cause = new Int32Array(m);
    const stateCode = new Map<string, number>([[spec.waitState, 1], [spec.runState, 2]]);
    const stateKind: number[] = [NO_EDGE, NO_EDGE, NO_EDGE];
    const wakeIndex = new Map<string, number>();
    const fill = first.slice(0, workerCount);
    const { nameField, cpuField, wokenField, causeField } = spec;
    for (let i = 0; i < n; i++) {
      const x = w[i]!;
      if (x < 0) continue;
      const j = fill[x]!++;
      const iv = intervals[i]!;
      const f = iv.fields;
      this.start[j] = iv.start;
      this.end[j] = iv.end;
      let sc = stateCode.get(iv.state);
      if (sc === undefined) { sc = stateKind.length; stateCode.set(iv.state, sc); stateKind.push(NO_EDGE); }
      state[j] = sc;
      const name = f[nameField];
      if (typeof name === "string" && name !== "") this.workerNames[x] = name;
      if (sc === 2) this.cpu[j] = num(f[cpuField]);
      const wk = f[wokenField];
      woken[j] = typeof wk === "string" && wk !== "" ? code(wakeIndex, this.wakeNames, wk) : -1;
      const c = f[causeField];
      cause[j] = typeof c === "string" && c !== "" ? this.causeCode(c) : -1;
      if (j === first[x + 1]! - 1 && keepLast !== null && !keepLast(iv.key as string, iv.end)) state[j] = 0;
    }
    for (const [s, sc] of stateCode) { const k = spec.states[s]; if (k !== undefined) stateKind[sc] = KIND_CODE[k]; }
    const wokenKind = this.wakeNames.map((s) => { const k = spec.wokenKinds[s]; return k === undefined ? -1 : KIND_CODE[k]; });
    // 2. per worker, on the typed arrays: edge kinds, waits typed by what ended them, wake marks
    for (let x = 0; x < workerCount; x++) {
      for (let j = first[x]!; j < first[x + 1]!; j++) {
        this.kind[j] = state[j] === 0 ? NO_EDGE : stateKind[state[j]!]!;
        const afterWait = j > first[x]! && state[j - 1] === 1 && this.end[j - 1] === this.start[j];
        // the first interval (a thread first seen at its wakeup), or the one right after a wait
        if (j === first[x] || afterWait) this.wake[j] = woken[j]!;
        if (afterWait && this.kind[j - 1] !== NO_EDGE) {
          if (woken[j]! >= 0 && wokenKind[woken[j]!]! >= 0) this.kind[j - 1] = wokenKind[woken[j]!]!;
          this.cause[j - 1] = cause[j]!;
        }
      }
    }
  }

  names(): string[] {
    return this.workerNames;
  }

  /** Calls `fn(worker, t)` for every interval's start (a real event), and its end when it is an edge. */
  forEachBound(fn: (w: number, t: number) => void): void {
    for (let x = 0; x + 1 < this.first.length; x++) {
      for (let j = this.first[x]!; j < this.first[x + 1]!; j++) {
        fn(x, this.start[j]!);
        if (this.kind[j] !== NO_EDGE) fn(x, this.end[j]!);
      }
    }
  }

  /** The interval of worker w starting exactly at t, or -1. */
  startingAt(w: number, t: number): number {
    let lo = this.first[w]!;
    let hi = this.first[w + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.start[mid]!;
      if (s === t) return mid;
      if (s < t) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /** The interval of worker w covering t (start <= t < end), or -1. */
  covering(w: number, t: number): number {
    let lo = this.first[w]!;
    let hi = this.first[w + 1]! - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.start[mid]! <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && t < this.end[found]! ? found : -1;
  }

  /** Sets worker w's horizontal edges: each gap between vertices takes the covering interval's kind. */
  fillEdges(w: number, g: ExecGraph): void {
    let j = this.first[w]!;
    const jEnd = this.first[w + 1]!;
    for (let v = g.first[w]!; v + 1 < g.first[w + 1]!; v++) {
      const a = g.ts[v]!;
      const b = g.ts[v + 1]!;
      while (j < jEnd && (this.end[j]! <= a || this.kind[j] === NO_EDGE)) j++;
      if (j < jEnd && this.start[j]! <= a && b <= this.end[j]!) {
        g.out[v] = this.kind[j]!;
        g.outCause[v] = this.cause[j]!;
      }
    }
  }

  private causeCode(s: string): number {
    let c = this.causeIndex.get(s);
    if (c === undefined) { c = this.causes.length; this.causeIndex.set(s, c); this.causes.push(s); }
    return c;
  }
}

function code(index: Map<string, number>, names: string[], s: string): number {
  let c = index.get(s);
  if (c === undefined) { c = names.length; index.set(s, c); names.push(s); }
  return c;
}

function num(v: FieldValue | undefined): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : -1;
}
