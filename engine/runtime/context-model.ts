/**
 * The built-in context model: which thread runs on each CPU of each host, and what each thread
 * is (process id, parent, command name), so that rules can read `$tid $pid $ppid $comm` on
 * events whose tracer recorded no such context.
 *
 * Sources, in order of trust: the event's own context (LTTng `tid`, `pid`, `ppid`, `procname`
 * context fields; `comm` from readers that name it so) wins over the model. The current thread
 * of a CPU comes from `sched_switch` (`prev_tid`/`next_tid`, ftrace's `prev_pid`/`next_pid`)
 * and from events that carry a `tid` context. Thread identity comes from `sched_switch` comms,
 * `sched_process_fork` (LTTng `child_tid` + `child_pid`; ftrace's `child_pid` is a tid, its
 * process is left unknown), `sched_process_exec` (comm = file name, as the kernel sets it),
 * `task_rename`, and `lttng_statedump_process_state` (tid, pid, ppid, name). The statedump
 * does not set current threads: a task it lists as running may be merely runnable.
 *
 * Protocol, per event: `resolve(ev)` before the rules see it fills `cx`; `advance(ev)` after
 * they ran applies its effect. So at a `sched_switch`, `cx.tid` is the thread switched out (the
 * event belongs to it), and the next event on that CPU sees the thread switched in.
 * Per event, neither call allocates (threads are allocated once, when first seen).
 */
import type { FieldValue, TraceEvent } from "../model/event.js";

/** The context of the event being processed; -1 / "" when unknown. */
export interface ThreadContext {
  tid: number;
  pid: number;
  ppid: number;
  comm: string;
}

/** What the model knows about one thread; -1 / "" when unknown. */
export interface ThreadInfo {
  pid: number;
  ppid: number;
  comm: string;
}

export class ContextModel {
  /** Filled by `resolve`; read by generated rule code. One object, mutated per event. */
  readonly cx: ThreadContext = { tid: -1, pid: -1, ppid: -1, comm: "" };
  private readonly hosts: Array<_HostState | undefined> = [];
  /** The kind `resolve` found, reused by `advance` for the same event (one name lookup). */
  private lastEvent: TraceEvent | null = null;
  private lastKind = Kind.Other;

  /** Fills `cx` for `ev` from its context, else from the model. */
  resolve(ev: TraceEvent): void {
    const cx = this.cx;
    const h = this.host(ev.host);
    const f = ev.fields;
    const ctx = ev.context;
    const kind = KINDS.get(ev.name) ?? Kind.Other;
    this.lastEvent = ev;
    this.lastKind = kind;
    const isSwitch = kind === Kind.Switch;

    let tid = -1;
    if (ctx !== null && typeof ctx.tid === "number") tid = ctx.tid;
    else if (isSwitch) tid = _int(f.prev_tid ?? f.prev_pid);
    else if (ev.cpu >= 0 && ev.cpu < h.cur.length) tid = h.cur[ev.cpu]!;
    cx.tid = tid;

    const t = tid > 0 ? h.threads.get(tid) : undefined;
    cx.pid = ctx !== null && typeof ctx.pid === "number" ? ctx.pid : t !== undefined ? t.pid : tid === 0 ? 0 : -1;
    cx.ppid = ctx !== null && typeof ctx.ppid === "number" ? ctx.ppid : t !== undefined ? t.ppid : tid === 0 ? 0 : -1;
    let comm = ctx === null ? undefined : typeof ctx.comm === "string" ? ctx.comm : ctx.procname;
    if (typeof comm !== "string") {
      if (t !== undefined) comm = t.comm;
      else if (tid === 0 && ev.cpu >= 0 && h.idleComm[ev.cpu] !== undefined) comm = h.idleComm[ev.cpu];
      else comm = isSwitch && typeof f.prev_comm === "string" ? f.prev_comm : "";
    }
    cx.comm = comm as string;
  }

  /** Applies `ev`'s effect on the model (call after the rules ran on it). */
  advance(ev: TraceEvent): void {
    const h = this.host(ev.host);
    const f = ev.fields;
    const kind = this.lastEvent === ev ? this.lastKind : (KINDS.get(ev.name) ?? Kind.Other);
    this.lastEvent = null;
    const ctx = ev.context;
    if (ctx !== null && typeof ctx.tid === "number" && ctx.tid > 0) {
      const t = _thread(h, ctx.tid);
      if (typeof ctx.pid === "number") t.pid = ctx.pid;
      if (typeof ctx.ppid === "number") t.ppid = ctx.ppid;
      const comm = typeof ctx.comm === "string" ? ctx.comm : ctx.procname;
      if (typeof comm === "string") t.comm = comm;
      // at a sched_switch the context is the thread switched out, not the new current one
      if (kind !== Kind.Switch) _setCurrent(h, ev.cpu, ctx.tid);
    }
    switch (kind) {
      case Kind.Switch: {
        const prev = _int(f.prev_tid ?? f.prev_pid);
        const next = _int(f.next_tid ?? f.next_pid);
        _learnComm(h, prev, f.prev_comm, ev.cpu);
        _learnComm(h, next, f.next_comm, ev.cpu);
        if (next >= 0) _setCurrent(h, ev.cpu, next);
        return;
      }
      case Kind.Fork:
        return _fork(h, f);
      case Kind.Exec: {
        const tid = _int(f.tid ?? f.pid);
        const who = tid >= 0 ? tid : this.cx.tid;
        const comm = typeof f.comm === "string" ? f.comm : typeof f.filename === "string" ? _execComm(f.filename) : undefined;
        if (who > 0 && comm !== undefined) _thread(h, who).comm = comm;
        return;
      }
      case Kind.Rename: {
        const tid = _int(f.pid ?? f.tid);
        if (tid > 0 && typeof f.newcomm === "string") _thread(h, tid).comm = f.newcomm;
        return;
      }
      case Kind.Statedump: {
        const tid = _int(f.tid);
        if (tid <= 0) return;
        const t = _thread(h, tid);
        const pid = _int(f.pid);
        const ppid = _int(f.ppid);
        if (pid >= 0) t.pid = pid;
        if (ppid >= 0) t.ppid = ppid;
        const name = typeof f.name === "string" ? f.name : f.comm;
        if (typeof name === "string") t.comm = name;
        return;
      }
      case Kind.Free: {
        // the task struct is gone: forget it so that a long live run stays bounded
        const tid = _int(f.tid ?? f.pid);
        if (tid > 0) h.threads.delete(tid);
        return;
      }
    }
  }

