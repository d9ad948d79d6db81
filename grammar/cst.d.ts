// DO NOT EDIT: generated from grammar/parser.ts by grammar/gen-cst-dts.ts.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ExprCstNode extends CstNode {
  name: "expr";
  children: ExprCstChildren;
}

export type ExprCstChildren = {
  orExpr: OrExprCstNode[];
};

export interface OrExprCstNode extends CstNode {
  name: "orExpr";
  children: OrExprCstChildren;
}

export type OrExprCstChildren = {
  operand: (AndExprCstNode)[];
  op?: IToken[];
};

export interface AndExprCstNode extends CstNode {
  name: "andExpr";
  children: AndExprCstChildren;
}

export type AndExprCstChildren = {
  operand: (BitOrExprCstNode)[];
  op?: IToken[];
};

export interface BitOrExprCstNode extends CstNode {
  name: "bitOrExpr";
  children: BitOrExprCstChildren;
}

export type BitOrExprCstChildren = {
  operand: (BitXorExprCstNode)[];
  op?: IToken[];
};

export interface BitXorExprCstNode extends CstNode {
  name: "bitXorExpr";
  children: BitXorExprCstChildren;
}

export type BitXorExprCstChildren = {
  operand: (BitAndExprCstNode)[];
  op?: IToken[];
};

export interface BitAndExprCstNode extends CstNode {
  name: "bitAndExpr";
  children: BitAndExprCstChildren;
}

export type BitAndExprCstChildren = {
  operand: (EqualityExprCstNode)[];
  op?: IToken[];
};

export interface EqualityExprCstNode extends CstNode {
  name: "equalityExpr";
  children: EqualityExprCstChildren;
}

export type EqualityExprCstChildren = {
  operand: (RelationExprCstNode)[];
  op?: IToken[];
};

export interface RelationExprCstNode extends CstNode {
  name: "relationExpr";
  children: RelationExprCstChildren;
}

export type RelationExprCstChildren = {
  operand: ShiftExprCstNode[];
  relTail?: RelTailCstNode[];
};

export interface RelTailCstNode extends CstNode {
  name: "relTail";
  children: RelTailCstChildren;
}

export type RelTailCstChildren = {
  op?: IToken[];
  operand?: ShiftExprCstNode[];
  Not?: IToken[];
  In?: IToken[];
  LParen?: IToken[];
  item?: (ExprCstNode)[];
  Comma?: IToken[];
  RParen?: IToken[];
  listName?: IToken[];
};

export interface ShiftExprCstNode extends CstNode {
  name: "shiftExpr";
  children: ShiftExprCstChildren;
}

export type ShiftExprCstChildren = {
  operand: (AdditiveExprCstNode)[];
  op?: IToken[];
};

export interface AdditiveExprCstNode extends CstNode {
  name: "additiveExpr";
  children: AdditiveExprCstChildren;
}

export type AdditiveExprCstChildren = {
  operand: (TermExprCstNode)[];
  op?: IToken[];
};

export interface TermExprCstNode extends CstNode {
  name: "termExpr";
  children: TermExprCstChildren;
}

export type TermExprCstChildren = {
  operand: (UnaryExprCstNode)[];
  op?: IToken[];
};

export interface UnaryExprCstNode extends CstNode {
  name: "unaryExpr";
  children: UnaryExprCstChildren;
}

export type UnaryExprCstChildren = {
  op?: IToken[];
  operand?: UnaryExprCstNode[];
  postfixExpr?: PostfixExprCstNode[];
};

export interface PostfixExprCstNode extends CstNode {
  name: "postfixExpr";
  children: PostfixExprCstChildren;
}

export type PostfixExprCstChildren = {
  primary: PrimaryCstNode[];
  suffix?: SuffixCstNode[];
};

export interface SuffixCstNode extends CstNode {
  name: "suffix";
  children: SuffixCstChildren;
}

