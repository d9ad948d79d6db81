/**
 * What the execution graph is built from: which machine's intervals are the workers'
 * horizontal edges, which link sets are its vertical edges, and how the pack names edge kinds.
 * The engine knows nothing about Linux: the sched pack's spelling is {@link SCHED_GRAPH}, and a
 * pack that names things differently passes its own spec.
 */

/**
 * Edge kinds, Trace Compass's names in snake case. Horizontal: what a worker was doing
 * between two vertices. Vertical: `wakeup` (a thread woke another, TC's DEFAULT), `network`
 * (a packet), `default` (a hop the critical path makes between two workers at one instant).
 */
export const EDGE_KINDS = [
  "running", "preempted", "blocked", "timer", "interrupted", "block_device", "network", "ipi", "unknown",
  "wakeup", "default",
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Kind ↔ small integer, for the graph's typed arrays. `NO_EDGE` marks a gap or a tail. */
export const KIND_CODE: Readonly<Record<EdgeKind, number>> = Object.fromEntries(EDGE_KINDS.map((k, i) => [k, i])) as Record<EdgeKind, number>;
export const NO_EDGE = 255;

/** Kinds the critical path resolves through the wakeup that ended them (TC's BLOCK state). */
export function isBlocking(code: number): boolean {
  return code === KIND_CODE.blocked || code === KIND_CODE.network;
}

export interface GraphSpec {
  /** Machine whose intervals, keyed by worker, are the horizontal edges. */
  machine: string;
  /** Interval state → edge kind; a state not listed leaves a gap (no edge). */
  states: Readonly<Record<string, EdgeKind>>;
  /** The state whose interval a wakeup ends (retyped by what ended it), and the on-CPU state. */
  waitState: string;
  runState: string;
  /** Kept field, on the interval that follows a wait, naming what ended it. */
  wokenField: string;
  /** `woken` value → kind of the wait it ended; `taskWake` keeps it blocked and links the waker. */
  wokenKinds: Readonly<Record<string, EdgeKind>>;
  taskWake: string;
  /** Kept field naming the interrupt or softirq that ended a wait (a qualifier for reports). */
  causeField: string;
  /** Kept fields: the worker's command name, and the CPU of a running interval. */
  nameField: string;
  cpuField: string;
  /** Link sets of wakeups (waker's worker → woken thread, at the wakeup). */
  wakeups: readonly string[];
  /** Link sets of packets (sender's worker at send → receiver's worker at reception). */
  packets: readonly string[];
  /**
   * Link sets marking where a worker with no intervals (a CPU's interrupt worker) starts a
   * stretch of work (a network softirq): such a worker runs from one of its vertices to the
   * next, except into a start.
   */
  workStarts: readonly string[];
  /** Link sets whose ends are only instants of a worker's timeline (a packet sent or received). */
  marks: readonly string[];
  /**
   * Machine holding, per host (its key), the instant of the last transition (`atField`), the
   * tids it moved (`tidFields`, -1 for none) and its CPU (`cpuField`; worker keys as in
   * worker-key.ts). The end of the run closes every open interval at the last event; an
   * interval ending there is kept only when a real event closed it (Trace Compass leaves a
   * worker's last state open). Without it, every interval is kept.
   */
  lastChange?: { machine: string; atField: string; tidFields: readonly string[]; cpuField: string };
}

/** The sched pack (rules/sched): machine `sched.thread`, links `sched.wakeup`, `sched.packet*`. */
export const SCHED_GRAPH: GraphSpec = {
  machine: "sched.thread",
  states: { running: "running", preempted: "preempted", blocked: "blocked" },
  waitState: "blocked",
  runState: "running",
  wokenField: "woken",
  wokenKinds: {
    task: "blocked", timer: "timer", interrupted: "interrupted", block_device: "block_device",
    network: "network", ipi: "ipi", blocked: "blocked", unknown: "unknown",
  },
  taskWake: "task",
  causeField: "cause",
  nameField: "task",
  cpuField: "on_cpu",
  wakeups: ["sched.wakeup"],
  packets: ["sched.packet", "sched.packet_irq"],
  workStarts: ["sched.net_softirq"],
  marks: ["sched.net_endpoint"],
  lastChange: { machine: "sched.last_change", atField: "at", tidFields: ["prev", "next", "woken"], cpuField: "cpu" },
};

/** The kvm pack's vCPU machine, when it ran: splits a vCPU thread's time on the path. */
export interface VcpuSpec {
  machine: string;
  /** State → how the path shows it. */
  states: Readonly<Record<string, "guest" | "hypervisor" | "preempted" | "waiting">>;
  /** Kept fields: exit reason (hypervisor), who took the CPU (preempted), VM and vCPU id. */
  reasonField: string;
  byTidField: string;
  byCommField: string;
  vmField: string;
  vcpuField: string;
}

export const KVM_VCPU: VcpuSpec = {
  machine: "kvm.vcpu",
  states: { guest: "guest", hypervisor: "hypervisor", preempted: "preempted", waiting: "waiting" },
  reasonField: "reason",
  byTidField: "by_tid",
  byCommField: "by_comm",
  vmField: "vm",
  vcpuField: "vcpu",
};