  /** The thread the model believes runs on `cpu` of `host`, or -1. */
  currentTid(host: number, cpu: number): number {
    const h = this.hosts[host];
    return h !== undefined && cpu >= 0 && cpu < h.cur.length ? h.cur[cpu]! : -1;
  }

  /** What the model knows about thread `tid` of `host`. */
  thread(host: number, tid: number): Readonly<ThreadInfo> | undefined {
    return this.hosts[host]?.threads.get(tid);
  }

  // --- internal ---

  private host(index: number): _HostState {
    let h = this.hosts[index];
    if (h === undefined) {
      h = { cur: new Int32Array(8).fill(-1), threads: new Map(), idleComm: [] };
      this.hosts[index] = h;
    }
    return h;
  }
}

// --- internal ---

const enum Kind { Other, Switch, Fork, Exec, Rename, Statedump, Free }

/** Event names the model follows; perf script prefixes the subsystem (`sched:`). */
const KINDS = new Map<string, Kind>();
for (const [name, kind] of [
  ["sched_switch", Kind.Switch],
  ["sched_process_fork", Kind.Fork],
  ["sched_process_exec", Kind.Exec],
  ["sched_process_free", Kind.Free],
  ["task_rename", Kind.Rename],
] as const) {
  KINDS.set(name, kind);
  KINDS.set(`${name === "task_rename" ? "task" : "sched"}:${name}`, kind);
}
KINDS.set("lttng_statedump_process_state", Kind.Statedump);

/** The largest CPU number tracked (hosts and CPUs are both below 65536). */
const MAX_CPU = 65535;

interface _HostState {
  /** Current tid per CPU, -1 when unknown. */
  cur: Int32Array;
  threads: Map<number, ThreadInfo>;
  /** `swapper/N` per CPU: tid 0 has one comm per CPU. */
  idleComm: string[];
}

function _int(v: FieldValue | undefined): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : -1;
}

function _thread(h: _HostState, tid: number): ThreadInfo {
  let t = h.threads.get(tid);
  if (t === undefined) {
    t = { pid: -1, ppid: -1, comm: "" };
    h.threads.set(tid, t);
  }
  return t;
}

function _setCurrent(h: _HostState, cpu: number, tid: number): void {
  if (cpu < 0 || cpu > MAX_CPU) return;
  if (cpu >= h.cur.length) {
    const grown = new Int32Array(Math.min(MAX_CPU + 1, Math.max(cpu + 1, h.cur.length * 2))).fill(-1);
    grown.set(h.cur);
    h.cur = grown;
  }
  h.cur[cpu] = tid;
}

function _learnComm(h: _HostState, tid: number, comm: FieldValue | undefined, cpu: number): void {
  if (typeof comm !== "string" || tid < 0) return;
  if (tid === 0) {
    if (cpu >= 0 && cpu <= MAX_CPU && h.idleComm[cpu] !== comm) h.idleComm[cpu] = comm;
    return;
  }
  const t = _thread(h, tid);
  if (t.comm !== comm) t.comm = comm;
}

/** LTTng names child_tid (thread) and child_pid (process); ftrace's child_pid is the tid. */
function _fork(h: _HostState, f: TraceEvent["fields"]): void {
  const lttng = f.child_tid !== undefined;
  const tid = _int(lttng ? f.child_tid : f.child_pid);
  if (tid <= 0) return;
  const t = _thread(h, tid);
  t.pid = -1;
  t.ppid = -1;
  if (lttng) {
    const pid = _int(f.child_pid);
    const parentPid = _int(f.parent_pid);
    t.pid = pid;
    // a new thread (same process as its creator) has its process's parent; a new process has its creator
    t.ppid = pid >= 0 && pid === parentPid ? (h.threads.get(_int(f.parent_tid))?.ppid ?? -1) : parentPid;
  }
  t.comm = typeof f.child_comm === "string" ? f.child_comm : "";
}

/** The comm the kernel gives after exec: the file's base name, cut to TASK_COMM_LEN - 1. */
function _execComm(filename: string): string {
  return filename.slice(filename.lastIndexOf("/") + 1).slice(0, 15);
}
