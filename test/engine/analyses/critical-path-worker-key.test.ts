/** Worker keys of the sched pack, read from the right (host ids are file names and may hold `:`). */
import { describe, expect, it } from "vitest";
import { parseWorkerKey, workerKey, workerLabel } from "../../../engine/analyses/critical-path/worker-key.js";

describe("worker keys", () => {
  it("round-trip, with a host that holds colons", () => {
    const id = { host: "c:\\traces:host", tid: 42, cpu: -1 };
    expect(parseWorkerKey(workerKey(id))).toEqual(id);
    expect(parseWorkerKey("h:0:3")).toEqual({ host: "h", tid: 0, cpu: 3 });
  });

  it("refuse what is not host:tid:cpu", () => {
    expect(parseWorkerKey("h:12")).toBeNull();
    expect(parseWorkerKey("h:x:-1")).toBeNull();
    expect(parseWorkerKey(12)).toBeNull();
  });

  it("label threads, idle threads and interrupt workers, with the host when asked", () => {
    expect(workerLabel("h:42:-1", "nginx", false)).toBe("nginx (42)");
    expect(workerLabel("h:42:-1", "", false)).toBe("42");
    expect(workerLabel("h:0:3", "swapper/3", false)).toBe("swapper/3");
    expect(workerLabel("h:-1:2", "", true)).toBe("h/irq/2");
  });
});
