/** `vigil run`: rules and packs over traces; prints the report in the chosen format. */
import { fstatSync, writeFileSync, writeSync } from "node:fs";
import { hasErrors, type Diagnostic } from "../../grammar/diagnostic.js";
import { packReportOrder, packsDir } from "../../engine/load-files.js";
import { compileUnits } from "../../engine/compile-units.js";
import { parseDoOption } from "../../engine/attach-actions.js";
import { FormattersMap, type FormatName } from "../../engine/output/index.js";
import { formatTimeline } from "../../engine/output/timeline-formatter.js";
import { formatHtmlReport } from "../../engine/output/html-report/html-report-formatter.js";
import { HistoryFiles } from "../../engine/output/history-spill.js";
import { JSON_ROWS } from "../../engine/output/json-formatter.js";
import { CSV_ROWS } from "../../engine/output/csv-formatter.js";
import { stripProvider } from "../../engine/live/live-trace.js";
import { RenamedSource } from "../../engine/live/rename-source.js";
import { runSources, sourcesSchema } from "../../engine/run.js";
import { ClusterError, clusterTable, parseClusterSpec } from "../../engine/analyses/cluster.js";
import type { RunResult } from "../../engine/runtime/result.js";
import type { ParsedArgs } from "../command.js";
import { FileSink, writeChunks } from "../write-chunks.js";
import { list, parseMapEntries, parseOverrides, printDiagnostics, splitInputs, StrictStop } from "../inputs.js";
import { openCommandTraces } from "./open-command-traces.js";
import { progressLine } from "../progress-line.js";