export type SuffixCstChildren = {
  Dot?: IToken[];
  property?: (IToken)[];
  LBracket?: IToken[];
  index?: ExprCstNode[];
  RBracket?: IToken[];
  LParen?: IToken[];
  arg?: (ExprCstNode)[];
  Comma?: IToken[];
  RParen?: IToken[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  IntLit?: IToken[];
  FloatLit?: IToken[];
  DurationLit?: IToken[];
  SizeLit?: IToken[];
  StringLit?: IToken[];
  True?: IToken[];
  False?: IToken[];
  Null?: IToken[];
  Identifier?: IToken[];
  Context?: IToken[];
  Exists?: IToken[];
  field?: IToken[];
  LParen?: IToken[];
  inner?: ExprCstNode[];
  RParen?: IToken[];
};

export interface DottedCstNode extends CstNode {
  name: "dotted";
  children: DottedCstChildren;
}

export type DottedCstChildren = {
  Identifier: (IToken)[];
  Dot?: IToken[];
};

export interface EventsCstNode extends CstNode {
  name: "events";
  children: EventsCstChildren;
}

export type EventsCstChildren = {
  Identifier?: (IToken)[];
  StringLit?: (IToken)[];
  Pipe?: IToken[];
};

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  LCurly: IToken[];
  assign?: AssignCstNode[];
  Semi?: IToken[];
  Comma?: IToken[];
  RCurly: IToken[];
};

export interface AssignCstNode extends CstNode {
  name: "assign";
  children: AssignCstChildren;
}

export type AssignCstChildren = {
  target: IToken[];
  Equals: IToken[];
  expr: ExprCstNode[];
};

export interface QuantifierCstNode extends CstNode {
  name: "quantifier";
  children: QuantifierCstChildren;
}

export type QuantifierCstChildren = {
  LCurly: IToken[];
  min: IToken[];
  Comma?: IToken[];
  max?: IToken[];
  RCurly: IToken[];
};

export interface EmitLinkCstNode extends CstNode {
  name: "emitLink";
  children: EmitLinkCstChildren;
}

export type EmitLinkCstChildren = {
  Emit: IToken[];
  Link: IToken[];
  LCurly: IToken[];
  binding: (BindingCstNode)[];
  Comma?: (IToken)[];
  RCurly: IToken[];
};

export interface EmitSegmentCstNode extends CstNode {
  name: "emitSegment";
  children: EmitSegmentCstChildren;
}

export type EmitSegmentCstChildren = {
  Emit: IToken[];
  Segment: IToken[];
  LCurly?: IToken[];
  binding?: (BindingCstNode)[];
  Comma?: (IToken)[];
  RCurly?: IToken[];
};

export interface BindingCstNode extends CstNode {
  name: "binding";
  children: BindingCstChildren;
}

export type BindingCstChildren = {
  name?: (IToken)[];
  Colon: IToken[];
  expr: ExprCstNode[];
};

export interface ByItemCstNode extends CstNode {
  name: "byItem";
  children: ByItemCstChildren;
}

export type ByItemCstChildren = {
  expr: ExprCstNode[];
  As?: IToken[];
  alias?: IToken[];
};

export interface SelItemCstNode extends CstNode {
  name: "selItem";
  children: SelItemCstChildren;
}

export type SelItemCstChildren = {
  expr: ExprCstNode[];
  Per?: IToken[];
  per?: IToken[];
  As?: IToken[];
  alias?: IToken[];
};

export interface OrderItemCstNode extends CstNode {
  name: "orderItem";
  children: OrderItemCstChildren;
}

export type OrderItemCstChildren = {
  expr: ExprCstNode[];
  Asc?: IToken[];
  Desc?: IToken[];
};

export interface AlertClauseCstNode extends CstNode {
  name: "alertClause";
  children: AlertClauseCstChildren;
}

export type AlertClauseCstChildren = {
  Severity?: IToken[];
  severity?: IToken[];
  Message?: IToken[];
  message?: IToken[];
  doClause?: DoClauseCstNode[];
};

