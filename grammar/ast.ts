/**
 * The Vigil AST: plain discriminated unions, every node with a source span.
 *
 * Contract: produced by `grammar/build-ast.ts` from the chevrotain CST; consumed by
 * `engine/check`, `engine/plan` and `engine/codegen`. Nothing here is interpreted per event:
 * the code generator turns expressions into JavaScript once, at compile time.
 */

/** A 1-based source position; `endCol` is exclusive and on `line`. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | "||" | "&&"
  | "|" | "^" | "&"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "<<" | ">>"
  | "+" | "-" | "*" | "/" | "%"
  | "contains" | "startswith" | "endswith" | "glob" | "regex";

export type UnaryOp = "!" | "-" | "~";

/** `$tid $pid $comm $cpu $host $ts $name`: the built-in context of the current event. */
export type ContextName = "tid" | "pid" | "comm" | "cpu" | "host" | "ts" | "name" | "ppid";

export type Expr =
  | { kind: "Int"; value: bigint; text: string; span: Span }
  | { kind: "Float"; value: number; span: Span }
  /** Durations are stored in ns, sizes in bytes. */
  | { kind: "Duration"; ns: bigint; text: string; span: Span }
  | { kind: "Size"; bytes: bigint; text: string; span: Span }
  | { kind: "Str"; value: string; span: Span }
  | { kind: "Bool"; value: boolean; span: Span }
  | { kind: "Null"; span: Span }
  /** A bare name: a field of the current event, a const, a list, a macro, a kept field, a step or a bound name. */
  | { kind: "Name"; name: string; span: Span }
  | { kind: "Context"; name: ContextName; span: Span }
  /** `x.exit_reason`, `x.$pid`, `vcpu[$tid].id`, `VMX.HLT`. */
  | { kind: "Member"; object: Expr; property: string; span: Span }
  /** `vcpu[$tid]`: a machine instance by key. */
  | { kind: "Index"; object: Expr; index: Expr; span: Span }
  | { kind: "Call"; callee: string; args: Expr[]; span: Span }
  | { kind: "Unary"; op: UnaryOp; operand: Expr; span: Span }
  | { kind: "Binary"; op: BinaryOp; left: Expr; right: Expr; span: Span }
  /** `x in (1, 2, 3)`, `x in LISTNAME`; `negated` for `not in`. */
  | { kind: "In"; operand: Expr; list: Expr[] | { listName: string; span: Span }; negated: boolean; span: Span }
  | { kind: "Exists"; field: string; span: Span }
  /** Parenthesised sub-expression is kept for faithful spans in diagnostics. */
  | { kind: "Paren"; inner: Expr; span: Span };

/** A message template: literal text and `{expr}` holes, each hole an expression. */
export interface Template {
  kind: "Template";
  parts: Array<string | Expr>;
  span: Span;
}

// ---------------------------------------------------------------- shared pieces

export interface Ident {
  name: string;
  span: Span;
}

/** `name = expr` inside `{ ... }` blocks and `keep` lists. */
export interface Assignment {
  kind: "Assignment";
  target: Ident;
  value: Expr;
  span: Span;
}

/** `at most every T [per KEY]` or `once after N [per KEY]`. */
export type RatePolicy =
  | { kind: "AtMostEvery"; interval: Expr; per: Expr | null; span: Span }
  | { kind: "OnceAfter"; count: Expr; per: Expr | null; span: Span };

export type Action =
  | { kind: "PrintAction"; span: Span }
  | { kind: "LogAction"; file: Template; span: Span }
  | { kind: "ExecAction"; argv: Template[]; span: Span }
  | { kind: "SnapshotAction"; session: Template; name: Template | null; maxSize: Expr | null; span: Span }
  | { kind: "RotateAction"; session: Template; span: Span };

export interface DoClause {
  kind: "Do";
  action: Action;
  policy: RatePolicy | null;
  span: Span;
}

export type Severity = "debug" | "info" | "notice" | "warning" | "error" | "critical";

/** `alert SEVERITY "message"` inside a sequence, or the body of a top-level alert. */
export interface AlertSpec {
  severity: Severity;
  message: Template | null;
  actions: DoClause[];
}

/** `emit segment { a: expr, b: expr }`: named output fields. */
export interface FieldBinding {
  name: Ident;
  value: Expr;
  span: Span;
}

// ---------------------------------------------------------------- declarations

export interface PackDecl { kind: "Pack"; name: Ident; doc: string | null; span: Span }
/** `use kvm.tables` (a built-in pack) or `use "./other.vgl"` (a file, relative to this one). */
export interface UseDecl { kind: "Use"; target: { pack: string } | { path: string }; span: Span }
/** `event vm_exit = kvm_x86_exit | kvm_exit`. */
export interface EventAlias { kind: "EventAlias"; name: Ident; events: Ident[]; span: Span }
export interface ConstDecl { kind: "Const"; name: Ident; value: Expr; span: Span }
export interface ListDecl { kind: "List"; name: Ident; items: Expr[]; span: Span }
/** `macro NAME = expr`, or with parameters `macro NAME(a, b) = expr`, used as `NAME(x, y)`. */
export interface MacroDecl { kind: "Macro"; name: Ident; params: Ident[]; body: Expr; span: Span }
/**
 * `map vmx = { 12: "HLT", ... }` or `map vmx from "data/vmx.tsv" key code value name`: a lookup
 * table read as `vmx[exit_reason]` (null when absent) and tested with `x in vmx`.
 */
export interface MapDecl {
  kind: "Map";
  name: Ident;
  entries: Array<{ key: Expr; value: Expr }> | null;
  /** The TSV file (relative to the declaring file) and its key and value columns. */
  source: { path: string; keyColumn: string; valueColumn: string; span: Span } | null;
  span: Span;
}

