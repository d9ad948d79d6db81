/** k-means over a profile table: reproducible groups named after their distinguishing feature. */
import { describe, expect, it } from "vitest";
import { ClusterError, clusterTable, parseClusterSpec } from "../../../engine/analyses/cluster.js";
import type { TableResult } from "../../../engine/runtime/result.js";

// Twelve VMs in four obvious groups: CPU-bound, disk-bound, network-bound and idle.
function profile(): TableResult {
  const rows: Array<[string, number, number, number]> = [];
  const add = (kind: string, g: number, d: number, n: number) => { for (let i = 0; i < 3; i++) rows.push([`${kind}${i}`, g + i * 0.01, d + i, n + i]); };
  add("cpu", 0.95, 1, 1); add("disk", 0.3, 900, 2); add("net", 0.35, 3, 1500); add("idle", 0.02, 1, 2);
  return { columns: ["vm", "guest_share", "disk_per_s", "net_per_s"], rows, notes: [] };
}

describe("clusterTable", () => {
  it("finds the four groups and names them from their centroids", () => {
    const t = clusterTable("kvm.profile", profile(), { k: 4 });
    expect(t.columns).toEqual(["vm", "cluster", "label", "guest_share", "disk_per_s", "net_per_s"]);
    const labelOf = new Map(t.rows.map((r) => [r[0], r[2]]));
    for (const [kind, label] of [["cpu", "guest"], ["disk", "disk"], ["net", "net"], ["idle", "idle"]]) {
      expect([0, 1, 2].map((i) => labelOf.get(`${kind}${i}`))).toEqual([label, label, label]);
    }
  });

  it("is reproducible", () => {
    expect(clusterTable("p", profile(), { k: 3 })).toEqual(clusterTable("p", profile(), { k: 3 }));
  });

  it("rejects unknown features and bad specs with a clear message", () => {
    expect(() => clusterTable("p", profile(), { k: 2, features: ["nope"] })).toThrow(/has no column nope/);
    expect(() => parseClusterSpec("k=zero")).toThrow(ClusterError);
    expect(parseClusterSpec("k=3,features=a+b,table=kvm.profile")).toEqual({ k: 3, features: ["a", "b"], table: "kvm.profile" });
  });
});
