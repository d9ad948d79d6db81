#!/usr/bin/python3
"""CTF -> Vigil JSON Lines, decoded by babeltrace2 (python3-bt2), an implementation independent of
Vigil's own CTF reader. Tests use it to run the kvm pack on CTF traces through the JSONL reader.

Usage: /usr/bin/python3 ctf-to-jsonl.py TRACE_DIR > out.jsonl

One line per event: {"ts": clock cycles (raw clock value; for a 1 GHz clock these are ns),
"name", "cpu": packet context cpu_id (-1 when absent), "fields": the payload, "context": the
common context (tid, pid, procname...) or absent}. Enumerations become their integer value,
structures and variants dotted keys (`network_header.ipv4.ttl`, the variant's selected option
naming the level), arrays and sequences lists. Integers are
written exactly (json writes Python ints of any width), so 64-bit pointers survive.
Exit status 2 with a message on stderr when the trace cannot be read.
"""
import json
import sys

import bt2


def _value(f):
    if isinstance(f, bt2._BoolFieldConst):
        return bool(f)
    if isinstance(f, (bt2._UnsignedIntegerFieldConst, bt2._SignedIntegerFieldConst)):
        return int(f)
    if isinstance(f, bt2._RealFieldConst):
        return float(f)
    if isinstance(f, bt2._StringFieldConst):
        return str(f)
    if isinstance(f, bt2._StructureFieldConst):
        return {k: _value(v) for k, v in f.items()}
    if isinstance(f, bt2._VariantFieldConst):
        return {f.cls.option_at_index(f.selected_option_index).name: _value(f.selected_option)}
    if isinstance(f, bt2._OptionFieldConst):
        return None if f.field is None else _value(f.field)
    if isinstance(f, bt2._ArrayFieldConst):
        return [_value(x) for x in f]
    return str(f)


def _flatten(obj, prefix="", out=None):
    """Nested structures and variants become dotted keys (`network_header.ipv4.ttl`): the JSONL
    format holds scalar and array values only, as babeltrace2's text output is read too."""
    if out is None:
        out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            _flatten(v, prefix + k + ".", out)
        else:
            out[prefix + k] = v
    return out


def main(path):
    out = sys.stdout
    write = out.write
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        cpu = -1
        pc = ev.packet.context_field if ev.packet is not None else None
        if pc is not None and "cpu_id" in pc:
            cpu = int(pc["cpu_id"])
        rec = {"ts": msg.default_clock_snapshot.value, "name": ev.name, "cpu": cpu}
        payload = ev.payload_field
        rec["fields"] = _flatten(_value(payload)) if payload is not None else {}
        ctx = ev.common_context_field
        if ctx is not None and len(ctx) > 0:
            rec["context"] = _value(ctx)
        write(json.dumps(rec, separators=(",", ":")))
        write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: ctf-to-jsonl.py TRACE_DIR\n")
        sys.exit(2)
    try:
        main(sys.argv[1])
    except Exception as e:  # babeltrace2 raises its own error types; report and fail clearly
        sys.stderr.write(f"ctf-to-jsonl: cannot read {sys.argv[1]}: {e}\n")
        sys.exit(2)
