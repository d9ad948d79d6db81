/**
 * The numeric options of `vigil watch`, parsed and checked in one place: every bad value is
 * reported with the option's name and what it expects.
 */
import { parseDurationNs } from "../../engine/live/durations.js";

export interface WatchNumbers {
  history: number;
  maxAlerts: number;
  retry: number;
  pollMs?: number;
  stopAfterMs?: number;
  waitMs?: number;
}

type Values = Record<string, string | boolean | string[] | undefined>;

export function parseWatchNumbers(v: Values): WatchNumbers {
  const out: WatchNumbers = {
    history: _int(v, "history", 10_000, 0),
    maxAlerts: _int(v, "max-alerts", 1000, 1),
    retry: _int(v, "retry", 3, 1),
  };
  const poll = _ms(v, "poll");
  if (poll !== undefined) out.pollMs = poll;
  const stop = _ms(v, "stop-after-idle");
  if (stop !== undefined) out.stopAfterMs = stop;
  const wait = _ms(v, "wait");
  if (wait !== undefined) out.waitMs = wait;
  return out;
}

function _int(v: Values, name: string, dflt: number, min: number): number {
  const s = v[name];
  if (typeof s !== "string") return dflt;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${s}: expected a whole number >= ${min}`);
  return n;
}

function _ms(v: Values, name: string): number | undefined {
  const s = v[name];
  if (typeof s !== "string") return undefined;
  const ns = parseDurationNs(s);
  if (ns === null) throw new Error(`--${name} ${s}: expected a duration such as 10ms, 2s or 1min`);
  return ns / 1e6;
}
