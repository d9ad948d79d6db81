/**
 * A live LTTng session read from a relay daemon (`--live net://...`): connect, find the
 * session by host and name (one relay session per tracer domain: all are attached), follow
 * metadata, new streams and inactivity beacons, fetch packets as they are indexed, and hand
 * the merged events to the sink. When the relay daemon goes away, reconnect with backoff and
 * report the gap; when the session is destroyed, end.
 *
 * Contract: see `LiveFeed`. At most `maxQueued` packets per stream are held in memory, so
 * memory does not depend on how far ahead the relay daemon is. Polling never stalls the event
 * loop: each relay round trip is awaited, and an idle round sleeps `pollMs`.
 */
import type { ReadIssue } from "../readers/source.js";
import { LiveSourceError, sleep, type LiveFeed, type LiveSink } from "./live-feed.js";
import { LiveTrace, stripProvider } from "./live-trace.js";
import { formatLiveUrl, type LiveUrl } from "./live-url.js";
import { RelayClient } from "./relay-client.js";
import { RelayError } from "./relay-connection.js";
import { AttachStatus, NewStreamsStatus, Seek, type ViewerSession } from "./viewer-abi.js";
import { StreamSet } from "./stream-set.js";
import { RelayRound } from "./relay-round.js";

export interface RelayFeedOptions {
  /** Attach from the oldest data the relay still holds (default) or from now. */
  from?: "beginning" | "now";
  /** Sleep after a round that brought nothing new (ms, default 10). */
  pollMs?: number;
  /** Reconnection backoff bounds (ms, defaults 100 and 2000). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Strip `provider:` from UST event names. */
  stripProvider?: boolean;
  /**
   * Give up when the relay daemon cannot be reached or the session is not there after this
   * long (ms; default: wait forever). Once attached, reconnections are retried forever.
   */
  waitMs?: number;
  onIssue?: (i: ReadIssue) => void;
}

export class RelayFeed implements LiveFeed {
  readonly label: string;
  private readonly set: StreamSet;
  private readonly pollMs: number;

  constructor(private readonly url: LiveUrl, private readonly opts: RelayFeedOptions = {}) {
    if (url.session === null) throw new LiveSourceError(`${formatLiveUrl(url)}: name the session: net://HOST[:PORT]/host/TARGET_HOST/SESSION (vigil watch --list-sessions ${formatLiveUrl(url)} shows them)`);
    this.label = formatLiveUrl(url);
    this.pollMs = opts.pollMs ?? 10;
    this.set = new StreamSet(0, (i) => this.issue(i));
  }

  async run(sink: LiveSink, signal: AbortSignal): Promise<void> {
    this.sink = sink;
    const started = Date.now();
    let backoff = this.opts.retryMinMs ?? 100;
    let attachedOnce = false;
    while (!signal.aborted) {
      let client: RelayClient | null = null;
      try {
        client = await RelayClient.connect(this.url.host, this.url.port);
        sink.notice({ kind: "connected", where: client.where });
        const sessions = await this.findSessions(client, signal, started);
        if (sessions === null) return;
        await client.createViewerSession();
        const round = new RelayRound(client, this.set, sink, (i) => this.issue(i));
        let streams = 0;
        for (const s of sessions) streams += await this.attach(client, round, s, attachedOnce);
        attachedOnce = true;
        backoff = this.opts.retryMinMs ?? 100;
        sink.notice({ kind: "attached", what: `${this.label} (${sessions.length} relay session${sessions.length === 1 ? "" : "s"})`, streams });
        if (await this.follow(round, sessions, sink, signal)) return;
      } catch (e) {
        if (!(e instanceof RelayError)) throw e;
        if (signal.aborted) return;
        if (!attachedOnce && this.opts.waitMs !== undefined && Date.now() - started > this.opts.waitMs) {
          throw new LiveSourceError(`${e.message}; gave up after ${this.opts.waitMs} ms (--wait)`);
        }
        const retry = backoff;
        backoff = Math.min(backoff * 2, this.opts.retryMaxMs ?? 2000);
        this.set.interrupted(e.message);
        this.set.flush(sink);
        sink.notice({ kind: "disconnected", reason: e.message, retryInMs: retry });
        await sleep(retry, signal);
      } finally {
        client?.close();
      }
    }
  }

