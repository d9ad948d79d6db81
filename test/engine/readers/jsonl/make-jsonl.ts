/**
 * Generates JSON Lines traces for the jsonl tests: realistic kvm/sched events with epoch-ns
 * timestamps beyond 2^53, 64-bit fields (as JSON numbers and as decimal strings), context on
 * some events and multi-byte UTF-8 comms, so that exactness and chunking are exercised.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** 2023-11-14T22:13:20Z in ns: well beyond 2^53, as real LTTng clocks are. */
export const EPOCH_NS = 1_700_000_000_000_000_000n;

const COMMS = ["qemu-kvm", "CPU 0/KVM", "kworker/0:1-événements", "çà-💡", "1234"];

/** Line `i` of a synthetic trace (deterministic). Timestamps grow by 1000 ns per line. */
export function eventLine(i: number): string {
  const ts = EPOCH_NS + BigInt(i) * 1000n;
  const cpu = i % 4;
  // alternate how ts is written: big JSON number, decimal string
  const tsText = i % 3 === 0 ? `"${ts}"` : `${ts}`;
  if (i % 5 === 0) {
    const rip = 0xffff_ffff_ffff_ffffn - BigInt(i);
    // guest_rip as a bare JSON number beyond 2^53; cr3 as a decimal string
    return `{"ts":${tsText},"name":"kvm_x86_exit","cpu":${cpu},"fields":{"exit_reason":${i % 60},"guest_rip":${rip},"cr3":"${rip - 4096n}","vcpu_id":${i % 2}},"context":{"tid":${1000 + (i % 7)},"pid":1000,"procname":"${COMMS[i % 2]}"}}`;
  }
  return `{"ts":${tsText},"name":"sched_switch","cpu":${cpu},"host":"h1","fields":{"prev_comm":"${COMMS[i % COMMS.length]}","prev_tid":${i % 50},"prev_prio":120,"prev_state":${i % 2 === 0 ? 0 : 256},"next_comm":"${COMMS[(i + 1) % COMMS.length]}","next_tid":${(i + 1) % 50},"next_prio":120}}`;
}

/** `n` lines joined by `\n`, with a final newline. */
export function jsonlText(n: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) lines.push(eventLine(i));
  return `${lines.join("\n")}\n`;
}

/** A fresh temp directory for a test file. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "vigil-jsonl-"));
}

/** Writes `text` to `name` under `dir` and returns its path. */
export async function writeTrace(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}
