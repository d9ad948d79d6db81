/** The command table: one entry per `vigil` subcommand. */
import { defineCommand, type CommandSpec } from "./command.js";

const format = { type: "string", short: "f", description: "output format: table, json, csv or xenmon", default: "table" } as const;
const pack = { type: "string", short: "p", multiple: true, description: "add a built-in pack (see `vigil packs`)" } as const;
const set = { type: "string", multiple: true, description: "override a const: NAME=VALUE (e.g. kvm.long_preemption=5ms)" } as const;
const map = { type: "string", multiple: true, description: "add a map entry: NAME:KEY=VALUE (e.g. kvm.vm_names:4242=web01)" } as const;
const help = { type: "boolean", short: "h", description: "show this help" } as const;
const cpuHz = { type: "string", description: "xentrace: the traced host's TSC frequency (e.g. 2.4GHz; default xenalyze's 2.4 GHz)" } as const;

export const COMMANDS: CommandSpec[] = [
  defineCommand({
    name: "check",
    summary: "parse and check rule files; report every mistake with file:line:col",
    usage: "vigil check [--pack NAME] [--trace TRACE] FILES_OR_DIRS...",
    options: {
      format: { type: "string", short: "f", description: "diagnostics as text or json", default: "text" },
      pack, set, help,
      trace: { type: "string", short: "t", multiple: true, description: "check names against this trace's event schema" },
    },
    load: () => import("./commands/check.js"),
  }),
  defineCommand({
    name: "run",
    summary: "run rule files and packs over traces and print states, segments, tables and alerts",
    usage: "vigil run [--pack NAME]... [RULES.vgl]... TRACE... (TRACE may be - for stdin)",
    options: {
      format, pack, set, map, help, "cpu-hz": cpuHz,
      table: { type: "string", multiple: true, description: "print only these tables (csv: one table, no header line)" },
      "input-format": { type: "string", description: "skip detection: jsonl, tcxml, ctf, ..." },
      "no-states": { type: "boolean", description: "do not keep state intervals (tables and alerts still work)" },
      do: { type: "string", multiple: true, description: "add an action to an alert: 'RULE: ACTION [POLICY]', e.g. 'kvm.long_preemption: exec [\"notify\", \"{vm}\"] at most every 60s per vm'" },
      cluster: { type: "string", description: "k-means over a profile table: k=N[,features=a+b][,table=NAME] (default table: the one named *.profile)" },
      output: { type: "string", short: "o", description: "write the report to a file instead of stdout" },
      timeline: { type: "string", description: "also write a Chrome/Perfetto trace-event JSON timeline to FILE" },
      report: { type: "string", description: "also write a self-contained HTML report (timelines, charts, tables, alerts) to FILE" },
      quiet: { type: "boolean", short: "q", description: "no progress on stderr" },
      strict: { type: "boolean", description: "stop at the first read error instead of reporting it and reading on" },
    },
    load: () => import("./commands/run.js"),
  }),
  defineCommand({
    name: "lami",
    summary: "run rules and packs as a LAMI 1.0 analysis (Trace Compass external analyses)",
    usage: "vigil lami [--mi-version] [--metadata] [--test-compatibility TRACE] [--pack NAME]... [RULES.vgl]... [--begin NS] [--end NS] [--limit N] TRACE...",
    options: {
      pack, set, map, help,
      "mi-version": { type: "boolean", description: "print the LAMI version this command speaks (1.0)" },
      metadata: { type: "boolean", description: "print the analysis' metadata: title and the table classes of every table" },
      "test-compatibility": { type: "string", description: "no output when the rules compile against TRACE and read some of its events; else a LAMI error" },
      "output-progress": { type: "boolean", description: "print LAMI progress lines before the results" },
      begin: { type: "string", description: "analyse from this absolute time (ns)" },
      end: { type: "string", description: "analyse up to this absolute time (ns)" },
      limit: { type: "string", description: "at most N rows per table, or unlimited", default: "unlimited" },
      "input-format": { type: "string", description: "skip detection: jsonl, tcxml, ctf, ..." },
      strict: { type: "boolean", description: "stop at the first read error" },
    },
    load: () => import("./commands/lami.js"),
  }),
  defineCommand({
    name: "explain",
    summary: "show the compiled plan: events each rule listens to, keys, bounds, warnings",
    usage: "vigil explain [--pack NAME] [--source] FILES...",
    options: { pack, set, help, source: { type: "boolean", description: "also print the generated JavaScript" } },
    load: () => import("./commands/explain.js"),
  }),
  defineCommand({
    name: "dump",
    summary: "print every event of the traces, merged by time (text, or JSON Lines to feed back with -)",
    usage: "vigil dump [--format text|jsonl|babeltrace] [--limit N] TRACE...",
    options: {
      format: { type: "string", short: "f", description: "text, jsonl, or babeltrace (CTF: babeltrace2's own text, to diff)", default: "text" },
      "input-format": { type: "string", description: "skip detection: jsonl, tcxml, ctf, xentrace, ..." },
      limit: { type: "string", short: "n", description: "stop after N events" },
      "cpu-hz": cpuHz,
      strict: { type: "boolean", description: "stop at the first read error" },
      help,
    },
    load: () => import("./commands/dump.js"),
  }),
  defineCommand({
    name: "packs",
    summary: "list the built-in rule packs and their rules",
    usage: "vigil packs",
    options: { help },
    load: () => import("./commands/packs.js"),
  }),
  defineCommand({
    name: "critical-path",
    summary: "what a thread waited for: its critical path through the execution graph (sched pack), per-cause totals",
    usage: "vigil critical-path (--tid N | --comm NAME | --vm PID --vcpu K) [--from T --to T] [--kvm] TRACE...",
    options: {
      tid: { type: "string", description: "the thread (host tid)" },
      comm: { type: "string", description: "the thread, by command name (or with --tid, to check it)" },
      host: { type: "string", description: "the host (trace) the thread is on, when several traces share a tid" },
      vm: { type: "string", description: "with --vcpu: the vCPU thread of this VM (qemu pid); runs the kvm pack" },
      vcpu: { type: "string", description: "with --vm: the vCPU id" },
      kvm: { type: "boolean", description: "also run the kvm pack: vCPU threads on the path split into guest / hypervisor / preempted" },
      from: { type: "string", description: "start at this time (ns after the origin, or 250us, 1.5ms, 2s)" },
      to: { type: "string", description: "stop once the path reaches this time" },
      format: { type: "string", short: "f", description: "table or json", default: "table" },
      "input-format": { type: "string", description: "skip detection: jsonl, tcxml, ctf, ftrace, ..." },
      output: { type: "string", short: "o", description: "write the report to a file instead of stdout" },
      quiet: { type: "boolean", short: "q", description: "no progress on stderr" },
      strict: { type: "boolean", description: "stop at the first read error" },
      help,
    },
    load: () => import("./commands/critical-path.js"),
  }),
];