  /** Items a reconnection received again and dropped (for tests and stats). */
  get replayed(): number {
    return this.set.replayed;
  }

  // --- internal ---

  private sink: LiveSink | null = null;

  /** The relay sessions of the URL's host and name; null when aborted or given up. */
  private async findSessions(client: RelayClient, signal: AbortSignal, started: number): Promise<ViewerSession[] | null> {
    let told = false;
    while (!signal.aborted) {
      const all = await client.listSessions();
      const match = all.filter((s) => s.hostname === this.url.targetHost && s.name === this.url.session);
      const live = match.filter((s) => s.liveTimerUs > 0);
      if (live.length > 0) return live;
      if (match.length > 0) throw new LiveSourceError(`${this.label}: session ${this.url.session} is not a live session (create it with lttng create --live)`);
      if (this.opts.waitMs !== undefined && Date.now() - started > this.opts.waitMs) {
        const names = all.map((s) => `${s.hostname}/${s.name}`).join(", ") || "none";
        throw new LiveSourceError(`${this.label}: no live session ${this.url.targetHost}/${this.url.session} on the relay daemon (it serves: ${names})`);
      }
      if (!told) this.sink?.notice({ kind: "waiting", what: `session ${this.url.targetHost}/${this.url.session} on ${client.where}` });
      told = true;
      await sleep(250, signal);
    }
    return null;
  }

  private async attach(client: RelayClient, round: RelayRound, s: ViewerSession, again: boolean): Promise<number> {
    // After a reconnection, read everything the (possibly new) relay session holds: older
    // items than what was already processed are dropped, so nothing is counted twice.
    const seek = again || this.opts.from !== "now" ? Seek.BEGINNING : Seek.LAST;
    const r = await client.attach(s.id, seek);
    if (r.status === AttachStatus.ALREADY) throw new RelayError(`${client.where}: another viewer is attached to session ${s.name}`, "protocol");
    if (r.status !== AttachStatus.OK) throw new RelayError(`${client.where}: cannot attach to session ${s.name} (status ${r.status})`, "protocol");
    round.addStreams(r.streams, (id) => this.newTrace(id));
    return r.streams.length;
  }

  private newTrace(id: bigint): LiveTrace {
    const t = new LiveTrace(`${this.label} trace ${id}`, this.opts.stripProvider ? stripProvider : null);
    this.set.addTrace(t);
    return t;
  }

  /** Rounds until the session ends (true) or the signal aborts (false). */
  private async follow(round: RelayRound, sessions: ViewerSession[], sink: LiveSink, signal: AbortSignal): Promise<boolean> {
    let idle = 0;
    while (!signal.aborted) {
      const progressed = await round.run();
      this.set.flush(sink);
      // New streams are also flagged on index replies; an idle session is asked now and then.
      if (!progressed || round.needNewStreams) {
        idle++;
        if (round.needNewStreams || round.streamCount === 0 || idle % 20 === 0) {
          round.needNewStreams = false;
          let hup = 0;
          for (const s of sessions) {
            const r = await round.client.newStreams(s.id);
            if (r.status === NewStreamsStatus.HUP) hup++;
            else if (r.streams.length > 0) {
              round.addStreams(r.streams, (id) => this.newTrace(id));
              sink.notice({ kind: "streams", added: r.streams.length, total: round.streamCount });
            }
          }
          if (hup === sessions.length && round.streamCount === 0) {
            this.set.flush(sink);
            sink.notice({ kind: "ended", why: `session ${this.url.session} was destroyed` });
            return true;
          }
        }
        if (!progressed) await sleep(this.pollMs, signal);
      } else idle = 0;
    }
    return false;
  }

  private issue(i: ReadIssue): void {
    if (this.opts.onIssue) this.opts.onIssue(i);
    else this.sink?.notice({ kind: "issue", issue: i });
  }
}
