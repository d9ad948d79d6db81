/**
 * The fields of a simulated `kvm_x86_exit`, as both vCPU models (vcpu.ts, guest-vcpu.ts) emit
 * it: LTTng's field set for the tracepoint, with what the rules read (reason, vCPU, the
 * external-interrupt info) set and the rest plausible.
 *
 * Contract: draws exactly one number from `rng` (the guest RIP), so a model's PRNG sequence —
 * and with it every later event of a seed — is what it was when each model built these itself.
 */
import { EXIT } from "./context.js";
import type { Rng } from "./rng.js";

/** `kvm_x86_exit` fields for an exit of `vcpuId` with VMX reason `reason`. */
export function exitFields(reason: number, vcpuId: number, rng: Rng): Record<string, number> {
  return {
    exit_reason: reason, guest_rip: 0x8100_0000 + rng.int(0, 0xffff), isa: 1, info1: 0, info2: 0,
    // an external interrupt's exit carries the vector that caused it: valid bit + vector 0xec (local timer)
    intr_info: reason === EXIT.EXTERNAL_INTERRUPT ? 0x800000ec : 0, error_code: 0, vcpu_id: vcpuId,
  };
}
