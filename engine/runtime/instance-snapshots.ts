/**
 * Frozen snapshots of machine instances for alert records: what the alert referred to, as it
 * was when it fired. Snapshots are deep-frozen with immer's `freeze` and shared: an instance
 * that has not changed since its last snapshot (same generation and last transition) gives
 * the same frozen object again, so repeated alerts cost a map lookup.
 */
import { freeze } from "immer";
import type { FieldValue } from "../model/event.js";
import type { Instance, MachineStore } from "./machine-store.js";

export type InstanceSnapshot = Readonly<Record<string, FieldValue>> | null;

export class InstanceSnapshots {
  private cache = new WeakMap<Instance, { gen: number; last: number; snap: InstanceSnapshot }>();

  /** The instance of `store` at `key` as a frozen record (`machine`, `key`, `state`, `since`, kept fields), or null. */
  of(store: MachineStore, key: FieldValue): InstanceSnapshot {
    const i = store.map.get(key);
    if (i === undefined) return null;
    const hit = this.cache.get(i);
    if (hit && hit.gen === i.gen && hit.last === i.last) return hit.snap;
    const snap: Record<string, FieldValue> = { machine: store.spec.name, key: i.key, state: store.spec.states[i.state]!, since: i.since };
    for (const k of Object.keys(i)) if (k.startsWith("k_")) snap[k.slice(2)] = i[k as `k_${string}`];
    const frozen = freeze(snap, true);
    this.cache.set(i, { gen: i.gen, last: i.last, snap: frozen });
    return frozen;
  }
}