export interface DoClauseCstNode extends CstNode {
  name: "doClause";
  children: DoClauseCstChildren;
}

export type DoClauseCstChildren = {
  Do: IToken[];
  action: ActionCstNode[];
  policy?: PolicyCstNode[];
};

export interface ActionCstNode extends CstNode {
  name: "action";
  children: ActionCstChildren;
}

export type ActionCstChildren = {
  Print?: IToken[];
  Log?: IToken[];
  file?: IToken[];
  Exec?: IToken[];
  LBracket?: IToken[];
  argv?: (IToken)[];
  Comma?: IToken[];
  RBracket?: IToken[];
  Snapshot?: IToken[];
  session?: (IToken)[];
  Name?: IToken[];
  snapName?: IToken[];
  Max?: IToken[];
  Size?: IToken[];
  maxSize?: ExprCstNode[];
  Rotate?: IToken[];
};

export interface PolicyCstNode extends CstNode {
  name: "policy";
  children: PolicyCstChildren;
}

export type PolicyCstChildren = {
  At?: IToken[];
  Most?: IToken[];
  Every?: IToken[];
  interval?: ExprCstNode[];
  Once?: IToken[];
  After?: IToken[];
  count?: ExprCstNode[];
  Per?: IToken[];
  per?: ExprCstNode[];
};

export interface PackDeclCstNode extends CstNode {
  name: "packDecl";
  children: PackDeclCstChildren;
}

export type PackDeclCstChildren = {
  Pack: IToken[];
  dotted: DottedCstNode[];
  StringLit?: IToken[];
};

export interface UseDeclCstNode extends CstNode {
  name: "useDecl";
  children: UseDeclCstChildren;
}

export type UseDeclCstChildren = {
  Use: IToken[];
  dotted?: DottedCstNode[];
  StringLit?: IToken[];
};

export interface EventAliasCstNode extends CstNode {
  name: "eventAlias";
  children: EventAliasCstChildren;
}

export type EventAliasCstChildren = {
  Event: IToken[];
  name: IToken[];
  Equals: IToken[];
  targets: (AliasTargetCstNode)[];
  Pipe?: IToken[];
};

export interface AliasTargetCstNode extends CstNode {
  name: "aliasTarget";
  children: AliasTargetCstChildren;
}

export type AliasTargetCstChildren = {
  name?: IToken[];
  Colon?: IToken[];
  event?: IToken[];
  quoted?: IToken[];
};

export interface ConstDeclCstNode extends CstNode {
  name: "constDecl";
  children: ConstDeclCstChildren;
}

export type ConstDeclCstChildren = {
  Const: IToken[];
  name: IToken[];
  Equals: IToken[];
  expr: ExprCstNode[];
};

export interface ListDeclCstNode extends CstNode {
  name: "listDecl";
  children: ListDeclCstChildren;
}

