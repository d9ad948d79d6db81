/**
 * `vigil lami`: rules and packs as a LAMI 1.0 analysis, so Trace Compass (External Analyses)
 * can run them and show their tables and charts. The phases are LAMI's:
 *   vigil lami --mi-version                         → 1.0
 *   vigil lami --pack kvm --metadata                → the table classes of the pack's tables
 *   vigil lami --pack kvm --test-compatibility T    → nothing when the rules compile against T
 *                                                     and read some of its events, else an error
 *   vigil lami --pack kvm [--output-progress] [--begin NS] [--end NS] [--limit N] TRACE...
 * Everything on stdout is LAMI; diagnostics and read issues go to stderr. Trace Compass asks
 * the bare executable for `--mi-version`, so register a one-line wrapper script, e.g.
 * `#!/bin/sh` / `exec vigil lami --pack kvm "$@"`, as the analysis command.
 */
import { basename } from "node:path";
import { compile, type CompileOutput } from "../../engine/compile.js";
import { lamiTableClasses } from "../../engine/output/lami-table-classes.js";
import { formatLamiError, formatLamiMetadata, formatLamiProgress, formatLamiResults, formatLamiVersion, type LamiAnalysisInfo } from "../../engine/output/lami-formatter.js";
import { openTraces, TraceOpenError } from "../../engine/readers/index.js";
import { chooseRunOrigin } from "../../engine/readers/sort.js";
import type { SourceItem, TraceSource } from "../../engine/readers/source.js";
import { isLoss } from "../../engine/readers/source.js";
import { runSources, sourcesSchema } from "../../engine/run.js";
import type { ParsedArgs } from "../command.js";
import { formatDiagnostic } from "../../grammar/format-diagnostic.js";
import { issueReporter, list, parseMapEntries, parseOverrides, splitInputs, StrictStop } from "../inputs.js";

/** Where the command writes (the process's streams, or a test's buffers). */
export interface LamiIo {
  out(text: string): void;
  err(text: string): void;
}

