/**
 * `vigil critical-path`: runs the sched pack (and the kvm pack for VM-aware paths) over the
 * traces, builds the execution graph and prints one thread's critical path with its per-cause
 * totals (engine/analyses/critical-path.ts).
 */
import { writeFileSync } from "node:fs";
import { buildExecGraph, criticalPath, CriticalPathError, findThreads, GraphBuildError, KVM_VCPU, vcpuThreads } from "../../engine/analyses/critical-path.js";
import { formatPathJson, formatPathTable } from "../../engine/analyses/critical-path/format-path.js";
import { runGraphPacks } from "../../engine/analyses/critical-path/run-packs.js";
import { openTraces, TraceOpenError } from "../../engine/readers/index.js";
import type { ParsedArgs } from "../command.js";
import { issueReporter, printDiagnostics, StrictStop } from "../inputs.js";
import { progressLine } from "../progress-line.js";

const FORMATS = ["table", "json"];

export async function run(args: ParsedArgs): Promise<number> {
  const fail = (msg: string, code = 2) => { process.stderr.write(`vigil critical-path: ${msg}\n`); return code; };
  const v = args.values;
  const format = String(v.format ?? "table");
  if (!FORMATS.includes(format)) return fail(`unknown --format ${format} (choose ${FORMATS.join(", ")})`);
  const q = parseQuery(v);
  if (typeof q === "string") return fail(q);
  const { tid, comm, vm, vcpu, from, to } = q;
  if (args.positionals.length === 0) return fail("give at least one trace (several: one per host, for paths across the network)");

  const reporter = issueReporter(v.strict === true);
  let sources;
  try {
    const inputFormat = v["input-format"];
    sources = await openTraces(args.positionals, typeof inputFormat === "string" ? { onIssue: reporter.onIssue, format: inputFormat } : { onIssue: reporter.onIssue });
  } catch (err) {
    if (err instanceof TraceOpenError || err instanceof StrictStop) return fail(err.message, 1);
    throw err;
  }
  const kvm = v.kvm === true || vm !== undefined;
  const quiet = v.quiet === true || !process.stderr.isTTY;
  const started = Date.now();
  const progress = progressLine(sources);
  let run;
  try {
    run = await runGraphPacks(sources, kvm ? ["sched", "kvm"] : ["sched"], {
      onProgress: quiet ? undefined : (n, ts) => process.stderr.write(`\r${progress(n, ts, Date.now() - started)}\x1b[K`),
    });
  } catch (err) {
    if (err instanceof StrictStop) return fail(err.message, 1);
    throw err;
  }
  if (!quiet) process.stderr.write("\r\x1b[K");
  // Absent optional tracepoints are expected (VGL204): only real problems are worth printing.
  const worth = run.diagnostics.filter((d) => d.code !== "VGL204");
  if (worth.length > 0) printDiagnostics(worth, run.texts);
  if (run.result === null) return 1;
  const result = run.result;

  let text: string;
  try {
    const g = buildExecGraph(result);
    let keys: string[];
    if (vm !== undefined) {
      const tids = vcpuThreads(result, KVM_VCPU, vm, vcpu!);
      if (tids.length === 0) return fail(`no vCPU ${vcpu} of VM ${vm} in the trace (kvm.vcpu saw none: is ${vm} the qemu process id?)`, 1);
      keys = tids.flatMap((t) => findThreads(g, { tid: t }));
    } else {
      keys = findThreads(g, { ...(tid !== undefined ? { tid } : {}), ...(comm !== undefined ? { comm } : {}), ...(typeof v.host === "string" ? { host: v.host } : {}) });
    }
    if (keys.length === 0) return fail(`no such thread with scheduling events in the trace (${describeQuery(tid, comm, vm, vcpu)})`, 1);
    if (keys.length > 1) return fail(`${keys.length} threads match (${keys.slice(0, 8).join(", ")}${keys.length > 8 ? ", ..." : ""}): narrow with --tid or --host`, 1);
    const report = criticalPath(result, g, keys[0]!, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    text = format === "json" ? formatPathJson(report, result, g) : formatPathTable(report, result);
  } catch (err) {
    if (err instanceof GraphBuildError || err instanceof CriticalPathError) return fail(err.message, 1);
    throw err;
  }
  if (typeof v.output === "string") writeFileSync(v.output, text);
  else process.stdout.write(text);
  return reporter.errors() > 0 ? 1 : 0;
}

// --- internal ---

interface Query {
  tid?: number;
  comm?: string;
  vm?: number;
  vcpu?: number;
  from?: number;
  to?: number;
}

/** The target and range options, or what is wrong with them. */
function parseQuery(v: ParsedArgs["values"]): Query | string {
  const q: Query = {};
  for (const name of ["tid", "vm", "vcpu"] as const) {
    const x = v[name];
    if (typeof x !== "string") continue;
    if (!/^-?\d+$/.test(x.trim())) return `--${name} ${x}: expected an integer`;
    q[name] = Number(x);
  }
  for (const name of ["from", "to"] as const) {
    const x = v[name];
    if (typeof x !== "string") continue;
    const t = parseTime(x);
    if (t === null) return `--${name} ${x}: expected a time after the trace origin, in ns or with a unit (250us, 1.5ms, 2s)`;
    q[name] = t;
  }
  if (typeof v.comm === "string") q.comm = v.comm;
  if ((q.vm === undefined) !== (q.vcpu === undefined)) return "--vm PID and --vcpu K go together";
  if (q.tid === undefined && q.comm === undefined && q.vm === undefined) return "name the thread: --tid N, --comm NAME, or --vm PID --vcpu K";
  return q;
}

const UNIT: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

/** `123456` (ns), `250us`, `1.5ms`, `2s`. */
function parseTime(x: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s)?$/.exec(x.trim());
  return m ? Math.round(Number(m[1]) * UNIT[m[2] ?? "ns"]!) : null;
}

function describeQuery(tid: number | undefined, comm: string | undefined, vm: number | undefined, vcpu: number | undefined): string {
  if (vm !== undefined) return `vCPU ${vcpu} of VM ${vm}`;
  return [tid !== undefined ? `tid ${tid}` : "", comm !== undefined ? `comm ${comm}` : ""].filter((s) => s !== "").join(", ");
}
