/**
 * Tables over several sources: machine intervals, segments and events feed the same groups; a
 * field one source lacks reads as null; `source` names the source of each row. Expected values
 * are worked out by hand from the events below.
 */
import { describe, expect, it } from "vitest";
import { ev, runRules } from "../../helpers/run-rules.js";

const RULES = `
machine vcpu per $tid {
  states out, guest = out
  keep vm = -1
  on kvm_entry -> guest { vm = $pid }
  on kvm_exit -> out
}
sequence io per 0 {
  i: block_rq_issue -> c: block_rq_complete where sector == i.sector within 1s
  emit segment { vm: i.$pid, bytes: i.bytes }
}
`;

// VM 100: vCPU thread 1 in guest 0–400 and 1000–1300 (700 ns); one 4096-byte request; one 60-byte packet.
// VM 200: one 512-byte request; packets of 1500 and 40 bytes. The trace spans 0–2000 ns.
const EVENTS = [
  ev(0, "kvm_entry", {}, { tid: 1, pid: 100 }),
  ev(100, "block_rq_issue", { dev: 8, sector: 8, bytes: 4096 }, { tid: 5, pid: 100 }),
  ev(400, "kvm_exit", { exit_reason: 12 }, { tid: 1, pid: 100 }),
  ev(600, "block_rq_complete", { dev: 8, sector: 8 }, { tid: 0, pid: 0 }),
  ev(700, "block_rq_issue", { dev: 8, sector: 16, bytes: 512 }, { tid: 6, pid: 200 }),
  ev(800, "net_dev_xmit", { len: 1500, name: "tap1" }, { tid: 7, pid: 200 }),
  ev(900, "block_rq_complete", { dev: 8, sector: 16 }, { tid: 0, pid: 0 }),
  ev(1000, "kvm_entry", {}, { tid: 1, pid: 100 }),
  ev(1200, "net_dev_xmit", { len: 60, name: "tap0" }, { tid: 8, pid: 100 }),
  ev(1300, "kvm_exit", { exit_reason: 1 }, { tid: 1, pid: 100 }),
  ev(2000, "net_dev_xmit", { len: 40, name: "tap1" }, { tid: 7, pid: 200 }),
];

describe("tables over several sources", () => {
  it("feeds intervals, segments and events into the same groups; missing fields are null", async () => {
    const r = await runRules(`${RULES}
table p from vcpu, io, net_dev_xmit
  where source != "vcpu" or state == "guest"
  by coalesce(vm, $pid) as vm
  select count, sum(cond(source == "vcpu", duration, 0)) as guest_ns, sum(cond(source == "io", 1, 0)) as requests,
         sum(bytes) as disk_bytes, sum(len) as net_bytes, rate(cond(source == "net_dev_xmit", 1, 0)) as packets_per_s
  order by vm`, EVENTS);
    const t = r.tables["p"]!;
    expect(t.columns).toEqual(["vm", "count", "guest_ns", "requests", "disk_bytes", "net_bytes", "packets_per_s"]);
    // VM 100: 2 guest intervals + 1 request + 1 packet; 1 packet per 2 µs = 500,000/s
    // VM 200: 1 request + 2 packets (packets have no `vm` field: coalesce falls back on their $pid)
    expect(t.rows).toEqual([
      [100, 4, 700, 1, 4096, 60, 500_000],
      [200, 3, 0, 1, 512, 1540, 1_000_000],
    ]);
  });

  it("names each row's source in the `source` field, usable in by, where and aggregates", async () => {
    const r = await runRules(`${RULES}
table s from net_dev_xmit, io, vcpu by source select count, sum(coalesce(len, bytes, duration)) as amount order by source`, EVENTS);
    // vcpu rows: guest 0–400, out 400–1000, guest 1000–1300, and out from 1300 to the trace end (2000)
    expect(r.tables["s"]!.rows).toEqual([
      ["io", 2, 4096 + 512],
      ["net_dev_xmit", 3, 1500 + 60 + 40],
      ["vcpu", 4, 400 + 600 + 300 + 700],
    ]);
  });
});
