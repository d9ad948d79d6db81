/**
 * Event time only: the same events fed in different chunk sizes give byte-identical JSON —
 * timers (absence, `stays`, windows) fire on trace time, never on how the input arrived.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";
import { formatJson } from "../../../engine/output/json-formatter.js";
import { openTraces } from "../../../engine/readers/index.js";
import { runSources } from "../../../engine/run.js";
import { REPO } from "../../helpers/shared.js";

const TRACE = join(REPO, "examples", "kvm-host.jsonl");
const RULES = join(REPO, "examples", "vcpu.vgl");

async function runChunked(chunkSize: number): Promise<string> {
  const bytes = readFileSync(TRACE);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const sources = await openTraces(["-"], { onIssue: (i) => { throw new Error(i.message); }, stdin: Readable.from(chunks), hostIds: ["kvm-host.jsonl"] });
  const out = compile({ files: [RULES] });
  expect(out.program).not.toBeNull();
  const result = await runSources(out.program!, sources, { print: () => {} });
  return formatJson(result);
}

describe("chunking independence", () => {
  it("gives byte-identical JSON for chunk sizes 61, 4096 and the whole file", async () => {
    const whole = await runChunked(1 << 30);
    const parsed = JSON.parse(whole);
    // the run did real work: states, segments, tables and timer-driven alerts are all present
    expect(parsed.stats.events).toBe(readFileSync(TRACE, "utf8").trim().split("\n").length);
    expect(parsed.alerts.map((a: { rule: string }) => a.rule)).toContain("example.slow_exit");
    expect(parsed.alerts.map((a: { rule: string }) => a.rule)).toContain("example.long_preemption");
    expect(parsed.segments["example.exit_handling"].length).toBeGreaterThan(1000);
    expect(await runChunked(4096)).toBe(whole);
    expect(await runChunked(61)).toBe(whole);
  });
});