export type ListDeclCstChildren = {
  List: IToken[];
  name: IToken[];
  Equals: IToken[];
  LParen: IToken[];
  expr: (ExprCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface MapDeclCstNode extends CstNode {
  name: "mapDecl";
  children: MapDeclCstChildren;
}

export type MapDeclCstChildren = {
  Map: IToken[];
  name: IToken[];
  Equals?: IToken[];
  LCurly?: IToken[];
  mapEntry?: (MapEntryCstNode)[];
  Comma?: IToken[];
  RCurly?: IToken[];
  From?: IToken[];
  path?: IToken[];
  keyWord?: IToken[];
  keyColumn?: IToken[];
  valueWord?: IToken[];
  valueColumn?: IToken[];
};

export interface MapEntryCstNode extends CstNode {
  name: "mapEntry";
  children: MapEntryCstChildren;
}

export type MapEntryCstChildren = {
  key: ExprCstNode[];
  Colon: IToken[];
  value: ExprCstNode[];
};

export interface MacroDeclCstNode extends CstNode {
  name: "macroDecl";
  children: MacroDeclCstChildren;
}

export type MacroDeclCstChildren = {
  Macro: IToken[];
  name: IToken[];
  LParen?: IToken[];
  param?: (IToken)[];
  Comma?: IToken[];
  RParen?: IToken[];
  Equals: IToken[];
  expr: ExprCstNode[];
};

export interface DeclCstNode extends CstNode {
  name: "decl";
  children: DeclCstChildren;
}

export type DeclCstChildren = {
  packDecl?: PackDeclCstNode[];
  useDecl?: UseDeclCstNode[];
  eventAlias?: EventAliasCstNode[];
  constDecl?: ConstDeclCstNode[];
  listDecl?: ListDeclCstNode[];
  macroDecl?: MacroDeclCstNode[];
  mapDecl?: MapDeclCstNode[];
  machine?: MachineCstNode[];
  sequence?: SequenceCstNode[];
  table?: TableCstNode[];
  alert?: AlertCstNode[];
  link?: LinkCstNode[];
};

export interface MachineCstNode extends CstNode {
  name: "machine";
  children: MachineCstChildren;
}

export type MachineCstChildren = {
  Machine: IToken[];
  name: IToken[];
  Per: IToken[];
  key: ExprCstNode[];
  Idle?: IToken[];
  idle?: ExprCstNode[];
  Cap?: IToken[];
  cap?: ExprCstNode[];
  LCurly: IToken[];
  machineItem?: MachineItemCstNode[];
  RCurly: IToken[];
};

export interface MachineItemCstNode extends CstNode {
  name: "machineItem";
  children: MachineItemCstChildren;
}

export type MachineItemCstChildren = {
  statesItem?: StatesItemCstNode[];
  keepItem?: KeepItemCstNode[];
  onItem?: OnItemCstNode[];
};

export interface StatesItemCstNode extends CstNode {
  name: "statesItem";
  children: StatesItemCstChildren;
}

export type StatesItemCstChildren = {
  States: IToken[];
  state: (IToken)[];
  Comma?: IToken[];
  Equals: IToken[];
  initial: IToken[];
};

export interface KeepItemCstNode extends CstNode {
  name: "keepItem";
  children: KeepItemCstChildren;
}

export type KeepItemCstChildren = {
  Keep: IToken[];
  assign: (AssignCstNode)[];
  Comma?: IToken[];
};

export interface OnItemCstNode extends CstNode {
  name: "onItem";
  children: OnItemCstChildren;
}

export type OnItemCstChildren = {
  On: IToken[];
  events: EventsCstNode[];
  hookState?: IToken[];
  hookBlock?: BlockCstNode[];
  transitionTail?: TransitionTailCstNode[];
};

export interface TransitionTailCstNode extends CstNode {
  name: "transitionTail";
  children: TransitionTailCstChildren;
}

export type TransitionTailCstChildren = {
  For?: IToken[];
  routeKey?: ExprCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
  From?: IToken[];
  from?: (IToken)[];
  Comma?: IToken[];
  Arrow: IToken[];
  Again?: IToken[];
  to: IToken[];
  block?: BlockCstNode[];
};

export interface SequenceCstNode extends CstNode {
  name: "sequence";
  children: SequenceCstChildren;
}

export type SequenceCstChildren = {
  Sequence: IToken[];
  name: IToken[];
  Per: IToken[];
  key: ExprCstNode[];
  seqOption?: SeqOptionCstNode[];
  LCurly: IToken[];
  step: (StepCstNode)[];
  joiner?: (IToken)[];
  Within?: IToken[];
  within?: ExprCstNode[];
  emitSegment?: EmitSegmentCstNode[];
  emitLink?: EmitLinkCstNode[];
  seqAlert?: SeqAlertCstNode[];
  RCurly: IToken[];
};

export interface SeqOptionCstNode extends CstNode {
  name: "seqOption";
  children: SeqOptionCstChildren;
}

export type SeqOptionCstChildren = {
  Cap?: IToken[];
  cap?: ExprCstNode[];
  Skip?: IToken[];
  Past?: IToken[];
  Last?: IToken[];
  To?: IToken[];
  Next?: IToken[];
};

export interface StepCstNode extends CstNode {
  name: "step";
  children: StepCstChildren;
}

export type StepCstChildren = {
  absenceStep?: AbsenceStepCstNode[];
  matchStep?: MatchStepCstNode[];
};

export interface AbsenceStepCstNode extends CstNode {
  name: "absenceStep";
  children: AbsenceStepCstChildren;
}

export type AbsenceStepCstChildren = {
  Not: IToken[];
  events: EventsCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
  Within: IToken[];
  within: ExprCstNode[];
};

export interface MatchStepCstNode extends CstNode {
  name: "matchStep";
  children: MatchStepCstChildren;
}

export type MatchStepCstChildren = {
  label?: IToken[];
  Colon?: IToken[];
  events: EventsCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
  quantifier?: QuantifierCstNode[];
  Gap?: IToken[];
  gap?: ExprCstNode[];
};

export interface SeqAlertCstNode extends CstNode {
  name: "seqAlert";
  children: SeqAlertCstChildren;
}

export type SeqAlertCstChildren = {
  Alert: IToken[];
  severity?: IToken[];
  message: IToken[];
  doClause?: DoClauseCstNode[];
};

export interface TableCstNode extends CstNode {
  name: "table";
  children: TableCstChildren;
}

export type TableCstChildren = {
  Table: IToken[];
  name: IToken[];
  From: IToken[];
  source: (IToken)[];
  Comma?: (IToken)[];
  Split?: IToken[];
  split?: ExprCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
  By?: (IToken)[];
  byItem?: (ByItemCstNode)[];
  Select: IToken[];
  selItem: (SelItemCstNode)[];
  Order?: IToken[];
  orderItem?: (OrderItemCstNode)[];
  Limit?: IToken[];
  limit?: IToken[];
};

export interface AlertCstNode extends CstNode {
  name: "alert";
  children: AlertCstChildren;
}

export type AlertCstChildren = {
  Alert: IToken[];
  name: IToken[];
  onTrigger?: OnTriggerCstNode[];
  whenState?: WhenStateCstNode[];
  whenCondition?: WhenConditionCstNode[];
  alertClause?: AlertClauseCstNode[];
};

export interface LinkCstNode extends CstNode {
  name: "link";
  children: LinkCstChildren;
}

export type LinkCstChildren = {
  Link: IToken[];
  name: IToken[];
  On: IToken[];
  events: EventsCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
  From: IToken[];
  from: ExprCstNode[];
  To: IToken[];
  to: ExprCstNode[];
  At?: IToken[];
  at?: ExprCstNode[];
};

export interface OnTriggerCstNode extends CstNode {
  name: "onTrigger";
  children: OnTriggerCstChildren;
}

export type OnTriggerCstChildren = {
  On: IToken[];
  events: EventsCstNode[];
  Where?: IToken[];
  where?: ExprCstNode[];
};

export interface WhenStateCstNode extends CstNode {
  name: "whenState";
  children: WhenStateCstChildren;
}

export type WhenStateCstChildren = {
  When: IToken[];
  machine: IToken[];
  Enters: IToken[];
  state: IToken[];
  And?: IToken[];
  Stays?: IToken[];
  stays?: ExprCstNode[];
};

export interface WhenConditionCstNode extends CstNode {
  name: "whenCondition";
  children: WhenConditionCstChildren;
}

export type WhenConditionCstChildren = {
  When: IToken[];
  cond: ExprCstNode[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  expr(children: ExprCstChildren, param?: IN): OUT;
  orExpr(children: OrExprCstChildren, param?: IN): OUT;
  andExpr(children: AndExprCstChildren, param?: IN): OUT;
  bitOrExpr(children: BitOrExprCstChildren, param?: IN): OUT;
  bitXorExpr(children: BitXorExprCstChildren, param?: IN): OUT;
  bitAndExpr(children: BitAndExprCstChildren, param?: IN): OUT;
  equalityExpr(children: EqualityExprCstChildren, param?: IN): OUT;
  relationExpr(children: RelationExprCstChildren, param?: IN): OUT;
  relTail(children: RelTailCstChildren, param?: IN): OUT;
  shiftExpr(children: ShiftExprCstChildren, param?: IN): OUT;
  additiveExpr(children: AdditiveExprCstChildren, param?: IN): OUT;
  termExpr(children: TermExprCstChildren, param?: IN): OUT;
  unaryExpr(children: UnaryExprCstChildren, param?: IN): OUT;
  postfixExpr(children: PostfixExprCstChildren, param?: IN): OUT;
  suffix(children: SuffixCstChildren, param?: IN): OUT;
  primary(children: PrimaryCstChildren, param?: IN): OUT;
  dotted(children: DottedCstChildren, param?: IN): OUT;
  events(children: EventsCstChildren, param?: IN): OUT;
  block(children: BlockCstChildren, param?: IN): OUT;
  assign(children: AssignCstChildren, param?: IN): OUT;
  quantifier(children: QuantifierCstChildren, param?: IN): OUT;
  emitLink(children: EmitLinkCstChildren, param?: IN): OUT;
  emitSegment(children: EmitSegmentCstChildren, param?: IN): OUT;
  binding(children: BindingCstChildren, param?: IN): OUT;
  byItem(children: ByItemCstChildren, param?: IN): OUT;
  selItem(children: SelItemCstChildren, param?: IN): OUT;
  orderItem(children: OrderItemCstChildren, param?: IN): OUT;
  alertClause(children: AlertClauseCstChildren, param?: IN): OUT;
  doClause(children: DoClauseCstChildren, param?: IN): OUT;
  action(children: ActionCstChildren, param?: IN): OUT;
  policy(children: PolicyCstChildren, param?: IN): OUT;
  packDecl(children: PackDeclCstChildren, param?: IN): OUT;
  useDecl(children: UseDeclCstChildren, param?: IN): OUT;
  eventAlias(children: EventAliasCstChildren, param?: IN): OUT;
  aliasTarget(children: AliasTargetCstChildren, param?: IN): OUT;
  constDecl(children: ConstDeclCstChildren, param?: IN): OUT;
  listDecl(children: ListDeclCstChildren, param?: IN): OUT;
  mapDecl(children: MapDeclCstChildren, param?: IN): OUT;
  mapEntry(children: MapEntryCstChildren, param?: IN): OUT;
  macroDecl(children: MacroDeclCstChildren, param?: IN): OUT;
  decl(children: DeclCstChildren, param?: IN): OUT;
  machine(children: MachineCstChildren, param?: IN): OUT;
  machineItem(children: MachineItemCstChildren, param?: IN): OUT;
  statesItem(children: StatesItemCstChildren, param?: IN): OUT;
  keepItem(children: KeepItemCstChildren, param?: IN): OUT;
  onItem(children: OnItemCstChildren, param?: IN): OUT;
  transitionTail(children: TransitionTailCstChildren, param?: IN): OUT;
  sequence(children: SequenceCstChildren, param?: IN): OUT;
  seqOption(children: SeqOptionCstChildren, param?: IN): OUT;
  step(children: StepCstChildren, param?: IN): OUT;
  absenceStep(children: AbsenceStepCstChildren, param?: IN): OUT;
  matchStep(children: MatchStepCstChildren, param?: IN): OUT;
  seqAlert(children: SeqAlertCstChildren, param?: IN): OUT;
  table(children: TableCstChildren, param?: IN): OUT;
  alert(children: AlertCstChildren, param?: IN): OUT;
  link(children: LinkCstChildren, param?: IN): OUT;
  onTrigger(children: OnTriggerCstChildren, param?: IN): OUT;
  whenState(children: WhenStateCstChildren, param?: IN): OUT;
  whenCondition(children: WhenConditionCstChildren, param?: IN): OUT;
}
