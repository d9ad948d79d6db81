/**
 * Colours of states in the report. Well-known states get the colours people read them by
 * (Trace Compass's conventions: running green, preempted/waiting-for-CPU red-orange, blocked
 * yellow-grey); any other name gets a stable colour from its hash, so two runs of the same
 * rules colour the same state the same way.
 */

const KNOWN: ReadonlyArray<[RegExp, string]> = [
  [/^(guest|running|run|user|usermode|running_guest)$/i, "#2e9e4f"],
  [/^(host|hypervisor|kernel|syscall|vmm|hv)$/i, "#e6a100"],
  [/preempt|runnable|wait_cpu|wait_for_cpu|steal/i, "#d64541"],
  [/^(waiting|blocked|wait|wait_blocked|sleeping|halted|idle_guest)$/i, "#8a94a6"],
  [/interrupt|irq|softirq/i, "#7b4fc9"],
  [/timer/i, "#3f7fd6"],
  [/block_device|disk|io/i, "#8c5a2b"],
  [/network|net/i, "#1aa3a3"],
  [/^(unknown|none|offline|idle)$/i, "#d5d9e0"],
];

const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#e15759", "#bab0ac"];

/** A CSS colour for every name in `states` (first matching rule, else a stable palette pick). */
export function stateColors(states: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of states) {
    const known = KNOWN.find(([re]) => re.test(s));
    out[s] = known ? known[1] : PALETTE[_hash(s) % PALETTE.length]!;
  }
  return out;
}

// --- internal ---

function _hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
