/**
 * `vigil watch`: rules and packs over a live source — a relay daemon's live session, a trace
 * directory still being written, or a text stream on stdin — with alert actions (LTTng
 * snapshots, rotations, commands, JSON logs) under rate policies. Prints one line per alert,
 * action step and notice (text or JSON Lines), or a live terminal view with `--ui`. Ends when
 * the source ends (session destroyed, stdin closed) or on SIGINT/SIGTERM, then prints a summary
 * and, with `--result FILE`, writes the whole result as `vigil run --format json` would.
 */
import { hasErrors } from "../../grammar/diagnostic.js";
import { compile } from "../../engine/compile.js";
import { parseDoOption, type ExtraAction } from "../../engine/attach-actions.js";
import { LiveDriver } from "../../engine/live/live-driver.js";
import { LiveView } from "../../engine/live/live-view.js";
import { LiveSourceError } from "../../engine/live/live-feed.js";
import { listRelaySessions, openFeed } from "../../engine/live/open-feed.js";
import { RelayError } from "../../engine/live/relay-connection.js";
import { FormattersMap } from "../../engine/output/index.js";
import { TraceOpenError } from "../../engine/readers/index.js";
import type { ParsedArgs } from "../command.js";
import { FileSink } from "../write-chunks.js";
import { list, parseMapEntries, parseOverrides, printDiagnostics, splitInputs } from "../inputs.js";
import { actionLine, alertLine, noticeLine, type LineFormat } from "../ui/plain-lines.js";
import { parseWatchNumbers, type WatchNumbers } from "../ui/watch-options.js";

export async function run(args: ParsedArgs): Promise<number> {
  const err = (m: string) => process.stderr.write(`vigil watch: ${m}\n`);
  const format = String(args.values.format ?? "text");
  if (format !== "text" && format !== "json") return err(`unknown --format ${format} (choose text or json)`), 2;
  let nums: WatchNumbers;
  try {
    nums = parseWatchNumbers(args.values);
  } catch (e) {
    return err((e as Error).message), 2;
  }
  const live = typeof args.values.live === "string" ? args.values.live : undefined;
  const { rules, traces } = splitInputs(args.positionals);
  const packs = list(args.values.pack);
  if (live !== undefined && rules.length === 0 && packs.length === 0 && !/\/host\//.test(live)) return listSessions(live);
  if (rules.length === 0 && packs.length === 0) return err("give rule files (.vgl) or --pack NAME"), 2;

  const { overrides, errors } = parseOverrides(list(args.values.set));
  const { entries: mapEntries, errors: mapErrors } = parseMapEntries(list(args.values.map));
  errors.push(...mapErrors);
  const extraActions: ExtraAction[] = [];
  for (const d of list(args.values.do)) {
    const x = parseDoOption(d);
    if (x) extraActions.push(x);
    else errors.push(`--do ${d}: expected 'RULE: ACTION [POLICY]'`);
  }
  if (errors.length > 0) return errors.forEach(err), 2;
  const out = compile({ files: rules, packs, overrides, mapEntries, extraActions });
  if (out.diagnostics.length > 0) printDiagnostics(out.diagnostics, out.texts);
  if (hasErrors(out.diagnostics) || !out.program) return 1;

  const lineFormat = format as LineFormat;
  const write = (line: string) => process.stdout.write(line + "\n");
  const useUi = args.values.ui === true && process.stdout.isTTY === true;
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let ui: { close(): void } | null = null;
  try {
    const feed = await openFeed({
      ...(live !== undefined ? { live } : {}),
      ...(typeof args.values.follow === "string" ? { follow: args.values.follow } : {}),
      inputs: traces,
      ...(typeof args.values["input-format"] === "string" ? { inputFormat: args.values["input-format"] } : {}),
      stripProvider: args.values["strip-provider"] === true,
      from: args.values.from === "now" ? "now" : "beginning",
      ...(nums.pollMs !== undefined ? { pollMs: nums.pollMs } : {}),
      ...(nums.stopAfterMs !== undefined ? { stopAfterMs: nums.stopAfterMs } : {}),
      ...(nums.waitMs !== undefined ? { waitMs: nums.waitMs } : {}),
      onIssue: (i) => driver.notice({ kind: "issue", issue: i }),
    });
    const origin = () => driver.origin ?? 0n;
    const view = useUi ? new LiveView(feed.label) : null;
    const driver: LiveDriver = new LiveDriver(out.program, {
      host: feed.label,
      history: nums.history,
      maxAlerts: nums.maxAlerts,
      retry: { attempts: nums.retry, backoffMs: 250 },
      ...(typeof args.values.lttng === "string" ? { lttng: args.values.lttng } : {}),
      ...(view !== null ? {
        onAlert: (r) => view.alert(r),
        onAction: (e) => view.action(e),
        onNotice: (n) => (n.kind === "issue" ? process.stderr.write(noticeLine(n, driver.origin, "text") + "\n") : view.notice(n)),
      } : {
        onAlert: (r) => write(alertLine(r, origin(), lineFormat)),
        onAction: (e) => write(actionLine(e, origin(), lineFormat)),
        onNotice: (n) => (n.kind === "issue" ? process.stderr : process.stdout).write(noticeLine(n, driver.origin, lineFormat) + "\n"),
      }),
    });
    if (view !== null) ui = (await import("../ui/live-app.js")).mountLiveApp(view, driver);
    await feed.run(driver, ac.signal);
    const result = await driver.finish();
    ui?.close();
    ui = null;
    if (typeof args.values.result === "string") {
      const file = new FileSink(args.values.result);
      try {
        FormattersMap.json.write(result, {}, file.write);
      } finally {
        file.close();
      }
    }
    const c = driver.counters;
    const s = result.stats;
    const summary = `${c.events} events, ${c.alerts} alerts (${s.suppressed_alerts} actions held back by rate policies), ${c.actionsStarted} commands started, ${c.actionsFailed} failed, ${c.gaps} gap(s), ${s.lost} events lost, ${s.late} late`;
    if (lineFormat === "json") write(JSON.stringify({ type: "summary", events: c.events, alerts: c.alerts, suppressed: s.suppressed_alerts, commands: c.actionsStarted, failed: c.actionsFailed, gaps: c.gaps, lost: s.lost, late: s.late }));
    else process.stderr.write(`vigil watch: ${summary}\n`);
    return 0;
  } catch (e) {
    ui?.close();
    if (e instanceof LiveSourceError || e instanceof TraceOpenError || e instanceof RelayError) return err(e.message), 2;
    throw e;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    // An aborted read of stdin would keep the process alive.
    if (traces.includes("-")) process.stdin.destroy();
  }
}

/** `vigil watch --live net://HOST[:PORT]`: what the relay daemon serves, as live URLs. */
async function listSessions(url: string): Promise<number> {
  try {
    const { url: u, sessions } = await listRelaySessions(url);
    const port = u.port === 5344 ? "" : `:${u.port}`;
    for (const s of sessions) {
      process.stdout.write(`net://${u.host}${port}/host/${s.hostname}/${s.name}  (${s.liveTimerUs > 0 ? `live timer ${s.liveTimerUs} us` : "not live"}, ${s.streams} streams, ${s.clients} viewer(s))\n`);
    }
    if (sessions.length === 0) process.stderr.write(`vigil watch: no session on ${url}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RelayError || e instanceof LiveSourceError) return process.stderr.write(`vigil watch: ${e.message}\n`), 2;
    throw e;
  }
}
