/*
 * UST tracepoints that mimic the kernel's kvm and sched events (same field names and types as
 * lttng-modules' kvm_entry, kvm_exit, sched_switch and lttng_statedump_process_state), so
 * Vigil's kvm rules can be exercised live with user-space tracing. Provider: vkvm.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER vkvm

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./vkvm-tp.h"

#if !defined(VKVM_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define VKVM_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>

LTTNG_UST_TRACEPOINT_EVENT(vkvm, kvm_entry,
	LTTNG_UST_TP_ARGS(uint32_t, vcpu_id),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint32_t, vcpu_id, vcpu_id)))

LTTNG_UST_TRACEPOINT_EVENT(vkvm, kvm_exit,
	LTTNG_UST_TP_ARGS(uint32_t, exit_reason, uint64_t, guest_rip, uint32_t, isa, uint64_t, info1, uint64_t, info2),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, exit_reason, exit_reason)
		lttng_ust_field_integer_hex(uint64_t, guest_rip, guest_rip)
		lttng_ust_field_integer(uint32_t, isa, isa)
		lttng_ust_field_integer_hex(uint64_t, info1, info1)
		lttng_ust_field_integer_hex(uint64_t, info2, info2)))

LTTNG_UST_TRACEPOINT_EVENT(vkvm, sched_switch,
	LTTNG_UST_TP_ARGS(const char *, prev_comm, int32_t, prev_tid, int32_t, prev_prio, int64_t, prev_state,
		const char *, next_comm, int32_t, next_tid, int32_t, next_prio),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_array_text(char, prev_comm, prev_comm, 16)
		lttng_ust_field_integer(int32_t, prev_tid, prev_tid)
		lttng_ust_field_integer(int32_t, prev_prio, prev_prio)
		lttng_ust_field_integer(int64_t, prev_state, prev_state)
		lttng_ust_field_array_text(char, next_comm, next_comm, 16)
		lttng_ust_field_integer(int32_t, next_tid, next_tid)
		lttng_ust_field_integer(int32_t, next_prio, next_prio)))

LTTNG_UST_TRACEPOINT_EVENT(vkvm, lttng_statedump_process_state,
	LTTNG_UST_TP_ARGS(int32_t, tid, int32_t, pid, int32_t, ppid, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, tid, tid)
		lttng_ust_field_integer(int32_t, pid, pid)
		lttng_ust_field_integer(int32_t, ppid, ppid)
		lttng_ust_field_array_text(char, name, name, 16)))

#endif /* VKVM_TP_H */

#include <lttng/tracepoint-event.h>
