#!/usr/bin/env node
/**
 * The `vigil` entry point: picks a command from the table, parses its options with
 * node:util parseArgs, and imports the command only then (fast `--help`).
 */
import { parseArgs } from "node:util";
import { commandHelp, type CommandSpec } from "./command.js";
import { COMMANDS } from "./commands.js";

function mainHelp(): string {
  const lines = [
    "vigil — a rule engine for kernel traces of VM hosts (kvm, Xen)",
    "",
    "usage: vigil COMMAND [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    "",
    "Run `vigil COMMAND --help` for a command's options.",
  ];
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(mainHelp() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write("vigil 0.1.0\n");
    return 0;
  }
  const cmd: CommandSpec | undefined = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`vigil: unknown command \`${name}\`\n\n${mainHelp()}\n`);
    return 2;
  }
  let parsed: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: cmd.options as never, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    process.stderr.write(`vigil ${cmd.name}: ${(err as Error).message}\n\n${commandHelp(cmd)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(commandHelp(cmd) + "\n");
    return 0;
  }
  const mod = await cmd.load();
  return mod.run(parsed);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
