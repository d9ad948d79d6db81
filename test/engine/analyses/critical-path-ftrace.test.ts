/**
 * A real ftrace trace (Trace Compass incubator's trace-critical-path, 155 lines), its paths
 * checked by hand against the lines that make them. Times are the trace's own (origin 0):
 * 26186.338675 s is 26186338675000 ns.
 */
import { describe, expect, it } from "vitest";
import { criticalPath, findThreads } from "../../../engine/analyses/critical-path.js";
import { sharedPath } from "../../helpers/shared.js";
import { runPacks } from "./critical-path-helpers.js";

const TRACE = () => sharedPath("traces", "tracecompass-ftrace-text", "trace-critical-path");
const s = (x: number) => Math.round(x * 1e6) * 1000; // "26186.338675" → ns, exactly

describe("critical path on trace-critical-path (ftrace)", () => {
  it("threaded-ml (3534): its wait is pulseaudio's work, pulseaudio's own unexplained sleep included", async () => {
    const { result, g } = await runPacks([TRACE()]);
    const r = criticalPath(result, g, findThreads(g, { tid: 3534 })[0]!);
    const rows = r.rows.map((x) => [x.label, x.state, x.start, x.end, x.cause]);
    expect(rows).toEqual([
      // Network Thread-3481 [002] 26186.338675: sched_waking: comm=threaded-ml pid=3534 — its first sight;
      // <idle>-0 [003] 26186.338710: sched_switch: swapper/3 ==> threaded-ml — cpu 3 was idle meanwhile
      ["threaded-ml (3534)", "preempted", s(26186.338675), s(26186.338710), "by swapper/3"],
      // <...>-3534 [003] 26186.338734: sched_waking: comm=pulseaudio pid=1806 — a vertex of the waker
      ["threaded-ml (3534)", "running", s(26186.338710), s(26186.338734), ""],
      // <...>-3534 [003] 26186.338767: sched_switch: prev_comm=threaded-ml prev_state=S ==> swapper/3
      ["threaded-ml (3534)", "running", s(26186.338734), s(26186.338767), ""],
      // <...>-1806 [000] 26186.338926: sched_waking: comm=threaded-ml pid=3534 — so the wait is pulseaudio's doing
      ["threaded-ml (3534) → pulseaudio (1806)", "default", s(26186.338767), s(26186.338767), ""],
      // <idle>-0 [000] 26186.338762: swapper/0 ==> pulseaudio: running since before the wait began (clipped to it)
      // <...>-1806 [000] 26186.338828: sched_waking: comm=alsa-sink-ALC88 pid=1809 — a vertex
      ["pulseaudio (1806)", "running", s(26186.338767), s(26186.338828), ""],
      // <...>-1806 [000] 26186.338851: sched_switch: prev_comm=pulseaudio prev_state=S ==> swapper/0
      ["pulseaudio (1806)", "running", s(26186.338828), s(26186.338851), ""],
      // <idle>-0 [000] 26186.338906: swapper/0 ==> pulseaudio — no wakeup of 1806 in the trace: unexplained
      ["pulseaudio (1806)", "blocked", s(26186.338851), s(26186.338906), ""],
      ["pulseaudio (1806)", "running", s(26186.338906), s(26186.338926), ""],
      ["pulseaudio (1806) → threaded-ml (3534)", "wakeup", s(26186.338926), s(26186.338926), ""],
      // <idle>-0 [003] 26186.338958: sched_switch: swapper/3 ==> threaded-ml (then it runs to the trace's end: left open)
      ["threaded-ml (3534)", "preempted", s(26186.338926), s(26186.338958), "by swapper/3"],
    ]);
    expect(r.totals.map((t) => [t.state, t.cause, t.duration])).toEqual([
      ["running", "pulseaudio (1806)", 104_000],
      ["preempted", "by swapper/3", 67_000],
      ["running", "threaded-ml (3534)", 57_000],
      ["blocked", "", 55_000],
    ]);
  });

  it("Compositor (3487): woken by CompositorTileW, then 1.08 ms runnable on a mostly idle CPU 0", async () => {
    const { result, g } = await runPacks([TRACE()]);
    const r = criticalPath(result, g, findThreads(g, { comm: "Compositor" })[0]!);
    expect(r.rows.map((x) => [x.label, x.state, x.start, x.end])).toEqual([
      // Compositor-3487 [000] 26186.336715: sched_switch: prev_comm=Compositor prev_state=S ==> swapper/0
      // CompositorTileW-3490 [003] 26186.336819: sched_waking: comm=Compositor pid=3487
      ["Compositor (3487) → CompositorTileW (3490)", "default", s(26186.336715), s(26186.336715)],
      // Web Content-2711 [003] 26186.336716: sched_switch ==> CompositorTileW: nothing known of 3490 before
      ["CompositorTileW (3490)", "unknown", s(26186.336715), s(26186.336716)],
      ["CompositorTileW (3490)", "running", s(26186.336716), s(26186.336819)],
      ["CompositorTileW (3490) → Compositor (3487)", "wakeup", s(26186.336819), s(26186.336819)],
      // <idle>-0 [000] 26186.337902: sched_switch: swapper/0 ==> Compositor
      ["Compositor (3487)", "preempted", s(26186.336819), s(26186.337902)],
      // Compositor-3487 [000] 26186.337949: sched_waking: comm=spotify pid=3483
      ["Compositor (3487)", "running", s(26186.337902), s(26186.337949)],
      // Compositor-3487 [000] 26186.337991: sched_switch: prev_state=S ==> swapper/0
      ["Compositor (3487)", "running", s(26186.337949), s(26186.337991)],
    ]);
    // cpu 0 meanwhile: java .336819-.336879, swapper/0 .336879-.337404, spotify .337404-.337466,
    // swapper/0 .337466-.337902: idle 961 of 1083 us
    expect(r.rows[4]!.cause).toBe("by swapper/0 89%, 2 others");
  });

  it("wakeups from interrupts type the wait: kworker/2:0H woken in radeon's handler, Network Thread by an hrtimer", async () => {
    const { result, g } = await runPacks([TRACE()]);
    const kw = criticalPath(result, g, findThreads(g, { tid: 24678 })[0]!).rows;
    // kworker/2:0H-24678 [002] 26186.336680: prev_state=D; <idle>-0 [000] d.h. 26186.337346: sched_waking (irq=28 name=radeon)
    expect(kw.find((x) => x.start === s(26186.336680))).toMatchObject({ state: "blocked", cause: "radeon", end: s(26186.337346) });
    // gnome-shell-1746 [002] d.h. 26186.337978 in hrtimer_expire_entry (function=hrtimer_wakeup): sched_waking Network Thread
    // (its first sight): preempted until gnome-shell-1746 [002] 26186.337988: sched_switch: prev_state=R+ ==> Network Thread
    const nt = criticalPath(result, g, findThreads(g, { tid: 3481 })[0]!).rows;
    expect(nt[0]).toMatchObject({ state: "preempted", start: s(26186.337978), end: s(26186.337988), cause: "by gnome-shell (1746)" });
    const woken = result.states["sched.thread"]!.find((i) => i.key === "trace-critical-path:3481:-1")!;
    expect(woken.fields["woken"]).toBe("timer");
  });
});
