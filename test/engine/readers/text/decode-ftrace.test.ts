/** One ftrace / trace-cmd report line → one event: every head layout the tools print. */
import { describe, expect, it } from "vitest";
import { FtraceDecoder } from "../../../../engine/readers/text/decode-ftrace.js";
import { EventSlot, LINE_ERROR, LINE_LOSS, LINE_SKIP } from "../../../../engine/readers/text/line-decoder.js";
import { decodeOne } from "./read-text.js";

const one = (line: string) => decodeOne(new FtraceDecoder(), line);

describe("line heads", () => {
  it("trace-cmd report: no flags column, ns timestamps, padded event name", () => {
    const r = one("       CPU 0/KVM-2342  [000] 263442.153477708: kvm_entry:            vcpu 0, rip 0xffffffff82ff25d3");
    expect(r).toEqual({
      sec: 263442,
      nsec: 153477708,
      ev: { name: "kvm_entry", ts: 0, cpu: 0, host: 0, fields: { vcpu_id: 0, rip: 0xffffffff82ff25d3n, immediate_exit: null }, context: { tid: 2342, comm: "CPU 0/KVM", pid: undefined } },
    });
  });

  it("tracefs trace file: 4- and 5-character irq-flags columns", () => {
    expect(one("              sh-12958 [002] d.H5 365761.623995: sched_wakeup: comm=rcu_preempt pid=8 prio=120 success=1 target_cpu=002")).toMatchObject({
      sec: 365761,
      nsec: 623995000,
      ev: { name: "sched_wakeup", cpu: 2, context: { tid: 12958, comm: "sh" } },
    });
    expect(one(" qemu-system-x86-8397    [002] d....  1404.389366: kvm_cr: cr_write 0 = 0x80050033")).toMatchObject({
      ev: { name: "kvm_cr", cpu: 2, fields: { rw: 1, cr: 0, val: 0x80050033 }, context: { tid: 8397, comm: "qemu-system-x86" } },
    });
  });

  it("the TGID column gives the pid; `(-----)` gives none", () => {
    expect(one("            bash-1977  (   1977) [000] d..3  1234.567890: sched_switch: prev_comm=bash prev_pid=1977 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120")).toMatchObject({
      ev: { context: { tid: 1977, comm: "bash", pid: 1977 }, fields: { prev_state: 1, next_tid: 0 } },
    });
    expect(one("     kworker/0:1-15    (-----) [000] ....  1234.567891: softirq_raise: vec=9 [action=RCU]")).toMatchObject({
      ev: { context: { tid: 15, comm: "kworker/0:1", pid: undefined } },
    });
  });

  it("comms with blanks, dashes and brackets; `<...>` is an unknown comm, `<idle>` is kept", () => {
    expect(one(" IntentService[E-3866  [001] ...1   652.762632: sys_exit: NR 54 = 0")).toMatchObject({ ev: { context: { tid: 3866, comm: "IntentService[E" }, fields: { id: 54, ret: 0 } } });
    expect(one("  lttng-sessiond-1014  [002] 263442.153642185: sched_switch:         prev_comm=lttng-sessiond prev_pid=1014 prev_prio=120 prev_state=S ==> next_comm=IO iothread1 next_pid=2341 next_prio=120")).toMatchObject({
      ev: { context: { tid: 1014, comm: "lttng-sessiond" }, fields: { next_comm: "IO iothread1", next_tid: 2341 } },
    });
    expect(one("           <...>-4083  [004] ....   395.705673: sys_rt_sigprocmask -> 0x0")).toMatchObject({ ev: { name: "sys_exit_rt_sigprocmask", context: { tid: 4083, comm: undefined } } });
    expect(one("          <idle>-0     [002] dNs6 365761.624758: sched_wakeup: comm=adbd pid=12954 prio=120 success=1 target_cpu=002")).toMatchObject({ ev: { context: { tid: 0, comm: "<idle>" } } });
  });

  it("syscall tracer lines become sys_enter_X / sys_exit_X with hex arguments and a signed return", () => {
    expect(one("            sshd-3977  [003] ....   395.705685: sys_select(n: d, inp: 561b41569210, outp: 561b41583530, exp: 0, tvp: 0)")).toMatchObject({
      ev: { name: "sys_enter_select", fields: { n: 13, inp: 0x561b41569210, outp: 0x561b41583530, exp: 0, tvp: 0 } },
    });
    expect(one("           xfwm4-3252  [005] ....   395.705681: sys_recvmsg -> 0xfffffffffffffff5")).toMatchObject({ ev: { name: "sys_exit_recvmsg", fields: { ret: -11 } } });
    expect(one("            bash-3979  [000] ....   395.705687: sys_getpid()")).toMatchObject({ ev: { name: "sys_enter_getpid", fields: {} } });
  });

  it("function tracer lines become `function` events", () => {
    expect(one("            bash-1234  [001] ....  100.000001: do_sys_open <-__x64_sys_openat")).toMatchObject({ ev: { name: "function", fields: { ip: "do_sys_open", parent_ip: "__x64_sys_openat" } } });
  });

  it("an empty payload is an event with its format's fields null", () => {
    expect(one("       trace-cmd-11809 [003] 11658.899115: kvm_fpu:")).toMatchObject({ ev: { name: "kvm_fpu", fields: { raw: "" } } });
  });
});

