/**
 * CTF → JSON Lines through babeltrace2's Python bindings (test/scenario/ctf-to-jsonl.py), so
 * the kvm pack can be checked on CTF traces through the JSONL reader, with an independent
 * decoder. Conversions are cached in the OS temp folder by trace path and size.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "../../../helpers/shared.js";

/** The converter script. */
export const CTF_TO_JSONL = join(REPO, "test", "scenario", "ctf-to-jsonl.py");

/** Python with the bt2 bindings (Debian's python3-bt2 installs them for /usr/bin/python3 only). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** Path of a JSONL file holding the CTF trace at `dir`, converting it when not cached yet. */
export function ctfAsJsonl(dir: string): string {
  const sizes = readdirSync(dir, { recursive: true }).map(String).sort()
    .map((f) => `${f}:${statSync(join(dir, f)).size}`).join(",");
  const id = createHash("sha256").update(dir + "|" + sizes).digest("hex").slice(0, 16);
  const cache = join(tmpdir(), "vigil-kvm-tests");
  mkdirSync(cache, { recursive: true });
  const out = join(cache, `${id}.jsonl`);
  if (existsSync(out)) return out;
  const partial = `${out}.${process.pid}.part`;
  const fd = openSync(partial, "w");
  try {
    execFileSync(SYSTEM_PYTHON, [CTF_TO_JSONL, dir], { stdio: ["ignore", fd, "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } finally {
    closeSync(fd);
  }
  renameSync(partial, out);
  return out;
}
