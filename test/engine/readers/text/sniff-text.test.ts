/** Content detection: each text reader takes its own format and nothing else. */
import { spawnSync } from "node:child_process";
import { openSync, readSync, closeSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { babeltraceTextReader } from "../../../../engine/readers/text/babeltrace-reader.js";
import { ftraceReader } from "../../../../engine/readers/text/ftrace-reader.js";
import { perfScriptReader } from "../../../../engine/readers/text/perf-reader.js";
import { sharedPath } from "../../../helpers/shared.js";

const READERS = { ftrace: ftraceReader, "perf-script": perfScriptReader, "babeltrace-text": babeltraceTextReader };

function head(path: string, n = 4096): Uint8Array {
  const fd = openSync(path, "r");
  const buf = new Uint8Array(n);
  const got = readSync(fd, buf, 0, n, 0);
  closeSync(fd);
  return buf.subarray(0, got);
}

function detected(bytes: Uint8Array): string[] {
  return Object.entries(READERS)
    .filter(([, r]) => r.detect("some-file", bytes, false))
    .map(([k]) => k);
}

const bt = (args: string[]): Uint8Array => new Uint8Array(spawnSync("babeltrace2", ["--color=never", ...args], { maxBuffer: 64 << 20, env: { ...process.env, TZ: "UTC" } }).stdout.subarray(0, 4096));

describe("detect", () => {
  it.each([
    ["simulated-kvm-host/trace.txt", "ftrace"],
    ["tracecompass-ftrace-text/trace-android-sched", "ftrace"],
    ["tracecompass-ftrace-text/ftrace_syscalls.txt", "ftrace"],
    ["tracecompass-ftrace-text/trace-func-graph", "ftrace"],
    ["kvm-text-snippets/ftrace-kvm-nested-lkml-2023.txt", "ftrace"],
    ["kvm-text-snippets/perf-script-kvm-irq-injection.txt", "perf-script"],
  ])("%s is %s", (rel, format) => {
    expect(detected(head(sharedPath("traces", rel)))).toEqual([format]);
  });

  it("babeltrace2 text in its default, --clock-seconds, --clock-date, --no-delta and clockless forms", () => {
    const trace = sharedPath("traces/simulated-kvm-host/ctf");
    for (const args of [[], ["--clock-seconds"], ["--clock-date"], ["--no-delta"], ["--clock-cycles"], ["-n", "scope,payload,context"]]) {
      expect({ args, formats: detected(bt([...args, trace])) }).toEqual({ args, formats: ["babeltrace-text"] });
    }
    expect(detected(bt([sharedPath("traces/babeltrace-tests/tests/data/ctf-traces/succeed/smalltrace")]))).toEqual(["babeltrace-text"]);
    // a first line longer than the 4 KiB head (multi-domains' bit-field arrays)
    const long = bt([sharedPath("traces/babeltrace-tests/tests/data/ctf-traces/succeed/multi-domains")]);
    expect(long.includes(10)).toBe(false);
    expect(detected(long)).toEqual(["babeltrace-text"]);
  });

  it.each([
    ["a perf kvm stat report", sharedPath("traces/kvm-text-snippets/perf-kvm-stat-report-lkml-2019.txt")],
    ["a CTF stream file", sharedPath("traces/simulated-kvm-host/ctf/kernel/channel0_0")],
    ["CTF metadata", sharedPath("traces/simulated-kvm-host/ctf/kernel/metadata")],
    ["a README", sharedPath("traces/simulated-kvm-host/README.md")],
  ])("%s is none of them", (_what, path) => {
    expect(detected(head(path))).toEqual([]);
  });

  it("JSON Lines and directories are none of them", () => {
    expect(detected(new TextEncoder().encode('{"ts": 1, "name": "sched_switch", "cpu": 0}\n'))).toEqual([]);
    for (const r of Object.values(READERS)) expect(r.detect(sharedPath("traces/simulated-kvm-host/ctf/kernel"), new Uint8Array(), true)).toBe(false);
  });
});
