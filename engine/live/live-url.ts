/**
 * Live URLs as babeltrace2 and `lttng view` spell them:
 * `net[4|6]://RELAYD_HOST[:PORT]/host/TARGET_HOST/SESSION` attaches to a session, and
 * `net://RELAYD_HOST[:PORT]` alone lists what the relay daemon serves. The default live port
 * is 5344 (lttng-relayd's `--live-port` default).
 *
 * Contract: `parseLiveUrl` returns the parts or throws a `LiveSourceError` that quotes the URL
 * and shows the expected shape.
 */
import { LiveSourceError } from "./live-feed.js";

export const DEFAULT_LIVE_PORT = 5344;

export interface LiveUrl {
  host: string;
  port: number;
  /** Hostname of the traced machine and session name; null for a listing URL. */
  targetHost: string | null;
  session: string | null;
}

const SHAPE = "net://RELAYD_HOST[:PORT]/host/TARGET_HOST/SESSION (e.g. net://localhost/host/h1/live)";

export function parseLiveUrl(text: string): LiveUrl {
  const m = /^(?:net[46]?|tcp[46]?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?(\/.*)?$/.exec(text.trim());
  if (!m) throw new LiveSourceError(`--live ${text}: not a live URL; expected ${SHAPE}`);
  const host = m[1]!.startsWith("[") ? m[1]!.slice(1, -1) : m[1]!;
  const port = m[2] === undefined ? DEFAULT_LIVE_PORT : Number(m[2]);
  if (!(port > 0 && port < 65536)) throw new LiveSourceError(`--live ${text}: port ${m[2]} is out of range`);
  const path = (m[3] ?? "").replace(/\/+$/, "");
  if (path === "") return { host, port, targetHost: null, session: null };
  const parts = path.split("/").slice(1).map(decodeURIComponent);
  if (parts.length !== 3 || parts[0] !== "host" || parts[1] === "" || parts[2] === "") {
    throw new LiveSourceError(`--live ${text}: the path must be /host/TARGET_HOST/SESSION; expected ${SHAPE}`);
  }
  return { host, port, targetHost: parts[1]!, session: parts[2]! };
}

export function formatLiveUrl(u: LiveUrl): string {
  const h = u.host.includes(":") ? `[${u.host}]` : u.host;
  const base = `net://${h}:${u.port}`;
  return u.session === null ? base : `${base}/host/${u.targetHost}/${u.session}`;
}
