/**
 * The live sources `vigil watch` knows, chosen from its options: a relay daemon's live session
 * (`--live URL`), a growing trace directory (`--follow DIR`), or a text stream on stdin (`-`).
 * Also lists a relay daemon's sessions (`--live net://HOST` without a session path).
 *
 * Contract: `openFeed` returns a ready feed or throws a `LiveSourceError` naming the option
 * and what to give instead; exactly one source must be named.
 */
import { openTraces, readerFor } from "../readers/index.js";
import type { ReadIssue, TraceSource } from "../readers/source.js";
import { FollowFeed } from "./follow-feed.js";
import { LiveSourceError, type LiveFeed } from "./live-feed.js";
import { parseLiveUrl, type LiveUrl } from "./live-url.js";
import { RelayClient } from "./relay-client.js";
import { stripProvider } from "./live-trace.js";
import { RelayFeed } from "./relay-feed.js";
import { RenamedSource } from "./rename-source.js";
import { SourceFeed } from "./source-feed.js";
import type { ViewerSession } from "./viewer-abi.js";

export interface FeedChoice {
  live?: string;
  follow?: string;
  /** Positional traces (only `-` makes sense live). */
  inputs: string[];
  inputFormat?: string;
  stripProvider?: boolean;
  from?: "beginning" | "now";
  pollMs?: number;
  /** `--follow`: stop once nothing grew for this long. */
  stopAfterMs?: number;
  waitMs?: number;
  onIssue: (i: ReadIssue) => void;
}

export async function openFeed(c: FeedChoice): Promise<LiveFeed> {
  const named = [c.live !== undefined, c.follow !== undefined, c.inputs.length > 0].filter(Boolean).length;
  if (named !== 1) throw new LiveSourceError("name one live source: --live net://RELAYD/host/HOST/SESSION, --follow TRACE_DIR, or - for a text stream on stdin");
  if (c.live !== undefined) {
    return new RelayFeed(parseLiveUrl(c.live), {
      stripProvider: c.stripProvider ?? false, from: c.from ?? "beginning", onIssue: c.onIssue,
      ...(c.pollMs !== undefined ? { pollMs: c.pollMs } : {}), ...(c.waitMs !== undefined ? { waitMs: c.waitMs } : {}),
    });
  }
  if (c.follow !== undefined) {
    return new FollowFeed(c.follow, {
      stripProvider: c.stripProvider ?? false, onIssue: c.onIssue,
      ...(c.pollMs !== undefined ? { pollMs: c.pollMs } : {}), ...(c.stopAfterMs !== undefined ? { stopAfterMs: c.stopAfterMs } : {}),
    });
  }
  if (c.inputs.length !== 1 || c.inputs[0] !== "-") {
    throw new LiveSourceError(`${c.inputs.join(" ")}: vigil watch reads a live source; for a recorded trace use vigil run, or --follow DIR for one still being written`);
  }
  const sources = await _openStdin(c);
  return new SourceFeed(c.stripProvider === true ? sources.map((s) => new RenamedSource(s, stripProvider)) : sources);
}

/** The sessions a relay daemon serves (`--live net://HOST[:PORT]`). */
export async function listRelaySessions(url: string): Promise<{ url: LiveUrl; sessions: ViewerSession[] }> {
  const u = parseLiveUrl(url);
  const client = await RelayClient.connect(u.host, u.port);
  try {
    return { url: u, sessions: await client.listSessions() };
  } finally {
    client.close();
  }
}

// --- internal ---

/**
 * Stdin's sources. With a named format the reader opens the stream directly: detection would
 * first wait for 4 KiB of input, which a quiet live stream may take long to send (its first
 * events, and their alerts, would wait with it).
 */
async function _openStdin(c: FeedChoice): Promise<TraceSource[]> {
  if (c.inputFormat === undefined) return openTraces(["-"], { onIssue: c.onIssue });
  // Path "-" is stdin for every line-based reader.
  const sources = await readerFor(c.inputFormat, "-").open("-", { onIssue: c.onIssue });
  for (const s of sources) await s.open();
  return sources;
}
