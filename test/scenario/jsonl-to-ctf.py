#!/usr/bin/python3
"""Vigil JSON Lines -> CTF 1.8, written by babeltrace2's own CTF writer (sink.ctf.fs, through
python3-bt2), so a scenario's CTF comes from an implementation independent of Vigil's reader.

Usage: /usr/bin/python3 jsonl-to-ctf.py TRACE.jsonl OUT_DIR

Layout: one stream per CPU (packet context `cpu_id`), packets of at most 4096 events, a 1 GHz
clock whose cycles are the JSONL `ts`, the common context `tid` (s32), `pid` (s32), `procname`
(string) as `lttng add-context -k -t tid -t pid -t procname` adds it. Field classes are
inferred from the values: integers become signed 64-bit integers (unsigned when a value needs
it), decimal strings of 16 digits or more (JSONL's spelling of 64-bit values such as skbaddr)
unsigned 64-bit integers, other strings strings; events in DECLARED keep the layout LTTng gives
them (the seed study's addon `addons_vcpu_enter_guest`: u32 vcpuID, u64 cr3tmp/sptmp/iptmp,
declared as lttng-modules declares the neighbouring kvm_x86_* fields, unsigned and base 10).
sink.ctf.fs writes the one trace into OUT_DIR.
Exit status 2 with a message on error.
"""
import json
import sys

import bt2

PACKET_EVENTS = 4096

# Field layouts of events whose tracer declaration is known (kind: u32, u64, s64, str), in order.
_ADDON = {"vcpuID": "u32", "cr3tmp": "u64", "sptmp": "u64", "iptmp": "u64"}
DECLARED = {"addons_vcpu_enter_guest": _ADDON, "vcpu_enter_guest": _ADDON}


def _kind(v):
    if isinstance(v, bool):
        return "u"
    if isinstance(v, int):
        return "u" if v >= 2**63 else "s"
    if isinstance(v, str) and v.isdigit() and len(v) >= 16:
        return "u"
    if isinstance(v, str):
        return "str"
    raise ValueError(f"unsupported field value {v!r}")


def _schema(path):
    """Event name -> ordered {field: kind}; the CPUs seen."""
    events, cpus = {}, set()
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            cpus.add(e.get("cpu", 0))
            fields = events.setdefault(e["name"], {})
            for k, v in e.get("fields", {}).items():
                kind = _kind(v)
                prev = fields.get(k)
                if prev is None or (prev == "s" and kind == "u"):
                    fields[k] = kind
    for name, layout in DECLARED.items():
        if name in events:
            events[name] = {**layout, **{k: v for k, v in events[name].items() if k not in layout}}
    return events, sorted(cpus)


class _Iter(bt2._UserMessageIterator):
    def __init__(self, config, port):
        self._gen = _messages(self, port.user_data)

    def __next__(self):
        return next(self._gen)


class _Source(bt2._UserSourceComponent, message_iterator_class=_Iter):
    """Builds the trace, clock, stream and event classes; the iterator writes the messages."""

    def __init__(self, config, params, obj):
        path = obj
        events, cpus = _schema(path)
        tc = self._create_trace_class()
        cc = self._create_clock_class(frequency=1_000_000_000, name="monotonic", origin_is_unix_epoch=False)
        ctx = tc.create_structure_field_class()
        ctx.append_member("tid", tc.create_signed_integer_field_class(32))
        ctx.append_member("pid", tc.create_signed_integer_field_class(32))
        ctx.append_member("procname", tc.create_string_field_class())
        pc = tc.create_structure_field_class()
        pc.append_member("cpu_id", tc.create_unsigned_integer_field_class(32))
        sc = tc.create_stream_class(
            default_clock_class=cc, event_common_context_field_class=ctx, packet_context_field_class=pc,
            supports_packets=True, packets_have_beginning_default_clock_snapshot=True,
            packets_have_end_default_clock_snapshot=True)
        ecs = {}
        for name, fields in events.items():
            payload = tc.create_structure_field_class()
            for k, kind in fields.items():
                fc = (tc.create_string_field_class() if kind == "str"
                      else tc.create_unsigned_integer_field_class(32) if kind == "u32"
                      else tc.create_unsigned_integer_field_class(64) if kind in ("u", "u64")
                      else tc.create_signed_integer_field_class(64))
                payload.append_member(k, fc)
            ecs[name] = (sc.create_event_class(name=name, payload_field_class=payload), fields)
        self._add_output_port("out", {"path": path, "tc": tc, "sc": sc, "ecs": ecs, "cpus": cpus})


def _messages(it, d):
    """Every message of the trace, in time order, created by the iterator `it`."""
    trace = d["tc"]()
    streams = {c: trace.create_stream(d["sc"]) for c in d["cpus"]}
    packets, counts, last = {}, {}, {}
    for s in streams.values():
        yield it._create_stream_beginning_message(s)
    with open(d["path"]) as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            ts, cpu = int(e["ts"]), e.get("cpu", 0)
            if cpu not in packets or counts[cpu] >= PACKET_EVENTS:
                if cpu in packets:
                    yield it._create_packet_end_message(packets[cpu], last[cpu])
                p = streams[cpu].create_packet()
                p.context_field["cpu_id"] = cpu
                packets[cpu], counts[cpu] = p, 0
                yield it._create_packet_beginning_message(p, ts)
            ec, kinds = d["ecs"][e["name"]]
            msg = it._create_event_message(ec, packets[cpu], default_clock_snapshot=ts)
            for k, kind in kinds.items():
                v = e["fields"].get(k)
                if v is None:
                    v = "" if kind == "str" else 0
                msg.event.payload_field[k] = str(v) if kind == "str" else int(v)
            c = e.get("context") or {}
            msg.event.common_context_field["tid"] = int(c.get("tid", -1))
            msg.event.common_context_field["pid"] = int(c.get("pid", -1))
            msg.event.common_context_field["procname"] = str(c.get("procname", c.get("comm", "")))
            counts[cpu] += 1
            last[cpu] = ts
            yield msg
    for c, p in packets.items():
        yield it._create_packet_end_message(p, last[c])
    for s in streams.values():
        yield it._create_stream_end_message(s)


def main(src, out):
    graph = bt2.Graph()
    source = graph.add_component(_Source, "source", obj=src)
    sink_cls = bt2.find_plugin("ctf").sink_component_classes["fs"]
    sink = graph.add_component(sink_cls, "sink", params={"path": out, "assume-single-trace": True})
    graph.connect_ports(source.output_ports["out"], sink.input_ports["in"])
    graph.run()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write("usage: jsonl-to-ctf.py TRACE.jsonl OUT_DIR\n")
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:
        sys.stderr.write(f"jsonl-to-ctf: {e}\n")
        sys.exit(2)
