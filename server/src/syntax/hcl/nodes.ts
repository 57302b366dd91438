// Syntax tree of HCL native syntax. Each node lists its tokens and sub-nodes in source order in
// `children` (so printing is a walk), and names the interesting ones in typed fields.
import type { Span } from '../../text';
import type { Token } from './tokens';

export type Child = Node | Token;

interface NodeBase {
  /** From the first token's start to the last token's end (trivia before the first excluded). */
  span: Span;
  children: Child[];
}

export interface ConfigFile extends NodeBase {
  kind: 'ConfigFile';
  body: Body;
}

export interface Body extends NodeBase {
  kind: 'Body';
  items: BodyItem[];
}

export type BodyItem = Attribute | Block | ErrorItem;

export interface Attribute extends NodeBase {
  kind: 'Attribute';
  name: Token;
  equals: Token;
  expr: Expr;
}

export interface Block extends NodeBase {
  kind: 'Block';
  type: Token;
  labels: Label[];
  open?: Token;
  body: Body;
  close?: Token;
}

/** A block label: an identifier or a quoted string without interpolation. */
export type Label = IdentLabel | TemplateExpr;
export interface IdentLabel extends NodeBase {
  kind: 'IdentLabel';
  token: Token;
}

/** Tokens that could not be parsed as an item; kept for lossless printing. */
export interface ErrorItem extends NodeBase {
  kind: 'ErrorItem';
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | TupleExpr
  | ObjectExpr
  | FunctionCallExpr
  | ForExpr
  | IndexExpr
  | GetAttrExpr
  | SplatExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | ErrorExpr;

/** A number, `true`, `false` or `null`. */
export interface LiteralExpr extends NodeBase {
  kind: 'Literal';
  token: Token;
}

export interface TemplateExpr extends NodeBase {
  kind: 'Template';
  open: Token;
  parts: TemplatePart[];
  close?: Token;
  heredoc?: { marker: string; flush: boolean };
}

export type TemplatePart = TemplateLiteral | TemplateInterpolation | TemplateDirective;
export interface TemplateLiteral extends NodeBase {
  kind: 'TemplateLiteral';
  token: Token;
}
export interface TemplateInterpolation extends NodeBase {
  kind: 'TemplateInterpolation';
  expr: Expr;
}
export interface TemplateDirective extends NodeBase {
  kind: 'TemplateDirective';
  keyword: 'if' | 'else' | 'endif' | 'for' | 'endfor' | 'unknown';
  keyVar?: Token;
  valueVar?: Token;
  expr?: Expr;
}

export interface VariableExpr extends NodeBase {
  kind: 'Variable';
  name: Token;
}

export interface TupleExpr extends NodeBase {
  kind: 'Tuple';
  items: Expr[];
}

export interface ObjectItem extends NodeBase {
  kind: 'ObjectItem';
  key: Expr;
  /** `=` or `:`. */
  sep: Token;
  value: Expr;
}
export interface ObjectExpr extends NodeBase {
  kind: 'Object';
  items: ObjectItem[];
}

export interface FunctionCallExpr extends NodeBase {
  kind: 'FunctionCall';
  /** The name tokens (`provider::ns::fn` gives several, with the colons in `children`). */
  name: Token[];
  args: Expr[];
  /** Whether the last argument is expanded with `...`. */
  expandFinal: boolean;
}

export interface ForExpr extends NodeBase {
  kind: 'For';
  /** `[` (tuple result) or `{` (object result). */
  open: Token;
  keyVar?: Token;
  valueVar?: Token;
  collection: Expr;
  keyExpr?: Expr;
  valueExpr: Expr;
  grouped: boolean;
  condition?: Expr;
}

export interface IndexExpr extends NodeBase {
  kind: 'Index';
  target: Expr;
  /** The key expression, or the number token of a legacy `.0` index. */
  key: Expr;
}

export interface GetAttrExpr extends NodeBase {
  kind: 'GetAttr';
  target: Expr;
  name: Token;
}

export interface SplatExpr extends NodeBase {
  kind: 'Splat';
  target: Expr;
  /** `.*` (attribute-only) or `[*]` (full). */
  form: 'attr' | 'full';
}

export interface ConditionalExpr extends NodeBase {
  kind: 'Conditional';
  condition: Expr;
  trueExpr: Expr;
  falseExpr: Expr;
}

export interface BinaryExpr extends NodeBase {
  kind: 'Binary';
  left: Expr;
  op: Token;
  right: Expr;
}

export interface UnaryExpr extends NodeBase {
  kind: 'Unary';
  op: Token;
  operand: Expr;
}

export interface ParenExpr extends NodeBase {
  kind: 'Paren';
  expr: Expr;
}

/** A missing or malformed expression (may be empty). */
export interface ErrorExpr extends NodeBase {
  kind: 'Error';
}

export type Node =
  | ConfigFile
  | Body
  | Attribute
  | Block
  | IdentLabel
  | ErrorItem
  | Expr
  | TemplatePart
  | ObjectItem;

export function isToken(c: Child): c is Token {
  return 'lead' in c;
}