/** `on EVENTS [for KEY] [where COND] [from S1, S2] -> STATE [{ assignments }]`. */
export interface Transition {
  kind: "Transition";
  events: Ident[];
  routeKey: Expr | null;
  where: Expr | null;
  from: Ident[];
  to: Ident;
  /** `-> again S`: leave and re-enter S even when already in it (closes the interval). */
  again: boolean;
  assignments: Assignment[];
  span: Span;
}

/** `on enter STATE { ... }` / `on exit STATE { ... }`. */
export interface StateHook {
  kind: "StateHook";
  when: "enter" | "exit";
  state: Ident;
  assignments: Assignment[];
  span: Span;
}

export interface MachineRule {
  kind: "Machine";
  name: Ident;
  key: Expr;
  states: Ident[];
  initial: Ident;
  keep: Assignment[];
  transitions: Transition[];
  hooks: StateHook[];
  /** `idle T`: an instance with no transition for T of trace time is dropped (bounded memory). */
  idle: Expr | null;
  /** `cap N`: at most N live instances; the overflow is counted. */
  cap: Expr | null;

  span: Span;
}

export type Quantifier = { min: number; max: number | null; span: Span };

export type SequenceStep =
  | {
      kind: "MatchStep";
      label: Ident | null;
      events: Ident[];
      where: Expr | null;
      quantifier: Quantifier | null;
      /** per-step `gap T`: must occur within T of the previous step. */
      gap: Expr | null;
      /** `true` when joined to the previous step by `=>` (strict next) rather than `->`. */
      strict: boolean;
      span: Span;
    }
  | {
      kind: "AbsenceStep";
      events: Ident[];
      where: Expr | null;
      within: Expr;
      span: Span;
    };

export type SkipPolicy = "past-last" | "to-next";

export interface SequenceRule {
  kind: "Sequence";
  name: Ident;
  key: Expr;
  steps: SequenceStep[];
  within: Expr | null;
  skip: SkipPolicy;
  /** live partial matches per key; overflow counted. */
  cap: Expr | null;
  segment: FieldBinding[] | null;
  /** `emit link { from: x.$tid, to: $tid }`: a vertical edge of the execution graph per match. */
  link: FieldBinding[] | null;
  alert: AlertSpec | null;
  span: Span;
}

export type AggFn =
  | "count" | "sum" | "min" | "max" | "avg" | "stddev"
  | "p5" | "p10" | "p25" | "p50" | "p75" | "p90" | "p95" | "p99" | "p999"
  | "share" | "rate" | "first" | "last";

export interface Aggregate {
  kind: "Aggregate";
  fn: AggFn;
  /** `count` and `rate` take no argument; `share(count)` has arg `{kind:"Name",name:"count"}`. */
  arg: Expr | null;
  /**
   * `share(x) per vm`: the by-column whose value splits the table into the parts each share is
   * taken within (null: the whole table). Only meaningful on `share`; the checker says so.
   */
  per: Ident | null;
  alias: string | null;
  span: Span;
}

/**
 * A `select` item: one aggregate, or an expression (`Column`) whose leaves are aggregate calls
 * (told apart by `aggregateCall` in `select-expr.ts`), by-column names and constants, computed
 * per group when the table is read: `stddev(d) / sqrt(count) / avg(d) * 100`. A `Column`'s `per`
 * applies to every `share` inside it.
 */
export type SelectItem = Aggregate | { kind: "Column"; value: Expr; per: Ident | null; alias: string | null; span: Span };

export interface OrderItem { column: string; desc: boolean; span: Span }

export interface TableRule {
  kind: "Table";
  name: Ident;
  /**
   * `from A, B, C`: each a sequence (segments), a machine (state intervals) or an event / alias
   * (events). Rows of every source feed the same groups; a field one source lacks reads as null
   * and the row field `source` is the name of the source a row came from.
   */
  sources: Ident[];
  /**
   * `split W` (machine sources): each interval is cut at multiples of W (trace time from the
   * origin) before the table sees it, with a `window` row field (the piece's window start).
   */
  split: Expr | null;
  where: Expr | null;
  by: Array<{ value: Expr; alias: string | null; span: Span }>;
  select: SelectItem[];
  order: OrderItem[];
  limit: number | null;
  span: Span;
}

export type AlertTrigger =
  | { kind: "OnEvents"; events: Ident[]; where: Expr | null; span: Span }
  /** `when COND`: the event set is derived from `$name == "x"` / `$name in (...)` conjuncts. */
  | { kind: "WhenCondition"; cond: Expr; span: Span }
  | { kind: "WhenState"; machine: Ident; state: Ident; stays: Expr | null; span: Span };

export interface AlertRule {
  kind: "Alert";
  name: Ident;
  trigger: AlertTrigger;
  spec: AlertSpec;
  span: Span;
}

/**
 * `link wakeup on sched_waking from $tid to tid [at EXPR]`: a vertical edge of the execution
 * graph (critical path) from one worker to another at the event's time (or `at`).
 */
export interface LinkRule {
  kind: "Link";
  name: Ident;
  events: Ident[];
  where: Expr | null;
  from: Expr;
  to: Expr;
  at: Expr | null;
  span: Span;
}

export type Decl =
  | PackDecl | UseDecl | EventAlias | ConstDecl | ListDecl | MacroDecl | MapDecl
  | MachineRule | SequenceRule | TableRule | AlertRule | LinkRule;

export interface VglFile {
  kind: "File";
  path: string;
  decls: Decl[];
}
