#!/usr/bin/python3
"""Dump a CTF trace as babeltrace2 (python3-bt2) decodes it, one JSON line per message.

Used by the Vigil CTF reader tests as the reference decoding. Each event line is
  ["E", name, ns_from_origin (string) or null, cpu_id or null, {payload}, {context}]
and each discarded-events / discarded-packets line is
  ["L", "events"|"packets", count or null, begin_ns or null, end_ns or null]
Payload and context are flattened: nested struct members as `a.b`, a variant as
`v` = selected option name plus `v.<option>...`; values are canonical strings:
integers in decimal, reals as `f` + the 16 hex digits of the IEEE-754 double, strings
JSON-quoted, arrays `[..]`; structures inside arrays are positional `[..]` too.
"""
import json
import struct
import sys

import bt2


def canon(field):
    if isinstance(field, bt2._StringFieldConst):
        return json.dumps(str(field), ensure_ascii=False)
    if isinstance(field, bt2._RealFieldConst):
        return "f" + struct.pack(">d", float(field)).hex()
    if isinstance(field, bt2._BoolFieldConst):
        return "true" if bool(field) else "false"
    if isinstance(field, bt2._IntegerFieldConst):
        return str(int(field))
    if isinstance(field, bt2._ArrayFieldConst):
        return "[" + ",".join(canon(e) for e in field) + "]"
    if isinstance(field, bt2._StructureFieldConst):
        return "[" + ",".join(canon(v) for v in field.values()) + "]"
    if isinstance(field, bt2._VariantFieldConst):
        return canon(field.selected_option)
    raise TypeError("unsupported field " + type(field).__name__)


def flatten(path, field, out):
    if isinstance(field, bt2._StructureFieldConst):
        for name, member in field.items():
            flatten(path + "." + name if path else name, member, out)
    elif isinstance(field, bt2._VariantFieldConst):
        option = field.cls.option_at_index(field.selected_option_index).name
        out[path] = json.dumps(option)
        flatten(path + "." + option, field.selected_option, out)
    else:
        out[path] = canon(field)


def ns(snapshot):
    try:
        return str(snapshot.ns_from_origin)
    except Exception:  # overflow: babeltrace cannot express it either
        return None


def write(msg, out):
        if type(msg) is bt2._EventMessageConst:
            ev = msg.event
            ts = None
            if ev.cls.stream_class.default_clock_class is not None:
                ts = ns(msg.default_clock_snapshot)
            cpu = None
            pkt = ev.packet
            if pkt is not None and pkt.context_field is not None and "cpu_id" in pkt.context_field:
                cpu = int(pkt.context_field["cpu_id"])
            payload, ctx = {}, {}
            if ev.payload_field is not None:
                flatten("", ev.payload_field, payload)
            if ev.common_context_field is not None:
                flatten("", ev.common_context_field, ctx)
            if ev.specific_context_field is not None:
                flatten("", ev.specific_context_field, ctx)
            out.write(json.dumps(["E", ev.name, ts, cpu, payload, ctx], ensure_ascii=False) + "\n")
        elif type(msg) in (bt2._DiscardedEventsMessageConst, bt2._DiscardedPacketsMessageConst):
            kind = "events" if type(msg) is bt2._DiscardedEventsMessageConst else "packets"
            begin = end = None
            if msg.stream.cls.default_clock_class is not None and (
                (kind == "events" and msg.stream.cls.discarded_events_have_default_clock_snapshots)
                or (kind == "packets" and msg.stream.cls.discarded_packets_have_default_clock_snapshots)
            ):
                begin = ns(msg.beginning_default_clock_snapshot)
                end = ns(msg.end_default_clock_snapshot)
            out.write(json.dumps(["L", kind, msg.count, begin, end]) + "\n")


class _StreamSink(bt2._UserSinkComponent):
    """Writes each stream's messages as they come, without babeltrace's muxer."""

    def __init__(self, config, params, obj):
        self._inputs = []
        for i in range(int(params["ports"])):
            self._add_input_port("in%d" % i)

    def _user_graph_is_configured(self):
        self._inputs = [self._create_message_iterator(p) for p in self._input_ports.values()]

    def _user_consume(self):
        if not self._inputs:
            raise bt2.Stop
        for it in list(self._inputs):
            try:
                write(next(it), sys.stdout)
            except StopIteration:
                self._inputs.remove(it)


def main_no_mux(path):
    """Per-stream reading, for traces whose overlapping packets make the 2.0.x muxer abort."""
    graph = bt2.Graph()
    src_cls = bt2.find_plugin("ctf").source_component_classes["fs"]
    src = graph.add_component(src_cls, "src", params={"inputs": [path]})
    sink = graph.add_component(_StreamSink, "sink", params={"ports": len(src.output_ports)})
    for i, port in enumerate(src.output_ports.values()):
        graph.connect_ports(port, sink.input_ports["in%d" % i])
    graph.run()


def main(path):
    for msg in bt2.TraceCollectionMessageIterator(path):
        write(msg, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "--no-mux":
        main_no_mux(sys.argv[1])
    else:
        main(sys.argv[1])
