/**
 * The live protocol's wire format, byte for byte as lttng-viewer-abi.h lays it out (packed,
 * big-endian), and the live URL syntax babeltrace2 and `lttng view` use.
 */
import { describe, expect, it } from "vitest";
import { LiveSourceError } from "../../engine/live/live-feed.js";
import { formatLiveUrl, parseLiveUrl } from "../../engine/live/live-url.js";
import {
  Cmd, Size, decodeIndex, decodeSession, decodeStream, encodeAttach, encodeConnect, encodeGetPacket,
} from "../../engine/live/viewer-abi.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("viewer ABI", () => {
  it("has the packed sizes of the C structs", () => {
    expect(Size.SESSION).toBe(339); // u64 + 3×u32 + char[64] + char[255]
    expect(Size.STREAM).toBe(4371); // 2×u64 + u32 + char[4096] + char[255]
    expect(Size.INDEX).toBe(64); // 7×u64 + 2×u32
  });

  it("encodes CONNECT as a 16-byte header then major 2, minor 4, command type", () => {
    expect(hex(encodeConnect())).toBe(
      "0000000000000014" + "00000001" + "00000000" + // data_size 20, cmd 1, cmd_version 0
      "0000000000000000" + "00000002" + "00000004" + "00000001",
    );
  });

  it("encodes ATTACH and GET_PACKET payloads big-endian", () => {
    expect(hex(encodeAttach(0x0102030405060708n, 1))).toBe("0000000000000014" + "00000003" + "00000000" + "0102030405060708" + "0000000000000000" + "00000001");
    const p = encodeGetPacket(7n, 4096n, 512);
    expect(new DataView(p.buffer).getUint32(8)).toBe(Cmd.GET_PACKET);
    expect(hex(p.subarray(16))).toBe("0000000000000007" + "0000000000001000" + "00000200");
  });

  it("decodes a session, a stream and an index", () => {
    const s = new Uint8Array(Size.SESSION);
    const dv = new DataView(s.buffer);
    dv.setBigUint64(0, 42n);
    dv.setUint32(8, 100000);
    dv.setUint32(12, 1);
    dv.setUint32(16, 3);
    s.set(new TextEncoder().encode("host1"), 20);
    s.set(new TextEncoder().encode("live"), 20 + 64);
    expect(decodeSession(s)).toEqual({ id: 42n, liveTimerUs: 100000, clients: 1, streams: 3, hostname: "host1", name: "live" });

    const st = new Uint8Array(Size.STREAM);
    const sv = new DataView(st.buffer);
    sv.setBigUint64(0, 5n);
    sv.setBigUint64(8, 2n);
    sv.setUint32(16, 1);
    st.set(new TextEncoder().encode("ust/uid/1000/64-bit"), 20);
    st.set(new TextEncoder().encode("metadata"), 20 + 4096);
    expect(decodeStream(st)).toEqual({ id: 5n, ctfTraceId: 2n, metadata: true, pathName: "ust/uid/1000/64-bit", channelName: "metadata" });

    const ix = new Uint8Array(Size.INDEX);
    const iv = new DataView(ix.buffer);
    [4096n, 32768n, 30000n, 10n, 20n, 3n, 0n].forEach((v, i) => iv.setBigUint64(i * 8, v));
    iv.setUint32(56, 5);
    iv.setUint32(60, 3);
    expect(decodeIndex(ix)).toMatchObject({ offset: 4096n, packetSize: 32768n, contentSize: 30000n, timestampBegin: 10n, timestampEnd: 20n, eventsDiscarded: 3n, status: 5, flags: 3 });
  });
});

describe("live URLs", () => {
  it("reads net://HOST[:PORT]/host/TARGET/SESSION with the default live port", () => {
    expect(parseLiveUrl("net://localhost/host/h1/live")).toEqual({ host: "localhost", port: 5344, targetHost: "h1", session: "live" });
    expect(parseLiveUrl("net4://127.0.0.1:6000/host/my-host/s1")).toEqual({ host: "127.0.0.1", port: 6000, targetHost: "my-host", session: "s1" });
    expect(parseLiveUrl("net6://[::1]:7000")).toEqual({ host: "::1", port: 7000, targetHost: null, session: null });
    expect(formatLiveUrl(parseLiveUrl("net://[::1]:7000/host/a/b"))).toBe("net://[::1]:7000/host/a/b");
  });

  it("rejects other shapes with the expected syntax in the message", () => {
    expect(() => parseLiveUrl("http://x/host/a/b")).toThrow(LiveSourceError);
    expect(() => parseLiveUrl("net://x/session/a")).toThrow(/must be \/host\/TARGET_HOST\/SESSION/);
    expect(() => parseLiveUrl("net://x:99999/host/a/b")).toThrow(/out of range/);
  });
});
