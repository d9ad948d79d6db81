/**
 * `--cluster k=N`: groups the rows of a profile table (one row per VM) with k-means (ml-kmeans,
 * k-means++ with a fixed seed, so runs are reproducible) on z-scored feature columns, and names
 * each cluster after the feature its centroid stands out most on (`guest_share` → "guest",
 * `disk_per_s` → "disk"; a centroid below average on every feature is "idle").
 *
 * Contract: returns a new table `<table>.clusters` with the identity columns, `cluster`,
 * `label` and the features; the input result is not changed. Features default to the shared
 * profile schema (columns ending in `_share` or `_per_s`), else every numeric column but the first.
 */
import { kmeans } from "ml-kmeans";
import type { FieldValue } from "../model/event.js";
import type { TableResult } from "../runtime/result.js";

export interface ClusterOptions {
  k: number;
  /** Feature columns; default: see the module comment. */
  features?: string[];
  seed?: number;
}

export class ClusterError extends Error {}

export function clusterTable(name: string, table: TableResult, options: ClusterOptions): TableResult {
  const numeric = table.columns.filter((_, c) => table.rows.every((r) => typeof r[c] === "number" || r[c] === null));
  const features = options.features ?? defaultFeatures(table.columns, numeric);
  const missing = features.filter((f) => !table.columns.includes(f));
  if (missing.length > 0) throw new ClusterError(`--cluster: table ${name} has no column ${missing.join(", ")} (columns: ${table.columns.join(", ")})`);
  if (features.length === 0) throw new ClusterError(`--cluster: table ${name} has no numeric feature columns`);
  if (table.rows.length === 0) throw new ClusterError(`--cluster: table ${name} is empty`);
  const idx = features.map((f) => table.columns.indexOf(f));
  const raw = table.rows.map((r) => idx.map((c) => (typeof r[c] === "number" ? (r[c] as number) : 0)));
  const z = standardize(raw);
  const k = Math.max(1, Math.min(options.k, table.rows.length));
  const res = kmeans(z, k, { initialization: "kmeans++", seed: options.seed ?? 42, maxIterations: 300 });
  const labels = labelCentroids(res.centroids, features);
  const identity = table.columns.filter((c) => !features.includes(c));
  const idIdx = identity.map((c) => table.columns.indexOf(c));
  const rows: FieldValue[][] = table.rows.map((r, i) => [...idIdx.map((c) => r[c] ?? null), res.clusters[i]!, labels[res.clusters[i]!]!, ...idx.map((c) => r[c] ?? null)]);
  rows.sort((a, b) => (a[identity.length] as number) - (b[identity.length] as number));
  return {
    columns: [...identity, "cluster", "label", ...features],
    rows,
    notes: [`k-means, k=${k}, on z-scored ${features.join(", ")} (seed ${options.seed ?? 42}); ${res.converged ? "converged" : "not converged"} after ${res.iterations} iterations`],
  };
}

/** Parses `k=3` or `k=3,features=a+b,table=kvm.profile`. */
export function parseClusterSpec(spec: string): { k: number; features?: string[]; table?: string } {
  const out: { k: number; features?: string[]; table?: string } = { k: 0 };
  for (const part of spec.split(",")) {
    const [key, value] = part.split("=");
    if (key === "k" && value && /^\d+$/.test(value)) out.k = Number(value);
    else if (key === "features" && value) out.features = value.split("+");
    else if (key === "table" && value) out.table = value;
    else throw new ClusterError(`--cluster ${spec}: expected k=N[,features=a+b][,table=NAME]`);
  }
  if (out.k < 1) throw new ClusterError(`--cluster ${spec}: k must be a positive whole number`);
  return out;
}

// --- internal ---

function defaultFeatures(columns: string[], numeric: string[]): string[] {
  const profile = numeric.filter((c) => c.endsWith("_share") || c.endsWith("_per_s"));
  return profile.length > 0 ? profile : numeric.filter((c) => c !== columns[0]);
}

function standardize(raw: number[][]): number[][] {
  const n = raw.length, d = raw[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => raw.reduce((a, r) => a + r[j]!, 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(raw.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n));
  return raw.map((r) => r.map((v, j) => (sd[j]! > 0 ? (v - mean[j]!) / sd[j]! : 0)));
}

function labelCentroids(centroids: number[][], features: string[]): string[] {
  const used = new Map<string, number>();
  return centroids.map((c) => {
    let best = -1;
    for (let j = 0; j < c.length; j++) if (best < 0 || c[j]! > c[best]!) best = j;
    let label = c[best]! <= 0 ? "idle" : features[best]!.replace(/_(share|per_s|pct|ns|rate)$/, "").replace(/_inj$/, "");
    const n = used.get(label) ?? 0;
    used.set(label, n + 1);
    if (n > 0) label = `${label}-${n + 1}`;
    return label;
  });
}
