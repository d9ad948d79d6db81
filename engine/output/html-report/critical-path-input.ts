/**
 * The optional critical path a caller hands to the HTML report (`HtmlReportOptions.criticalPath`).
 *
 * Contract for producers (e.g. `vigil critical-path --report`): steps are what the followed
 * work was waiting on, in time order — the walk's output, one step per interval of one worker.
 * Times are integer ns relative to `RunResult.origin`, like every time of a run. `state` is the
 * edge kind (`running`, `preempted`, `blocked`, `timer`, `interrupted`, `block_device`,
 * `network`, `unknown`) or a vCPU state (`guest`, `hypervisor`, `preempted`, `waiting`);
 * `cause` says why in words a person reads ("preempted by stress-ng (4242)", "exit
 * EPT_VIOLATION", "disk sda"). Links are the vertical edges the walk followed (wakeups,
 * packets), drawn as arrows between the workers' lanes.
 * `criticalPathData` checks all of it and throws an Error naming the first bad step.
 */
import type { CriticalPathData } from "./report-types.js";

/** What `worker` was doing on the path from `start` to `end` (ns from the run's origin). */
export interface CriticalPathStep {
  /** Thread or vCPU as people name it: `"200"`, `"qemu 1001"`, `"vCPU 0 of VM web01"`. */
  worker: string | number;
  state: string;
  start: number;
  end: number;
  cause?: string;
}

/** A vertical edge the walk followed: from `from` at `from_ts` to `to` at `to_ts`. */
export interface CriticalPathLink {
  from: string | number;
  from_ts: number;
  to: string | number;
  to_ts: number;
}

/** A critical path to draw: a title (what was followed, over which range) and its steps. */
export interface CriticalPathInput {
  /** E.g. `"thread 200 from 1.200 s to 1.240 s"`. */
  title: string;
  steps: CriticalPathStep[];
  links?: CriticalPathLink[];
}

/**
 * The rows a critical-path walk tells (`vigil critical-path`'s `PathRow`, by shape): one per
 * edge; a vertical row moves the path from worker `from` to `worker`, its label "A → B".
 */
export interface PathRowLike {
  worker: string;
  from: string | null;
  label: string;
  state: string;
  start: number;
  end: number;
  cause: string;
  vertical: boolean;
}

/**
 * A walk's rows as the report's input: horizontal rows become steps on their worker's lane
 * (named by its label), vertical rows become links between the two workers' lanes.
 */
export function criticalPathFromRows(title: string, rows: readonly PathRowLike[]): CriticalPathInput {
  const names = new Map<string, string>();
  for (const r of rows) if (!r.vertical && !names.has(r.worker)) names.set(r.worker, r.label);
  const name = (key: string, fallback: string) => names.get(key) ?? fallback;
  const steps: CriticalPathStep[] = [];
  const links: CriticalPathLink[] = [];
  for (const r of rows) {
    if (!r.vertical) { steps.push({ worker: r.label, state: r.state, start: r.start, end: r.end, ...(r.cause ? { cause: r.cause } : {}) }); continue; }
    const [a, b] = r.label.split(" → ");
    links.push({ from: name(r.from ?? "", a ?? r.from ?? "?"), from_ts: r.start, to: name(r.worker, b ?? r.worker), to_ts: r.end });
  }
  return { title, steps, links };
}

/**
 * The report's compact form of `input`. Throws an Error such as
 * "criticalPath.steps[3]: end 100 is before start 200" for the first step or link that is not
 * a finite, ordered interval, so a producer's bug is named rather than drawn wrong.
 */
export function criticalPathData(input: CriticalPathInput): CriticalPathData {
  const workers = new Map<string, number>();
  const states = new Map<string, number>();
  const causes = new Map<string, number>();
  const steps: number[] = [];
  input.steps.forEach((s, i) => {
    const where = `criticalPath.steps[${i}]`;
    _checkTime(s.start, `${where}.start`);
    _checkTime(s.end, `${where}.end`);
    if (s.end < s.start) throw new Error(`${where}: end ${s.end} is before start ${s.start}`);
    if (typeof s.state !== "string" || s.state === "") throw new Error(`${where}: state must be a non-empty string`);
    const cause = s.cause === undefined || s.cause === "" ? -1 : _index(causes, s.cause);
    steps.push(_index(workers, String(s.worker)), s.start, s.end, _index(states, s.state), cause);
  });
  const links: number[] = [];
  (input.links ?? []).forEach((l, i) => {
    const where = `criticalPath.links[${i}]`;
    _checkTime(l.from_ts, `${where}.from_ts`);
    _checkTime(l.to_ts, `${where}.to_ts`);
    links.push(_index(workers, String(l.from)), l.from_ts, _index(workers, String(l.to)), l.to_ts);
  });
  return { title: input.title, workers: [...workers.keys()], steps, states: [...states.keys()], causes: [...causes.keys()], links };
}

// --- internal ---

function _checkTime(v: number, where: string): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: expected a finite number of ns from the run's origin, got ${String(v)}`);
}

function _index(m: Map<string, number>, k: string): number {
  let i = m.get(k);
  if (i === undefined) m.set(k, (i = m.size));
  return i;
}
