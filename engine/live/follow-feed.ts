/**
 * `--follow DIR`: a CTF trace directory that a tracer is still writing (an LTTng local session,
 * best with a switch timer so packets are written steadily). Finds trace directories as they
 * appear (`ust/uid/0/64-bit`, `kernel`...), re-reads metadata when it grows, and reads every
 * completed packet of every stream file.
 *
 * Contract: see `LiveFeed`. Files give no inactivity beacons, so a stream that has not grown for
 * `idleMs` stops holding back the merge (its later events may then be counted late). With
 * `stopAfterMs`, the feed ends once nothing has grown for that long; otherwise it runs until
 * aborted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ReadIssue } from "../readers/source.js";
import { findTraceDirs } from "../readers/ctf/ctf-reader.js";
import { LiveSourceError, sleep, type LiveFeed, type LiveSink } from "./live-feed.js";
import { LiveTrace, stripProvider } from "./live-trace.js";
import { GrowingStream } from "./growing-stream.js";
import { StreamSet } from "./stream-set.js";
import { NEED } from "./packet-cursor.js";

export interface FollowFeedOptions {
  pollMs?: number;
  idleMs?: number;
  stopAfterMs?: number;
  stripProvider?: boolean;
  onIssue?: (i: ReadIssue) => void;
}

interface FollowedTrace {
  dir: string;
  live: LiveTrace;
  metadataSize: number;
  /** Wall-clock ms the metadata last changed. */
  metadataChanged: number;
  streams: Map<string, GrowingStream>;
}

export class FollowFeed implements LiveFeed {
  readonly label: string;
  private readonly set: StreamSet;
  private readonly traces = new Map<string, FollowedTrace>();
  private sink: LiveSink | null = null;

  constructor(private readonly dir: string, private readonly opts: FollowFeedOptions = {}) {
    this.label = dir;
    this.set = new StreamSet(0, (i) => this.issue(i));
  }

  async run(sink: LiveSink, signal: AbortSignal): Promise<void> {
    this.sink = sink;
    try {
      if (!statSync(this.dir).isDirectory()) throw new LiveSourceError(`--follow ${this.dir}: not a directory`);
    } catch (e) {
      if (e instanceof LiveSourceError) throw e;
      throw new LiveSourceError(`--follow ${this.dir}: ${(e as Error).message}`);
    }
    const idleMs = this.opts.idleMs ?? 1000;
    let lastGrowth = Date.now();
    while (!signal.aborted) {
      const grew = this.scan(sink);
      const now = Date.now();
      for (const t of this.traces.values()) {
        if (t.metadataChanged > lastGrowth) lastGrowth = t.metadataChanged;
        for (const s of t.streams.values()) {
          if (s.lastGrowth > lastGrowth) lastGrowth = s.lastGrowth;
          if (s.cursor.kind === NEED && now - s.lastGrowth > idleMs) s.cursor.idle = true;
        }
      }
      this.set.flush(sink);
      if (this.opts.stopAfterMs !== undefined && now - lastGrowth > this.opts.stopAfterMs) {
        for (const t of this.traces.values()) for (const s of t.streams.values()) s.cursor.hangUp();
        this.set.flush(sink);
        sink.notice({ kind: "ended", why: `${this.dir}: nothing written for ${this.opts.stopAfterMs} ms` });
        return;
      }
      if (grew === 0) await sleep(this.opts.pollMs ?? 100, signal);
    }
  }

  // --- internal ---

  /** One pass over the directory; returns how many packets were read. */
  private scan(sink: LiveSink): number {
    let packets = 0;
    for (const dir of findTraceDirs(this.dir)) {
      let t = this.traces.get(dir);
      if (t === undefined) {
        const live = new LiveTrace(join(dir, "metadata"), this.opts.stripProvider ? stripProvider : null);
        this.set.addTrace(live);
        this.traces.set(dir, (t = { dir, live, metadataSize: 0, metadataChanged: Date.now(), streams: new Map() }));
        sink.notice({ kind: "attached", what: `${relative(this.dir, dir) || "."} in ${this.dir}`, streams: 0 });
      }
      this.readMetadata(t);
      if (t.live.trace === null) continue;
      for (const name of _streamFiles(dir)) {
        if (t.streams.has(name)) continue;
        const path = join(dir, name);
        const cursor = this.set.addStream(t.live, path);
        t.streams.set(name, new GrowingStream(path, t.live, cursor, (i) => this.issue(i)));
        sink.notice({ kind: "streams", added: 1, total: [...this.traces.values()].reduce((n, x) => n + x.streams.size, 0) });
      }
      for (const s of t.streams.values()) {
        if (s.cursor.kind !== NEED && s.cursor.queued > 0) continue;
        packets += s.poll(this.set, sink);
      }
    }
    return packets;
  }

  private readMetadata(t: FollowedTrace): void {
    const file = join(t.dir, "metadata");
    try {
      const size = statSync(file).size;
      if (size === t.metadataSize) return;
      t.metadataSize = size;
      t.metadataChanged = Date.now();
      t.live.setMetadata(new Uint8Array(readFileSync(file)));
      if (t.live.trace === null && t.live.error !== null) this.issue({ severity: "warning", file, message: t.live.error });
    } catch (e) {
      this.issue({ severity: "error", file, message: `Cannot read the metadata: ${(e as Error).message}` });
    }
  }

  private issue(i: ReadIssue): void {
    if (this.opts.onIssue) this.opts.onIssue(i);
    else this.sink?.notice({ kind: "issue", issue: i });
  }
}

/** Stream files of a trace directory: regular files other than the metadata and dot-files. */
function _streamFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n !== "metadata" && !n.startsWith("."))
    .filter((n) => {
      try {
        return statSync(join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}
