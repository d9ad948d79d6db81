/**
 * The value types payload templates can name (`{irq:int}`, `{prev_state:state}`): how to read
 * the printed text and which field(s) it fills.
 *
 * Contract: `read(s, pos, stop, out, key)` reads the value at `pos` (a `spanned` reader gets
 * exactly `[pos, stop)`, the text up to the template's next literal; the others get `stop` =
 * end of payload and scan their own extent), writes every key of `keys(key)` into `out`, and
 * returns the position after the value, or -1 when the text is not such a value.
 */
import type { FieldValue, Fields } from "../../../model/event.js";
import { scanDecimal, scanHex, scanHexSigned64, scanned } from "../scan-number.js";
import { resolveExitReason } from "./exit-reasons.js";
import { parsePluginState, parsePrevState } from "./prev-state.js";
import { TextInterner } from "../text-interner.js";

export interface ValueReader {
  readonly spanned: boolean;
  /** The field names a placeholder `{key:type}` fills. */
  keys(key: string): string[];
  read(s: string, pos: number, stop: number, out: Fields, key: string): number;
}

/** The value types by name, as templates spell them. */
export const VALUE_READERS: Record<string, ValueReader> = {
  /** Signed decimal (`target_cpu=002` is 2). */
  int: _scanner(scanDecimal),
  /** Hex with or without `0x`, unsigned. */
  hex: _scanner(scanHex),
  /** Hex read as a signed 64-bit value (`sys_read -> 0xfffffffffffffff5` is -11). */
  shex: _scanner(scanHexSigned64),
  /** Text up to the next literal, as is (may hold spaces: `comm=IO iothread1 pid=`). */
  str: _spanned((s, a, b) => (b - a <= 40 ? STRINGS.get(s, a, b) : s.slice(a, b))),
  /** ftrace's prev_state letters → TASK_* bits (see prev-state.ts). */
  state: _spanned((s, a, b) => _orFail(parsePrevState(s, a, b))),
  /** libtraceevent's sched_switch plugin letters → bits. */
  pstate: _spanned((s, a, b) => _orFail(parsePluginState(s, a, b))),
  /** `Fixed` … `ExtINT` → the APIC delivery mode as KVM stores it (index << 8). */
  dm: _spanned((s, a, b) => _lookup(DELIVERY_MODES, s.slice(a, b))),
  /** `edge` 0, `level` 1. */
  tm: _spanned((s, a, b) => _lookup(TRIGGER_MODES, s.slice(a, b))),
  /** irq_handler_exit's `handled` 1 / `unhandled` 0 (IRQ_HANDLED / IRQ_NONE). */
  irqret: _spanned((s, a, b) => _lookup(IRQ_RETURNS, s.slice(a, b)) ?? _num(s, a, b)),
  /** kvm_mmio's access type (KVM_TRACE_MMIO_*). */
  mmio: _spanned((s, a, b) => _lookup(MMIO_TYPES, s.slice(a, b))),
  /** kvm_vcpu_wakeup's `valid` 1 / `invalid` 0. */
  validity: _spanned((s, a, b) => _lookup(VALIDITY, s.slice(a, b))),
  /** `259,0` → the kernel's dev_t (major << 20 | minor), as LTTng records it. */
  devt: _spanned(_devt),
  /** `29, c350, 805` (raw_syscalls args) → array of numbers. */
  hexlist: _spanned(_hexList),
  /** kvm_exit's reason text → `key` (number, -1 unknown), `reason_name`, `isa`. */
  reason: {
    spanned: true,
    keys: (key) => [key, "reason_name", "isa"],
    read(s, pos, stop, out, key) {
      const r = resolveExitReason(s.slice(pos, stop));
      out[key] = r.code;
      out.reason_name = r.name;
      out.isa = r.isa === 0 ? null : r.isa;
      return stop;
    },
  },
  /** `comm:tid` (sched plugin) → `<key>_comm`, `<key>_tid` (or `comm`, `tid`); the comm may hold `:`. */
  commtid: {
    spanned: true,
    keys: (key) => (key === "" ? ["comm", "tid"] : [`${key}_comm`, `${key}_tid`]),
    read(s, pos, stop, out, key) {
      const colon = s.lastIndexOf(":", stop - 1);
      if (colon < pos || scanDecimal(s, colon + 1, stop) !== stop) return -1;
      out[key === "" ? "tid" : `${key}_tid`] = scanned.value;
      out[key === "" ? "comm" : `${key}_comm`] = s.slice(pos, colon);
      return stop;
    },
  },
};

// --- internal ---

/** Short payload strings (comms, device and action names) repeat: one string object each. */
const STRINGS = new TextInterner();
const DELIVERY_MODES = _table(["Fixed", "LowPrio", "SMI", "Res3", "NMI", "INIT", "SIPI", "ExtINT"], 8);
const TRIGGER_MODES = _table(["edge", "level"], 0);
const IRQ_RETURNS: Record<string, number> = { unhandled: 0, handled: 1 };
const MMIO_TYPES = _table(["unsatisfied-read", "read", "write"], 0);
const VALIDITY: Record<string, number> = { invalid: 0, valid: 1 };
/** A spanned reader's way to say "not this value". */
const FAIL = Symbol("fail");

function _table(names: string[], shift: number): Record<string, number> {
  const t: Record<string, number> = {};
  names.forEach((n, i) => (t[n] = i << shift));
  return t;
}

function _scanner(scan: (s: string, pos: number, end: number) => number): ValueReader {
  return {
    spanned: false,
    keys: (key) => [key],
    read(s, pos, stop, out, key) {
      const r = scan(s, pos, stop);
      if (r >= 0) out[key] = scanned.value;
      return r;
    },
  };
}

function _spanned(convert: (s: string, a: number, b: number) => FieldValue | undefined | typeof FAIL): ValueReader {
  return {
    spanned: true,
    keys: (key) => [key],
    read(s, pos, stop, out, key) {
      const v = convert(s, pos, stop);
      if (v === undefined || v === FAIL) return -1;
      out[key] = v;
      return stop;
    },
  };
}

function _orFail(v: number): number | typeof FAIL {
  return v < 0 ? FAIL : v;
}

function _lookup(t: Record<string, number>, k: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(t, k) ? t[k] : undefined;
}

function _num(s: string, a: number, b: number): FieldValue | undefined {
  return scanDecimal(s, a, b) === b ? scanned.value : undefined;
}

function _devt(s: string, a: number, b: number): FieldValue | typeof FAIL {
  const comma = s.indexOf(",", a);
  if (comma < 0 || comma >= b || scanDecimal(s, a, comma) !== comma) return FAIL;
  const major = scanned.value as number;
  if (scanDecimal(s, comma + 1, b) !== b) return FAIL;
  return major * 0x100000 + (scanned.value as number);
}

function _hexList(s: string, a: number, b: number): FieldValue | typeof FAIL {
  const out: FieldValue[] = [];
  let i = a;
  while (i < b) {
    const r = scanHex(s, i, b);
    if (r < 0) return FAIL;
    out.push(scanned.value);
    i = r;
    if (i < b) {
      if (!s.startsWith(", ", i)) return FAIL;
      i += 2;
    }
  }
  return out;
}
