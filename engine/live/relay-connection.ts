/**
 * One TCP connection to a relay daemon's live port, as request/response: write a command,
 * read exactly the reply's bytes. The protocol is strictly one command at a time, so reads
 * are queued in order and never interleave.
 *
 * Contract: `read(n)` resolves with exactly `n` bytes (a view into a buffer owned by the
 * caller from then on) or rejects with a `RelayError`; `readFramed` reads a header and the
 * body it announces as one unit, so requests can be pipelined; once the socket closes, fails or a
 * reply takes longer than `timeoutMs`, every pending and later call rejects with the same
 * error and the socket is destroyed. Nothing here retries: reconnecting is the caller's job.
 */
import { connect, type Socket } from "node:net";

/** A relay daemon that cannot be reached, closed the connection or answered nonsense. */
export class RelayError extends Error {
  constructor(message: string, readonly code: "connect" | "closed" | "timeout" | "protocol") {
    super(message);
    this.name = "RelayError";
  }
}

interface PendingRead {
  n: number;
  /** For a framed reply: how many body bytes follow this header (0: none). */
  more: ((head: Uint8Array) => number) | null;
  head: Uint8Array | null;
  resolve: (r: { head: Uint8Array; body: Uint8Array }) => void;
  reject: (e: RelayError) => void;
}

const EMPTY = new Uint8Array(0);

export class RelayConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: PendingRead[] = [];
  private failure: RelayError | null = null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly where: string,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      this.pump();
    });
    socket.on("error", (e) => this.fail(new RelayError(`${where}: ${e.message}`, "closed")));
    socket.on("close", () => this.fail(new RelayError(`${where}: the relay daemon closed the connection`, "closed")));
  }

  /** Opens a connection; rejects with a `RelayError` naming the address when nothing listens. */
  static open(host: string, port: number, timeoutMs = 10_000): Promise<RelayConnection> {
    const where = `relay daemon at ${host}:${port}`;
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      const t = setTimeout(() => {
        s.destroy();
        reject(new RelayError(`${where}: no answer within ${timeoutMs} ms`, "connect"));
      }, timeoutMs);
      s.once("connect", () => {
        clearTimeout(t);
        s.removeAllListeners("error");
        resolve(new RelayConnection(s, where, timeoutMs));
      });
      s.once("error", (e) => {
        clearTimeout(t);
        reject(new RelayError(`${where}: ${e.message} (is lttng-relayd running with --live-port there?)`, "connect"));
      });
    });
  }

  /** Sends bytes; the reply is read with `read`. */
  write(bytes: Uint8Array): void {
    if (this.failure) throw this.failure;
    this.socket.write(bytes);
  }

  /** Exactly `n` bytes of the reply stream. */
  async read(n: number): Promise<Uint8Array> {
    return (await this.readFramed(n, null)).head;
  }

  /**
   * A reply with a header of `n` bytes and a body whose length the header gives (`more`),
   * read as one unit: requests can be pipelined without a later reply's bytes being taken
   * for an earlier reply's body.
   */
  readFramed(n: number, more: ((head: Uint8Array) => number) | null): Promise<{ head: Uint8Array; body: Uint8Array }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ n, more, head: null, resolve, reject });
      this.pump();
    });
  }

  /** Closes the connection (the relay detaches this viewer from every session). */
  close(): void {
    this.fail(new RelayError(`${this.where}: connection closed by the viewer`, "closed"));
  }

  get closed(): boolean {
    return this.failure !== null;
  }

  // --- internal ---

  private pump(): void {
    while (this.queue.length > 0 && this.buffered >= this.queue[0]!.n) {
      const r = this.queue[0]!;
      const bytes = this.take(r.n);
      if (r.head === null && r.more !== null) {
        const extra = r.more(bytes);
        if (extra > 0) {
          r.head = bytes;
          r.n = extra;
          continue;
        }
      }
      this.queue.shift();
      if (r.head === null) r.resolve({ head: bytes, body: EMPTY });
      else r.resolve({ head: r.head, body: bytes });
    }
    this.arm();
  }

  /** A reply that never comes must not hang the viewer: one timer covers the oldest read. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0 || this.failure) return;
    this.timer = setTimeout(() => {
      this.fail(new RelayError(`${this.where}: no reply within ${this.timeoutMs} ms`, "timeout"));
    }, this.timeoutMs);
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      // Copy out of the socket's buffer: callers keep packets across later reads.
      const out = Uint8Array.prototype.slice.call(first, 0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  private fail(e: RelayError): void {
    if (this.failure) return;
    this.failure = e;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const r of this.queue.splice(0)) r.reject(e);
    this.chunks = [];
    this.buffered = 0;
    this.socket.destroy();
  }
}
