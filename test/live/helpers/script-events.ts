/**
 * A replay script (see `kvm-scenario.ts`) as the events the UST program would record with an
 * ideal clock: what the rules see, for tests that need no LTTng. Names are the kernel's (what
 * `--strip-provider` makes of `vkvm:...`); times are the script's, in ns.
 */
import type { EventSpec } from "../../helpers/run-rules.js";

export function scriptEvents(script: string): EventSpec[] {
  const out: Array<EventSpec & { order: number }> = [];
  script.trim().split("\n").forEach((line, order) => {
    const [us, cpu, kind, ...a] = line.split(" ");
    const ts = Number(us) * 1000;
    const c = Number(cpu);
    switch (kind) {
      case "E":
        out.push({ ts, cpu: c, name: "kvm_entry", fields: { vcpu_id: Number(a[0]) }, order });
        break;
      case "X":
        out.push({ ts, cpu: c, name: "kvm_exit", fields: { exit_reason: Number(a[0]), guest_rip: Number(a[1]), isa: 1, info1: 0, info2: 0 }, order });
        break;
      case "S":
        out.push({ ts, cpu: c, name: "sched_switch", fields: { prev_comm: a[0]!, prev_tid: Number(a[1]), prev_prio: 120, prev_state: Number(a[2]), next_comm: a[3]!, next_tid: Number(a[4]), next_prio: 120 }, order });
        break;
      case "P":
        out.push({ ts, cpu: c, name: "lttng_statedump_process_state", fields: { tid: Number(a[0]), pid: Number(a[1]), ppid: Number(a[2]), name: a[3]! }, order });
        break;
      default:
        throw new Error(`bad script line: ${line}`);
    }
  });
  // Merged by time as the trace would be; a CPU's own lines keep their order.
  return out.sort((x, y) => x.ts - y.ts || x.cpu! - y.cpu! || x.order - y.order).map(({ order: _o, ...e }) => e);
}