describe("non-event lines", () => {
  const classify = (line: string) => {
    const d = new FtraceDecoder();
    return { r: d.decode(line, new EventSlot(0)), loss: { ...d.loss }, error: d.error, notes: d.notes };
  };

  it.each(["# tracer: nop", "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION", "cpus=8", "version = 6", "CPU 3 is empty", "##### CPU 2 buffer started ####", "", "   "])(
    "skips %j",
    (line) => {
      expect(classify(line).r).toBe(LINE_SKIP);
    },
  );

  it("turns lost-event lines into losses", () => {
    expect(classify("CPU:2 [LOST 120 EVENTS]")).toMatchObject({ r: LINE_LOSS, loss: { cpu: 2, count: 120, timed: false } });
    expect(classify("CPU:0 [4095 EVENTS DROPPED]")).toMatchObject({ r: LINE_LOSS, loss: { cpu: 0, count: 4095 } });
    expect(classify("CPU:5 [EVENTS DROPPED]")).toMatchObject({ r: LINE_LOSS, loss: { cpu: 5, count: -1 } });
  });

  it("says what it expected for a bad line", () => {
    const r = classify("this is not a trace line");
    expect(r.r).toBe(LINE_ERROR);
    expect(r.error).toMatch(/no \[CPU\] column; expected `COMM-TID \[CPU\] SEC\.FRAC: EVENT: PAYLOAD`/);
    expect(classify("  bash-12 [000] 1.5 sched_switch: x").error).toMatch(/no timestamp/);
    expect(classify("  bash [000] 1.5: sched_switch: x").error).toMatch(/no COMM-TID/);
    expect(classify("  bash-1 [000] 1.5: sched switch x").error).toMatch(/is not followed by ":"/);
  });

  it("notes function_graph output once, as a header it cannot read", () => {
    expect(classify("# tracer: function_graph")).toMatchObject({ r: LINE_SKIP, notes: [expect.stringContaining("function_graph")] });
  });

  it("notes an integer (counter / TSC) clock once", () => {
    const d = new FtraceDecoder();
    const slot = new EventSlot(0);
    d.decode("  bash-1 [000] 123456789012: sched_wakeup: comm=a pid=1 prio=120 target_cpu=000", slot);
    d.decode("  bash-1 [000] 123456789013: sched_wakeup: comm=a pid=1 prio=120 target_cpu=000", slot);
    expect(d.notes).toEqual([expect.stringContaining("no decimal point")]);
    expect({ sec: slot.sec, nsec: slot.nsec }).toEqual({ sec: 123, nsec: 456789013 });
  });
});