/** The command as `vigil` runs it: LAMI on stdout, diagnostics on stderr. */
export async function run(args: ParsedArgs): Promise<number> {
  return lami(args, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}

/** The command; returns the exit status (0 when the LAMI output is a metadata or results object). */
export async function lami(args: ParsedArgs, io: LamiIo): Promise<number> {
  const v = args.values;
  if (v["mi-version"] === true) { io.out(formatLamiVersion()); return 0; }
  const fail = (message: string, code: number) => { io.out(formatLamiError(message, code)); return code; };
  const { rules, traces } = splitInputs(args.positionals);
  const packs = list(v.pack);
  if (rules.length === 0 && packs.length === 0) return fail("vigil lami: give rule files (.vgl) or --pack NAME", 2);
  const { overrides, errors } = parseOverrides(list(v.set));
  const maps = parseMapEntries(list(v.map));
  errors.push(...maps.errors);
  if (errors.length > 0) return fail(`vigil lami: ${errors.join("; ")}`, 2);
  const compileWith = (sources: TraceSource[] | null) => compile({ files: rules, packs, overrides, mapEntries: maps.entries, traceSchema: sources ? sourcesSchema(sources) : null });
  const compiled = (out: CompileOutput): string | null => {
    const errs = out.diagnostics.filter((d) => d.severity === "error");
    for (const d of out.diagnostics) io.err(formatDiagnostic(d, out.texts.get(d.span.file) ?? "") + "\n");
    return errs.length === 0 && out.program ? null : `Cannot compile the rules: ${errs.length} error(s), first: ${errs[0]!.span.file}:${errs[0]!.span.line}:${errs[0]!.span.col}: ${errs[0]!.message}`;
  };

  if (v.metadata === true) {
    const out = compileWith(null);
    const bad = compiled(out);
    if (bad) return fail(bad, 1);
    io.out(formatLamiMetadata(_info(out, packs, rules), lamiTableClasses(out.unit!, out.plans)));
    return 0;
  }

  const reporter = issueReporter(v.strict === true);
  const test = typeof v["test-compatibility"] === "string" ? v["test-compatibility"] : null;
  const paths = test !== null ? [test, ...traces] : traces;
  if (paths.length === 0) return fail("vigil lami: give at least one trace", 2);
  let begin: bigint | undefined, end: bigint | undefined, limit: number | undefined;
  try {
    begin = typeof v.begin === "string" ? _ns(v.begin, "--begin") : undefined;
    end = typeof v.end === "string" ? _ns(v.end, "--end") : undefined;
    limit = typeof v.limit === "string" && v.limit !== "unlimited" ? _count(v.limit) : undefined;
  } catch (err) {
    return fail(`vigil lami: ${(err as Error).message}`, 2);
  }
  if (begin !== undefined && end !== undefined && end < begin) return fail(`vigil lami: --end ${end} is before --begin ${begin}`, 2);
  let sources: TraceSource[];
  try {
    const inputFormat = v["input-format"];
    sources = await openTraces(paths, typeof inputFormat === "string" ? { onIssue: reporter.onIssue, format: inputFormat } : { onIssue: reporter.onIssue });
  } catch (err) {
    if (err instanceof TraceOpenError || err instanceof StrictStop) return fail(err.message, 1);
    throw err;
  }
  const out = compileWith(sources);
  const bad = compiled(out);
  if (bad) return fail(bad, 1);
  if (test !== null) {
    // Compatible unless nothing can match: the trace declares its events and none is read.
    const schema = sourcesSchema(sources);
    const read = out.program!.events;
    if (schema !== null && read.length > 0 && !read.some((e) => schema.some((c) => c.name === e))) {
      return fail(`${test} has none of the events these rules read (${read.slice(0, 8).join(", ")}${read.length > 8 ? ", ..." : ""})`, 1);
    }
    return 0; // compatible: LAMI wants no output at all
  }

  const progress = v["output-progress"] === true;
  const known = sources.every((s) => s.first !== null && s.last !== null);
  const origin = chooseRunOrigin(sources); // the one runSources picks: progress times are relative to it
  const lo = begin ?? _min(sources.map((s) => s.first)), hi = end ?? _max(sources.map((s) => s.last));
  if (progress) io.out(formatLamiProgress(known ? 0 : null, `reading ${paths.length} trace${paths.length === 1 ? "" : "s"}`));
  try {
    const result = await runSources(out.program!, begin !== undefined || end !== undefined ? sources.map((s) => _clip(s, begin, end)) : sources, {
      progressEvery: 100_000,
      print: (line) => io.err(line + "\n"), // alert `print` actions must never mix with the LAMI on stdout
      onProgress: progress ? (n, ts) => io.out(formatLamiProgress(known && lo !== null && hi !== null && hi > lo ? Number(BigInt(Math.round(ts)) + origin - lo) / Number(hi - lo) : null, `${n} events`)) : undefined,
    });
    const text = formatLamiResults(result, lamiTableClasses(out.unit!, out.plans), { ...(begin !== undefined ? { begin } : {}), ...(end !== undefined ? { end } : {}), ...(limit !== undefined ? { limit } : {}) });
    if (progress) io.out(formatLamiProgress(known ? 1 : null, "done"));
    io.out(text);
  } catch (err) {
    if (err instanceof StrictStop) return fail(err.message, 1);
    throw err;
  }
  return reporter.errors() > 0 ? 1 : 0;
}

// --- internal ---

const VIGIL_VERSION = { major: 0, minor: 1, patch: 0, extra: "" }; // as `vigil --version`

function _info(out: CompileOutput, packs: string[], rules: string[]): LamiAnalysisInfo {
  const docs = (out.unit?.files ?? []).flatMap((f) => f.decls).flatMap((d) => (d.kind === "Pack" && d.doc ? [`${d.name.name}: ${d.doc}`] : []));
  const names = [...packs, ...rules.map((r) => basename(r))];
  return {
    title: `Vigil: ${names.join(", ")}`,
    description: docs.length > 0 ? docs.join(" · ") : `Vigil rules ${names.join(", ")}`,
    version: VIGIL_VERSION,
    authors: ["Vigil"],
    url: "",
    tags: ["vigil", "linux-kernel", ...packs],
  };
}

/** An absolute timestamp in ns (Trace Compass passes integers). */
function _ns(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`${what} ${text}: expected an absolute time in integer ns`);
  return BigInt(text);
}

function _count(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`--limit ${text}: expected a number of rows or "unlimited"`);
  return Number(text);
}

function _min(xs: Array<bigint | null>): bigint | null {
  return xs.reduce<bigint | null>((a, x) => (x === null ? a : a === null || x < a ? x : a), null);
}

function _max(xs: Array<bigint | null>): bigint | null {
  return xs.reduce<bigint | null>((a, x) => (x === null ? a : a === null || x > a ? x : a), null);
}

/**
 * A source that yields only what lies in [begin, end] (absolute ns) and stops reading past
 * `end`. (A reader-side concern: it belongs in engine/readers once `vigil run` takes a range.)
 */
function _clip(s: TraceSource, begin: bigint | undefined, end: bigint | undefined): TraceSource {
  return {
    hostId: s.hostId, path: s.path, format: s.format, first: s.first, last: s.last, schema: s.schema,
    open: () => s.open(),
    async *batches(origin: bigint, host: number): AsyncIterable<SourceItem[]> {
      const lo = begin === undefined ? -Infinity : Number(begin - origin);
      const hi = end === undefined ? Infinity : Number(end - origin);
      for await (const batch of s.batches(origin, host)) {
        const keep = batch.filter((it) => { const t = isLoss(it) ? it.start : it.ts; return t >= lo && t <= hi; });
        if (keep.length > 0) yield keep;
        const last = batch[batch.length - 1];
        if (last !== undefined && (isLoss(last) ? last.start : last.ts) > hi) return;
      }
    },
  };
}
