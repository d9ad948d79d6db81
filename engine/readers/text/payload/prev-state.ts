/**
 * `prev_state` as ftrace prints it (`S`, `D|K`, `R+`, `I`) back to the number LTTng records.
 *
 * Contract: `parsePrevState(s, start, end)` returns the state as the kernel's TASK_* bits of
 * Linux >= 4.14 (the layout of TASK_REPORT and of lttng-modules on those kernels), or -1 when a
 * letter is unknown. `R` is 0 and a trailing `+` (preempted while runnable) adds TASK_REPORT_MAX
 * 0x100, so `R+` is 0x100 — test `(prev_state & 0xff) == 0` for "still runnable". Letters only
 * older kernels print (K, W, N, x) map to the same kernel's TASK_WAKEKILL 0x100, TASK_WAKING
 * 0x200, TASK_NOLOAD 0x400 and TASK_DEAD 0x80; they always come with S or D, so the runnable test
 * still holds. A number (`prev_state=0x1`, printed when a tool could not format it) is taken as is.
 *
 * `parsePluginState` reads libtraceevent's sched_switch plugin instead, which prints the raw
 * value's low 8 bits with the letters "SDTtZXxW" (1, 2, 4, ... 128) and `R` for none of them.
 */

/** Letter → bit, Linux >= 4.14 (include/linux/sched.h; trace/events/sched.h prints these). */
const TASK_BITS: Record<string, number> = {
  S: 0x1, // TASK_INTERRUPTIBLE
  D: 0x2, // TASK_UNINTERRUPTIBLE
  T: 0x4, // __TASK_STOPPED
  t: 0x8, // __TASK_TRACED
  X: 0x10, // EXIT_DEAD
  Z: 0x20, // EXIT_ZOMBIE
  P: 0x40, // TASK_PARKED
  I: 0x80, // TASK_REPORT_IDLE (an idle kernel thread)
  x: 0x80, // TASK_DEAD, as kernels before 4.14 printed it
  K: 0x100, // TASK_WAKEKILL (< 4.14, always with D)
  W: 0x200, // TASK_WAKING (< 4.14)
  N: 0x400, // TASK_NOLOAD (4.2 .. 4.13)
};

/** TASK_REPORT_MAX: ftrace's `+`, "preempted while still runnable". */
export const PREEMPTED_RUNNABLE = 0x100;

/** The plugin's letters, bit i = letter i (libtraceevent plugin_sched_switch.c). */
const PLUGIN_LETTERS = "SDTtZXxW";

export function parsePrevState(s: string, start: number, end: number): number {
  if (start >= end) return -1;
  const c0 = s.charCodeAt(start);
  if (c0 >= 48 && c0 <= 57) return _number(s.slice(start, end));
  let v = 0;
  let i = start;
  if (c0 === 82 /* R */) {
    i++;
  } else {
    for (;;) {
      const bit = TASK_BITS[s[i]!];
      if (bit === undefined) return -1;
      v |= bit;
      i++;
      if (i < end && s.charCodeAt(i) === 124 /* | */) {
        i++;
        continue;
      }
      break;
    }
  }
  if (i < end && s.charCodeAt(i) === 43 /* + */) {
    v |= PREEMPTED_RUNNABLE;
    i++;
  }
  return i === end ? v : -1;
}

export function parsePluginState(s: string, start: number, end: number): number {
  if (end - start === 1 && s.charCodeAt(start) === 82 /* R */) return 0;
  let v = 0;
  for (let i = start; i < end; i++) {
    const bit = PLUGIN_LETTERS.indexOf(s[i]!);
    if (bit < 0) return -1;
    v |= 1 << bit;
    if (i + 1 < end) {
      if (s.charCodeAt(i + 1) !== 124 /* | */) return -1;
      i++;
    }
  }
  return end > start ? v : -1;
}

// --- internal ---

function _number(text: string): number {
  const v = /^0x[0-9a-fA-F]+$/.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(v) ? v : -1;
}
