/**
 * The checker on tables: select expressions read only aggregates, by-columns and constants;
 * `per` names a by-column of a share; several sources are checked together. Every mistake is
 * reported, located.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compile.js";

function errors(text: string) {
  return compile({ sources: [{ file: "rules.vgl", text }] }).diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({ at: `${d.span.line}:${d.span.col}`, code: d.code, message: d.message, hint: d.hint }));
}

const RULES = [
  /* 1 */ "machine vcpu per $tid {",
  /* 2 */ "  states out, guest = out",
  /* 3 */ "  keep vm = -1",
  /* 4 */ "  on kvm_entry -> guest { vm = $pid }",
  /* 5 */ "  on kvm_exit -> out",
  /* 6 */ "}",
  /* 7 */ "sequence h per $tid { x: kvm_exit -> kvm_entry within 1ms emit segment { vm: x.$pid, reason: x.exit_reason } }",
  /* 8 */ "sequence io per 0 { i: block_rq_issue -> c: block_rq_complete within 1s emit segment { disk_vm: i.$pid, bytes: i.bytes } }",
].join("\n");

describe("checking table select items", () => {
  it("reports every row value outside an aggregate, nested aggregates, missing arguments and misplaced `per`", () => {
    const text = `${RULES}
table t from h by vm
  select duration, avg(duration) + $tid as a, sum(avg(duration)) as b, sum as c, sum() as d,
         share(count) per reason as e, avg(duration) per vm as f, count * 2 per vm as g, vcpu[vm].vm as h, share(duration) per vm as ok`;
    expect(errors(text).map((d) => [d.at, d.code])).toEqual([
      ["10:10", "VGL244"], // duration
      ["10:36", "VGL244"], // $tid
      ["10:51", "VGL243"], // avg inside sum
      ["10:72", "VGL212"], // a bare `sum` is no aggregate and no name
      ["10:82", "VGL242"], // sum()
      ["11:27", "VGL240"], // per reason: no such by-column
      ["11:58", "VGL241"], // per on avg
      ["11:81", "VGL241"], // per on an expression without a share
      ["11:90", "VGL244"], // machine state
    ]);
    const all = errors(text);
    expect(all[0]!.message).toBe("`duration` is a field of each row in select of table t: outside an aggregate, select reads only aggregates, by-columns and constants");
    expect(all[0]!.hint).toBe("aggregate it (e.g. `avg(duration)`, `last(duration)`) or add it to `by`");
    expect(all[5]!.message).toBe("`per reason`: table t has no by-column `reason` (by-columns: vm)");
  });

  it("accepts by-columns, consts, maps, built-ins and macros around aggregates", () => {
    expect(errors(`${RULES}
const K = 100
map names = { 1: "a" }
macro pct_of_mean = coalesce(stddev(duration), 0) / sqrt(count) / avg(duration) * K
table t from h by vm, reason
  select coalesce(names[vm], "?") + str(count) as label, pct_of_mean as stddev_pct, max(count, 1) + reason as m,
         share(count) per vm as count_pct, 100 - share(duration) per vm as rest`)).toEqual([]);
  });
});

describe("checking tables over several sources", () => {
  it("accepts a field that only some sources have, and `source`", () => {
    expect(errors(`${RULES}
table p from vcpu, io, net_dev_xmit where source != "vcpu" or state == "guest"
  by coalesce(vm, disk_vm, $pid) as vm
  select count, rate(cond(source == "io", 1, 0)) as io_per_s, sum(bytes) as disk_bytes, sum(len) as net_bytes`)).toEqual([]);
  });

  it("reports a name no source has, a by-item one source cannot compute, a source named twice and split over segments", () => {
    const text = `${RULES}
table p from vcpu, io, io split 1s by vm select sum(lenn) as x, count`;
    const ds = errors(text);
    expect(ds.map((d) => [d.at, d.code])).toEqual([
      ["9:24", "VGL238"], // io twice
      ["9:33", "VGL237"], // split needs machine sources: io is not one
      ["9:39", "VGL239"], // by vm: io has no vm
      ["9:53", "VGL212"], // lenn: no source has it
    ]);
    expect(ds[2]!.message).toBe("Table p: by `vm` cannot be computed for source `io`, whose rows have none of the fields it reads (vm)");
    expect(ds[3]!.message).toMatch(/^Unknown name `lenn`: not a field of any source \(vcpu, io\)/);
  });

  it("reports an unknown source with a hint and checks nothing else of that table", () => {
    const ds = errors(`${RULES}
table p from vcpu, iox by nope select count`);
    expect(ds.map((d) => [d.at, d.code, d.hint])).toEqual([["9:20", "VGL224", "did you mean `io`?"]]);
  });
});
