#!/usr/bin/python3
"""Dumps a CTF trace's events as babeltrace2's Python bindings (python3-bt2) see them, one JSON
array per line: [name, ns_from_origin or null, cpu_id or -1, {flattened payload}, {flattened contexts}].

The flattening follows Vigil's babeltrace text reader (engine/readers/text/babeltrace-values.ts):
nested structure members become dotted keys, variants and options add no key, enumerations give
their integer, arrays of scalars stay arrays, an array element that is a structure becomes "?"
(the text reader keeps its text). Every leaf is tagged so JSON keeps 64-bit integers exact:
"i:<int>", "s:<str>", "f:<%g>", "b:<0|1>", null for an empty option.
Usage: bt2-dump.py TRACE_DIR [MAX_EVENTS]
"""
import json
import sys

import bt2


def leaf(f):
    if isinstance(f, bt2._BoolFieldConst):
        return "b:%d" % int(bool(f))
    if isinstance(f, bt2._IntegerFieldConst) or isinstance(f, bt2._BitArrayFieldConst):
        return "i:%d" % int(f if not isinstance(f, bt2._BitArrayFieldConst) else f.value_as_integer)
    if isinstance(f, bt2._RealFieldConst):
        return "f:%g" % float(f)
    if isinstance(f, bt2._StringFieldConst):
        return "s:" + str(f)
    return None


def flat(f, prefix, out):
    if isinstance(f, bt2._StructureFieldConst):
        for name, member in f.items():
            flat(member, prefix + "." + name if prefix else name, out)
    elif isinstance(f, bt2._VariantFieldConst):
        flat(f.selected_option, prefix, out)
    elif isinstance(f, bt2._OptionFieldConst):
        if f.field is None:
            out[prefix] = None
        else:
            flat(f.field, prefix, out)
    elif isinstance(f, bt2._ArrayFieldConst):
        out[prefix] = [array_elem(e) for e in f]
    else:
        out[prefix] = leaf(f)


def array_elem(e):
    if isinstance(e, bt2._ArrayFieldConst):
        return [array_elem(x) for x in e]
    if isinstance(e, (bt2._StructureFieldConst, bt2._VariantFieldConst, bt2._OptionFieldConst)):
        return "?"
    return leaf(e)


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else -1
    n = 0
    out = sys.stdout
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        clocked = ev.stream.cls.default_clock_class is not None
        ns = msg.default_clock_snapshot.ns_from_origin if clocked else None
        ctx = {}
        cpu = -1
        pkt = ev.packet
        if pkt is not None and pkt.context_field is not None:
            flat(pkt.context_field, "", ctx)
            if "cpu_id" in pkt.context_field:
                cpu = int(pkt.context_field["cpu_id"])
        for scope in (ev.common_context_field, ev.specific_context_field):
            if scope is not None:
                flat(scope, "", ctx)
        payload = {}
        if ev.payload_field is not None:
            flat(ev.payload_field, "", payload)
        out.write(json.dumps([ev.name, None if ns is None else str(ns), cpu, payload, ctx]) + "\n")
        n += 1
        if n == limit:
            break


try:
    main()
except BrokenPipeError:
    pass
