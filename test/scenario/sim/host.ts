/**
 * The simulated host: a discrete-event clock, pinned threads on pCPUs with FIFO run queues and
 * round-robin time slices, a periodic scheduler tick, and the trace it writes (LTTng event and
 * field names, `tid`/`pid`/`procname` context).
 *
 * Contract: events come out in strictly increasing `ts` (one global ns clock: an event is
 * stamped max(now, previous + 1)), so every CPU's events increase too and a wakeup is never
 * stamped before the event that caused it. A thread runs only on its own CPU; the code a
 * thread runs is a chain of callbacks, each of which ends by scheduling the next or by
 * blocking / yielding through the host.
 */

/** One trace event, as the JSON Lines writer emits it. */
export interface SimEvent {
  ts: number;
  name: string;
  cpu: number;
  fields: Record<string, number | string>;
  context: { tid: number; pid: number; procname: string };
}

export type ThreadState = "running" | "runnable" | "blocked";

/** A host thread; `run` is called each time it is switched in. */
export interface Thread {
  tid: number;
  pid: number;
  comm: string;
  cpu: number;
  state: ThreadState;
  /** Bumped to cancel the thread's pending callbacks (e.g. a guest run cut by a tick). */
  gen: number;
  run(ts: number): void;
  /** Called at each scheduler tick while the thread is current. */
  tick?(ts: number): void;
  /** Called when the thread is switched out (`prevState` as sched_switch records it). */
  switchedOut?(ts: number, prevState: number, next: Thread | null): void;
}

interface Cpu {
  cur: Thread | null;
  rq: Thread[];
  sliceStart: number;
  needResched: boolean;
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export interface HostConfig {
  cpus: number;
  sliceNs: number;
  tickNs: number;
}

export class Host {
  now = 0;
  private lastTs = -1;
  private seq = 0;
  private readonly heap: Pending[] = [];
  private readonly cpus: Cpu[];
  readonly out: SimEvent[] = [];

  constructor(readonly config: HostConfig) {
    this.cpus = Array.from({ length: config.cpus }, () => ({ cur: null, rq: [], sliceStart: 0, needResched: false }));
    for (let c = 0; c < config.cpus; c++) this.at(Math.round(((c + 1) * config.tickNs) / config.cpus), () => this.tick(c));
  }

  // ------------------------------------------------------------------ clock

  /** Runs `fn` at time `at` (or now, if `at` is past). */
  at(at: number, fn: () => void): void {
    this._push({ at: Math.max(at, this.now), seq: this.seq++, fn });
  }

  /** Runs a thread callback unless the thread's `gen` moved on in between. */
  later(t: Thread, delay: number, fn: () => void): void {
    const gen = t.gen;
    this.at(this.now + delay, () => {
      if (t.gen === gen) fn();
    });
  }

  /** Processes scheduled work until `until` (ns) or until nothing is left. */
  runUntil(until: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= until) {
      const p = this._pop();
      this.now = Math.max(this.now, p.at);
      p.fn();
    }
  }

  /** Writes one event on `cpu` in the context of `who` (null: that CPU's idle task). */
  emit(cpu: number, name: string, fields: Record<string, number | string>, who: Thread | null): number {
    const ts = Math.max(this.now, this.lastTs + 1);
    this.lastTs = ts;
    this.now = ts;
    const context = who ? { tid: who.tid, pid: who.pid, procname: who.comm } : { tid: 0, pid: 0, procname: `swapper/${cpu}` };
    this.out.push({ ts, name, cpu, fields, context });
    return ts;
  }

  /** Time of the last event written. */
  get lastEventTs(): number {
    return this.lastTs;
  }

  // ------------------------------------------------------------------ scheduler

  current(cpu: number): Thread | null {
    return this.cpus[cpu]!.cur;
  }

  /** True when the current thread of `cpu` should give the CPU up at its next chance. */
  needResched(cpu: number): boolean {
    return this.cpus[cpu]!.needResched;
  }

  /** Puts `t` on its CPU at the start: current when the CPU is free, else queued. */
  start(t: Thread): void {
    const c = this.cpus[t.cpu]!;
    t.state = "runnable";
    c.rq.push(t);
    if (c.cur === null) this.at(this.now, () => { if (c.cur === null) this.switchOut(t.cpu, 0); });
  }

  /** Wakes a blocked thread from `waker` (null: the idle task) running on `wakerCpu`. */
  wake(t: Thread, waker: Thread | null, wakerCpu: number): void {
    if (t.state !== "blocked") return;
    const f = { comm: t.comm, tid: t.tid, prio: 20, target_cpu: t.cpu };
    this.emit(wakerCpu, "sched_waking", f, waker);
    this.emit(wakerCpu, "sched_wakeup", f, waker);
    t.state = "runnable";
    const c = this.cpus[t.cpu]!;
    c.rq.push(t);
    // an idle CPU switches at once (after the wakeup IPI)
    if (c.cur === null) this.at(this.now + 700, () => { if (c.cur === null) this.switchOut(t.cpu, 0); });
  }

  /** The current thread of its CPU blocks (prev_state 1 = S, 2 = D). */
  block(t: Thread, prevState = 1): void {
    t.state = "blocked";
    t.gen++;
    this.switchOut(t.cpu, prevState);
  }

  /** The current thread of its CPU is preempted (prev_state 0 = R, 0x100 = R+): back to the queue's tail. */
  preempt(t: Thread, prevState: 0 | 0x100): void {
    t.state = "runnable";
    t.gen++;
    this.cpus[t.cpu]!.rq.push(t);
    this.switchOut(t.cpu, prevState);
  }

  // --- internal ---

  /** Switches `cpu` from its current thread (or idle) to the head of its queue (or idle). */
  private switchOut(cpu: number, prevState: number): void {
    const c = this.cpus[cpu]!;
    const prev = c.cur;
    const next = c.rq.shift() ?? null;
    if (prev === null && next === null) return;
    const ts = this.emit(cpu, "sched_switch", {
      prev_comm: prev ? prev.comm : `swapper/${cpu}`, prev_tid: prev ? prev.tid : 0, prev_prio: 20, prev_state: prev ? prevState : 0,
      next_comm: next ? next.comm : `swapper/${cpu}`, next_tid: next ? next.tid : 0, next_prio: 20,
    }, prev);
    c.cur = next;
    c.needResched = false;
    c.sliceStart = ts;
    prev?.switchedOut?.(ts, prevState, next);
    if (next) {
      next.state = "running";
      next.run(ts);
    }
  }

  private tick(cpu: number): void {
    const c = this.cpus[cpu]!;
    if (c.cur && c.rq.length > 0 && this.now - c.sliceStart >= this.config.sliceNs) c.needResched = true;
    c.cur?.tick?.(this.now);
    this.at(this.now + this.config.tickNs, () => this.tick(cpu));
  }

  private _push(p: Pending): void {
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (_before(h[parent]!, p)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = p;
  }

  private _pop(): Pending {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const m = r < h.length && _before(h[r]!, h[l]!) ? r : l;
        if (_before(last, h[m]!)) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

function _before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
