/**
 * Commands are data (citty's defineCommand style): name, summary, usage, options, and a lazy
 * `load` so `vigil --help` never imports the engine.
 */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  description: string;
  default?: string | boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** The command's implementation, imported only when it runs. */
  load: () => Promise<{ run: (args: ParsedArgs) => Promise<number> }>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Help text of one command, generated from its spec. */
export function commandHelp(c: CommandSpec): string {
  const lines = [`vigil ${c.name} — ${c.summary}`, "", `usage: ${c.usage}`, "", "options:"];
  for (const [name, o] of Object.entries(c.options)) {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? " VALUE" : ""}`;
    lines.push(`  ${flag.padEnd(28)} ${o.description}${o.multiple ? " (repeatable)" : ""}${o.default !== undefined && o.default !== false ? ` [default: ${o.default}]` : ""}`);
  }
  return lines.join("\n");
}