export async function run(args: ParsedArgs): Promise<number> {
  const format = String(args.values.format ?? "table");
  if (!(format in FormattersMap)) {
    process.stderr.write(`vigil run: unknown --format ${format} (choose ${Object.keys(FormattersMap).join(", ")})\n`);
    return 2;
  }
  const { rules, traces } = splitInputs(args.positionals);
  const packs = list(args.values.pack);
  if (rules.length === 0 && packs.length === 0) { process.stderr.write("vigil run: give rule files (.vgl) or --pack NAME\n"); return 2; }
  if (traces.length === 0) { process.stderr.write("vigil run: give at least one trace (or - for stdin)\n"); return 2; }
  // kvm pack shortcuts: --vcpu, --vm-name, --name-cr3 are --set / --map on the pack's names
  const sets = [...list(args.values.set), ...(typeof args.values.vcpu === "string" ? [`kvm.only_vcpu=${args.values.vcpu}`] : [])];
  const maps = [...list(args.values.map), ...list(args.values["vm-name"]).map((x) => `kvm.vm_names:${x}`), ...list(args.values["name-cr3"]).map((x) => `kvm.cr3_names:${x}`)];
  const { overrides, errors } = parseOverrides(sets);
  const { entries: mapEntries, errors: mapErrors } = parseMapEntries(maps);
  errors.push(...mapErrors);
  if (errors.length > 0) { errors.forEach((e) => process.stderr.write(`vigil run: ${e}\n`)); return 2; }

  const opened = await openCommandTraces("run", traces, args.values);
  if (!opened.ok) return opened.exitCode;
  const reporter = opened.reporter;
  // As `vigil watch --strip-provider` reads them live, so a replay gives the same alerts.
  const sources = args.values["strip-provider"] === true ? opened.sources.map((s) => new RenamedSource(s, stripProvider)) : opened.sources;
  const extraActions = [];
  for (const d of list(args.values.do)) {
    const x = parseDoOption(d);
    if (!x) { process.stderr.write(`vigil run: --do ${d}: expected 'RULE: ACTION [POLICY]'\n`); return 2; }
    extraActions.push(x);
  }
  const out = compileUnits({ files: rules, packs, overrides, mapEntries, extraActions, traceSchema: sourcesSchema(sources) });
  // A built-in pack's rules for events this trace lacks are expected: summarise, don't list.
  const quietPack = (d: Diagnostic) => d.severity === "warning" && (d.code === "VGL204" || d.code === "VGL203") && d.span.file.startsWith(packsDir());
  const shown = out.diagnostics.filter((d) => !quietPack(d));
  if (shown.length > 0) printDiagnostics(shown, out.texts);
  const hiddenNotes = out.diagnostics.length - shown.length;
  if (hiddenNotes > 0 && args.values.quiet !== true) process.stderr.write(`note: ${hiddenNotes} pack rule part(s) listen to events this trace does not have (\`vigil check --trace TRACE --pack NAME\` lists them)
`);
  if (hasErrors(out.diagnostics) || !out.programs) return 1;

  const quiet = args.values.quiet === true || !process.stderr.isTTY;
  const started = Date.now();
  const progress = progressLine(sources);
  let result: RunResult;
  // Every interval and segment is kept only where the output shows them (JSON, CSV, the
  // timeline, the report): the terminal report needs only their summaries, tallied as the
  // run goes, so a long trace does not hold millions of rows in memory for nothing.
  const timelineOrReport = typeof args.values.timeline === "string" || typeof args.values.report === "string";
  const tables = list(args.values.table);
  // (--table prints only tables: the intervals would be kept for nothing)
  const history = args.values["no-states"] !== true && ((format !== "table" && tables.length === 0) || timelineOrReport);
  // JSON and CSV write them to temporary files as they close and read them back at the end.
  const rows = format === "json" ? JSON_ROWS : format === "csv" ? CSV_ROWS : null;
  const spill = history && rows !== null && !timelineOrReport ? new HistoryFiles(rows) : null;
  try {
    result = await runSources(out.programs, sources, {
      history,
      ...(spill === null ? {} : { spill }),
      tally: true,
      onProgress: quiet ? undefined : (n, ts) => process.stderr.write(`\r${progress(n, ts, Date.now() - started)}\x1b[K`),
      // an alert line first clears the progress line it would otherwise be appended to
      ...(quiet ? {} : { print: (line: string) => process.stderr.write(`\r\x1b[K${line}\n`) }),
    });
  } catch (err) {
    spill?.dispose();
    if (err instanceof StrictStop) { process.stderr.write(`vigil run: ${err.message}\n`); return 1; }
    throw err;
  }
  if (!quiet) process.stderr.write("\r\x1b[K");
  if (typeof args.values.cluster === "string") {
    try {
      addClusters(result, args.values.cluster);
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      process.stderr.write(`vigil run: ${err.message}\n`);
      return 2;
    }
  }
  // In pieces: JSON or CSV of every interval of a long run is more than one string holds.
  // To a file they go as they come; stdout gets them after, with back-pressure.
  const output = args.values.output;
  const file = typeof output === "string" ? new FileSink(output) : null;
  // stdout redirected to a file is written as the pieces come too
  const stdoutFile = file === null && _isFile(1);
  const chunks: string[] = [];
  try {
    // the packs' report order (pack.json `reports`): their main timeline and tables first
    const order = packs.flatMap(packReportOrder);
    FormattersMap[format as FormatName].write(result, { ...(tables.length > 0 ? { select: { tables } } : {}), order }, file?.write ?? (stdoutFile ? (c) => writeSync(1, c) : (c) => chunks.push(c)));
  } catch (err) {
    process.stderr.write(`vigil run: ${(err as Error).message}\n`);
    return 1;
  } finally {
    file?.close();
    spill?.dispose();
  }
  if (typeof args.values.timeline === "string") writeFileSync(args.values.timeline, formatTimeline(result));
  if (typeof args.values.report === "string") writeFileSync(args.values.report, formatHtmlReport(result, { title: `Vigil report: ${traces.join(", ")}` }));
  if (file === null) await writeChunks(process.stdout, chunks);
  return reporter.errors() > 0 ? 1 : 0;
}

/** `--cluster`: adds `<profile table>.clusters` to the result. */
function addClusters(result: RunResult, spec: string): void {
  const c = parseClusterSpec(spec);
  const candidates = Object.keys(result.tables).filter((t) => t.endsWith(".profile") || t === "profile");
  const name = c.table ?? (candidates.length === 1 ? candidates[0]! : undefined);
  if (name === undefined || !result.tables[name]) {
    throw new ClusterError(`--cluster: name the table with table=NAME (profile tables in this run: ${candidates.join(", ") || "none"})`);
  }
  result.tables[`${name}.clusters`] = clusterTable(name, result.tables[name]!, c.features ? { k: c.k, features: c.features } : { k: c.k });
}

function _isFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
