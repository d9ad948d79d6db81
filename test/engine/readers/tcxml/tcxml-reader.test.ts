import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../../engine/model/event.js";
import type { ReadIssue } from "../../../../engine/readers/source.js";
import { elementLines } from "../../../../engine/readers/tcxml/element-lines.js";
import type { TcxmlSource } from "../../../../engine/readers/tcxml/source.js";
import { sniffTcxml, tcxmlReader } from "../../../../engine/readers/tcxml/tcxml-reader.js";
import { sharedPath } from "../../../helpers/shared.js";
import { readPath, testReader } from "../conformance.js";

async function openTcxml(path: string, onIssue: (i: ReadIssue) => void) {
  const sources = await tcxmlReader.open(path, { onIssue });
  for (const s of sources) await s.open();
  return sources;
}

const STUBS = sharedPath("traces", "tracecompass-vm-stubs");
const schedOnly = join(STUBS, "core-graph", "sched_only.xml");
const incHost = join(STUBS, "incubator-OneQemuKvm", "host.xml");
const incGuest = join(STUBS, "incubator-OneQemuKvm", "guest.xml");

const dir = await mkdtemp(join(tmpdir(), "vigil-tcxml-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const badPath = join(dir, "bad.xml");
await writeFile(
  badPath,
  [
    "<trace>", // 1
    '<event timestamp="1" name="ok"><field name="cpu" value="0" type="int"/></event>', // 2
    '<event name="no_ts"></event>', // 3
    '<event timestamp="3" name="bad_long"><field name="x" value="12a" type="long"/></event>', // 4
    '<event timestamp="4" name="bad_type"><field name="x" value="1" type="float"/></event>', // 5
    "<!-- <event timestamp=\"99\" name=\"commented\"/> -->", // 6
    '<event timestamp="5" name="arr"><field name="v" value="1, 18446744073709551615" type="longArray"/><field name="rip" value="+9007199254740993" type="long"/></event>', // 7
    '<event timestamp="-6" name="neg"/>', // 8
    '<event timestamp="7" name="dbl"><field name="d" value="2.5e3" type="double"/><field name="n" value="x" type="double"/></event>', // 9
    '<event timestamp="8" name="ok"/>', // 10
    "</trace>",
  ].join("\n"),
);

const schedText = readFileSync(schedOnly, "utf8");
testReader("tcxml", openTcxml, [
  {
    label: "sched_only.xml",
    path: schedOnly,
    events: 4,
    hostIds: ["sched_only.xml"],
    // inside the third event: the first two survive
    truncateAt: Buffer.byteLength(schedText.slice(0, schedText.indexOf('<event timestamp="30"') + 60)),
    keptAtLeast: 2,
  },
  { label: "incubator host.xml", path: incHost, events: 22, hostIds: ["host.xml"], truncateAt: 3000, keptAtLeast: 8 },
  { label: "bad events", path: badPath, events: 3, hostIds: ["bad.xml"], issues: 5, bad: { path: badPath, lines: [3, 4, 5, 8, 9], events: 3 } },
]);

describe("tcxml on the Trace Compass stubs", () => {
  it("reads sched_only.xml event by event as the file states it", async () => {
    const { events, sources } = await readPath(openTcxml, schedOnly, 0n);
    const evs = events[0]!;
    expect(evs.map((e) => [e.ts, e.name, e.cpu])).toEqual([
      [10, "sched_switch", 0], [20, "sched_switch", 0], [30, "sched_switch", 0], [40, "sched_switch", 0],
    ]);
    expect(evs[1]!.fields).toEqual({ cpu: 0, prev_comm: "proc2", prev_tid: 2, prev_prio: 20, prev_state: 3, next_comm: "proc1", next_tid: 1, next_prio: 20 });
    expect(sources[0]!.schema).toEqual([
      {
        name: "sched_switch",
        fields: ["cpu", "prev_comm", "prev_tid", "prev_prio", "prev_state", "next_comm", "next_tid", "next_prio"].map((name) => ({
          name,
          type: name.endsWith("comm") ? "string" : "int",
        })),
      },
    ]);
    expect((sources[0] as TcxmlSource).aspects).toEqual(["cpu"]);
  });

  it("reads the incubator OneQemuKvm host.xml: 22 events, kvm_exit payloads, schema of every class", async () => {
    const { events, sources } = await readPath(openTcxml, incHost, 0n);
    const evs = events[0]!;
    expect(evs.map((e) => e.ts)).toEqual([1, 5, 45, 50, 55, 60, 95, 100, 150, 155, 195, 200, 205, 210, 245, 250, 255, 260, 295, 300, 350, 355]);
    const exits = evs.filter((e) => e.name === "kvm_exit");
    expect(exits).toHaveLength(5);
    expect(exits[0]!.fields).toEqual({ cpu: 0, exit_reason: 32, guest_rip: 123456, isa: 1, info1: 654654, info2: 456789 });
    expect(evs[0]!.fields).toMatchObject({ prev_tid: 30, next_tid: 31, next_comm: "qemucpu1" });
    expect(evs.find((e) => e.ts === 55)!.fields).toEqual({ cpu: 0, cnt: 2, vm_uid: 123456 });
    expect(sources[0]!.schema!.map((c) => c.name)).toEqual(["sched_switch", "kvm_entry", "kvm_exit", "vmsync_gh_host", "vmsync_hg_host"]);
    expect([sources[0]!.first, sources[0]!.last]).toEqual([1n, 355n]);
  });

  it("reads longArray fields (QemuContainer fork vtids)", async () => {
    const { events } = await readPath(openTcxml, join(STUBS, "incubator-QemuContainer", "guest.xml"), 0n);
    const fork = events[0]!.find((e) => e.name === "sched_process_fork")!;
    expect(fork.ts).toBe(235);
    expect(fork.fields.vtids).toEqual([132, 5]);
    expect(fork.fields.child_comm).toBe("myapp2");
  });

  it("counts as many events as the files hold <event> tags, in every stub folder", async () => {
    for (const folder of readdirSync(STUBS).filter((f) => !f.endsWith(".md"))) {
      for (const file of readdirSync(join(STUBS, folder))) {
        const path = join(STUBS, folder, file);
        const tags = readFileSync(path, "utf8").match(/<event[\s>]/g)?.length ?? 0;
        const { events, issues } = await readPath(openTcxml, path, 0n);
        expect({ path, n: events.flat().length, issues }).toEqual({ path, n: tags, issues: [] });
      }
    }
  });

  it("keeps cpu both as ev.cpu and as a field; -1 when the event has none", async () => {
    const { events } = await readPath(openTcxml, join(STUBS, "core-tmf-xml-tests", "testTrace4.xml"), 0n);
    expect(events[0]!.map((e) => e.cpu)).toEqual(events[0]!.map((e) => e.fields.cpu));
    const t1 = await readPath(openTcxml, join(STUBS, "core-tmf-xml-tests", "testTrace1.xml"), 0n);
    expect(t1.events[0]!.map((e) => [e.name, e.cpu])).toEqual([["test", -1], ["test1", -1], ["test", -1], ["test1", -1]]);
  });
});

describe("tcxml bad input", () => {
  it("converts each type and reports each bad event at its line", async () => {
    const { events, issues } = await readPath(openTcxml, badPath, 0n);
    const evs: TraceEvent[] = events[0]!;
    expect(evs.map((e) => e.name)).toEqual(["ok", "arr", "ok"]);
    expect(evs.find((e) => e.name === "arr")!.fields).toEqual({ v: [1, 18446744073709551615n], rip: 9007199254740993n });
    const msg = new Map(issues.map((i) => [i.line, i.message]));
    expect(msg.get(3)).toMatch(/timestamp null is not a non-negative integer/);
    expect(msg.get(4)).toMatch(/field x of bad_long has value "12a", not a valid long/);
    expect(msg.get(5)).toMatch(/unknown type "float"/);
    expect(msg.get(8)).toMatch(/timestamp "-6"/);
    expect(msg.get(9)).toMatch(/field n of dbl/);
  });

  it("keeps the events before malformed XML and names its line", async () => {
    const path = join(dir, "broken.xml");
    await writeFile(path, '<trace>\n<event timestamp="1" name="a"/>\n<event timestamp="2" name="b"></event>\n<event timestamp="3" name="c">\n</trace>\n');
    const { events, issues } = await readPath(openTcxml, path, 0n);
    expect(events[0]!.map((e) => e.name)).toEqual(["a", "b"]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", file: path, line: 5 });
    expect(issues[0]!.message).toMatch(/Malformed XML/);
  });

  it("sorts an out-of-order file stably and says so", async () => {
    const path = join(dir, "disorder.xml");
    await writeFile(path, '<trace>\n<event timestamp="5" name="a"/>\n<event timestamp="2" name="b"/>\n<event timestamp="5" name="c"/>\n<event timestamp="2" name="d"/>\n</trace>');
    const { events, issues } = await readPath(openTcxml, path, 0n);
    expect(events[0]!.map((e) => `${e.name}${e.ts}`)).toEqual(["b2", "d2", "a5", "c5"]);
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringMatching(/2 step\(s\) back.*sorted/) })]);
  });
});

describe("tcxml detection and element lines", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it("claims XML whose first element is <trace>, after declaration and comments", () => {
    expect(tcxmlReader.detect(incHost, new Uint8Array(readFileSync(incHost).subarray(0, 4096)), false)).toBe(true);
    const t1 = join(STUBS, "core-tmf-xml-tests", "testTrace1.xml");
    expect(tcxmlReader.detect(t1, new Uint8Array(readFileSync(t1)), false)).toBe(true);
    expect(sniffTcxml(enc('<?xml version="1.0"?>\n<!-- c -->\n<trace>'))).toBe(true);
    expect(sniffTcxml(enc('<?xml version="1.0"?><tmfxml><trace>'))).toBe(false);
    expect(tcxmlReader.detect("/a/t.txt", enc("<trace>"), false)).toBe(false);
    expect(tcxmlReader.detect("-", enc("<trace>"), false)).toBe(true);
  });
  it("finds start tags by line, skipping comments, CDATA and longer tag names", () => {
    const text = '<a>\n<event x="1"/>\n<!-- <event> -->\n<events/><event\n><![CDATA[<event>]]><event>';
    expect(elementLines(text, "event")).toEqual([2, 4, 5]);
  });
});
