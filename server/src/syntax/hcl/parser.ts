// Error-tolerant recursive-descent parser for HCL native syntax. Every token ends up in exactly
// one node's `children`, so the tree prints back to the input byte for byte. Never throws.
import { quoteToken } from '../quote';
import { ParseMemo } from '../memo';
import type {
  Attribute, Block, Body, BodyItem, Child, ConfigFile, ErrorExpr, Expr, ForExpr, FunctionCallExpr,
  Label, ObjectExpr, ObjectItem, TemplateDirective, TemplateExpr, TemplatePart, TupleExpr,
} from './nodes';
import { scan } from './scanner';
import type { HclComment, HclError, Token, TokenKind } from './tokens';

export interface ParseResult {
  tree: ConfigFile;
  errors: HclError[];
  comments: HclComment[];
}

const BINARY_LEVELS: TokenKind[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['>', '>=', '<', '<='],
  ['+', '-'],
  ['*', '/', '%'],
];

const PRECEDENCE = new Map<TokenKind, number>();
BINARY_LEVELS.forEach((ops, level) => ops.forEach((op) => PRECEDENCE.set(op, level)));

/** Block types that only appear at the top level: a nested one at column 0 means a `}` is missing. */
const TOP_LEVEL_BLOCKS = new Set(['resource', 'data', 'module', 'variable', 'output', 'locals', 'provider', 'terraform', 'moved', 'import', 'removed', 'check']);

/** Tokens where an expression cannot start and that an error expression must not swallow. */
const STOP: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'Newline', 'EOF', '}', ']', ')', ',', 'TemplateSeqEnd', 'CQuote', 'CHeredoc', ':', '=', '=>', '?', '...',
]);

/** Parses HCL native syntax (a .tf or .tfvars file); never throws. */
export function parseHcl(text: string): ParseResult {
  return memo.get(text, parseHclUncached);
}

const memo = new ParseMemo<ParseResult>();

/** Parses without the memo (benchmarks measure the parser itself). */
export function parseHclUncached(text: string): ParseResult {
  const scanned = scan(text);
  const parser = new Parser(text, scanned.tokens, scanned.errors);
  const tree = parser.parseFile();
  return { tree, errors: parser.errors, comments: scanned.comments };
}

const MAX_NESTING = 200;
const OPENERS: ReadonlySet<TokenKind> = new Set<TokenKind>(['(', '[', '{', 'OQuote', 'OHeredoc', 'TemplateInterp', 'TemplateControl']);
const CLOSERS: ReadonlySet<TokenKind> = new Set<TokenKind>([')', ']', '}', 'CQuote', 'CHeredoc', 'TemplateSeqEnd']);

class Parser {
  private i = 0;
  private exprDepth = 0;
  private lastEnd = 0;
  /** Newline-insensitivity stack: inside (), [] and ${} line breaks are trivia. */
  private ignoreNl: boolean[] = [false];
  /** Depth of nested blocks, for the missing-`}` heuristic. */
  private blockTypes: string[] = [];

  constructor(
    private readonly text: string,
    private readonly toks: Token[],
    readonly errors: HclError[],
  ) {}

  // ---- token access ----

  private peek(): Token {
    if (this.ignoreNl[this.ignoreNl.length - 1]) {
      while (this.toks[this.i].kind === 'Newline' && this.i + 1 < this.toks.length) {
        const nl = this.toks[this.i];
        const next = this.toks[this.i + 1];
        next.lead = nl.lead + nl.text + next.lead;
        this.i++;
      }
    }
    return this.toks[this.i];
  }

  /** The k-th significant token ahead (k = 0 is peek()), skipping line breaks, without consuming. */
  private peekSkippingNewlines(k: number): Token {
    let j = this.i;
    for (;;) {
      while (this.toks[j].kind === 'Newline' && j + 1 < this.toks.length) j++;
      if (k === 0 || this.toks[j].kind === 'EOF') return this.toks[j];
      k--;
      j++;
    }
  }

  private at(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }

  private next(children: Child[]): Token {
    const t = this.peek();
    if (t.kind !== 'EOF') this.i++;
    children.push(t);
    this.lastEnd = t.span.end;
    return t;
  }

  private expect(kind: TokenKind, children: Child[], what: string): Token | undefined {
    if (this.at(kind)) return this.next(children);
    this.error(this.peek(), `expected ${what}`);
    return undefined;
  }

  private error(t: Token | { span: { start: number; end: number } }, message: string): void {
    const last = this.errors[this.errors.length - 1];
    // One error per position is enough; cascades only confuse.
    if (last && last.span.start === t.span.start) return;
    this.errors.push({ span: { start: t.span.start, end: t.span.end }, message });
  }

  private withNewlines<T>(ignore: boolean, f: () => T): T {
    this.ignoreNl.push(ignore);
    try {
      return f();
    } finally {
      this.ignoreNl.pop();
    }
  }

  private column(t: Token): number {
    let p = t.span.start;
    while (p > 0 && this.text[p - 1] !== '\n') p--;
    return t.span.start - p;
  }

  private startOf(): number {
    return this.peek().span.start;
  }

  private span(start: number) {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  // ---- structure ----

  parseFile(): ConfigFile {
    const children: Child[] = [];
    const start = 0;
    const body = this.parseBody(false);
    children.push(body);
    while (!this.at('EOF')) {
      // A stray `}` at the top level; keep it and go on.
      const item: Child[] = [];
      const t = this.next(item);
      this.error(t, `unexpected ${quoteToken(t.text)}`);
      body.children.push({ kind: 'ErrorItem', span: t.span, children: item });
      const rest = this.parseBody(false);
      body.children.push(...rest.children);
      body.items.push(...rest.items);
      body.span.end = rest.span.end;
    }
    this.next(children); // EOF, with the file's trailing trivia
    return { kind: 'ConfigFile', span: { start, end: this.text.length }, children, body };
  }

  private parseBody(nested: boolean): Body {
    const children: Child[] = [];
    const items: BodyItem[] = [];
    const start = this.startOf();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'EOF') break;
      if (t.kind === '}') {
        if (nested) break;
        break;
      }
      if (t.kind === 'Newline') {
        this.next(children);
        continue;
      }
      if (
        nested &&
        t.kind === 'Ident' &&
        TOP_LEVEL_BLOCKS.has(t.text) &&
        this.column(t) === 0 &&
        !(t.text === 'data' && this.blockTypes.includes('check'))
      ) {
        // A top-level block keyword at column 0 inside a block: the enclosing `}` is missing.
        break;
      }
      const before = this.i;
      const item = this.parseItem();
      items.push(item);
      children.push(item);
      if (this.i === before) {
        // No progress: consume one token into an error item.
        const err: Child[] = [];
        const bad = this.next(err);
        children.push({ kind: 'ErrorItem', span: bad.span, children: err });
      }
    }
    return { kind: 'Body', span: this.span(start), children, items };
  }

  private parseItem(): BodyItem {
    const children: Child[] = [];
    const start = this.startOf();
    const t = this.peek();
    if (t.kind !== 'Ident') {
      this.error(t, `expected an attribute or block name, found ${quoteToken(t.text)}`);
      this.skipLine(children);
      return { kind: 'ErrorItem', span: this.span(start), children };
    }
    const name = this.next(children);
    const after = this.peek();
    if (after.kind === '=') {
      const equals = this.next(children);
      const expr = this.parseExpression();
      children.push(expr);
      // The span ends with the value; the line break that ends the item stays outside it.
      const span = this.span(start);
      this.endOfItem(children);
      return { kind: 'Attribute', span, children, name, equals, expr };
    }
    if (after.kind === '{' || after.kind === 'OQuote' || after.kind === 'Ident') {
      return this.parseBlock(name, children, start);
    }
    this.error(after, `expected '=' or '{' after ${quoteToken(name.text)}`);
    this.skipLine(children);
    return { kind: 'ErrorItem', span: this.span(start), children };
  }

  private parseBlock(type: Token, children: Child[], start: number): Block {
    const labels: Label[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'Ident') {
        const lc: Child[] = [];
        const tok = this.next(lc);
        const label: Label = { kind: 'IdentLabel', span: tok.span, children: lc, token: tok };
        labels.push(label);
        children.push(label);
      } else if (t.kind === 'OQuote') {
        const label = this.parseQuotedTemplate();
        if (label.parts.some((p) => p.kind !== 'TemplateLiteral')) this.error(label, 'a block label cannot contain interpolation');
        labels.push(label);
        children.push(label);
      } else break;
    }
    const emptyBody = (): Body => ({ kind: 'Body', span: { start: this.lastEnd, end: this.lastEnd }, children: [], items: [] });
    if (!this.at('{')) {
      this.error(this.peek(), `expected '{' to open the ${type.text} block`);
      this.skipLine(children);
      const body = emptyBody();
      return { kind: 'Block', span: this.span(start), children, type, labels, body };
    }
    if (this.blockTypes.length >= MAX_NESTING) {
      // The whole block (to its matching `}`) is kept as tokens; one error per file.
      if (!this.tooDeepReported) this.error(this.peek(), 'blocks nested too deeply');
      this.tooDeepReported = true;
      this.skipBalanced(children);
      return { kind: 'Block', span: this.span(start), children, type, labels, body: emptyBody() };
    }
    const open = this.next(children);
    this.blockTypes.push(type.text);
    let body: Body;
    if (this.at('Newline') || this.at('}')) {
      body = this.parseBody(true);
    } else {
      // Single-line block: `name { attr = value }`.
      body = this.parseSingleLineBody();
    }
    this.blockTypes.pop();
    children.push(body);
    let close: Token | undefined;
    if (this.at('}')) close = this.next(children);
    else this.error(this.peek().kind === 'EOF' ? this.peek() : { span: { start: this.lastEnd, end: this.lastEnd } }, `expected '}' to close the ${type.text} block`);
    const span = this.span(start);
    if (close) this.endOfItem(children);
    return { kind: 'Block', span, children, type, labels, open, body, close };
  }

  private parseSingleLineBody(): Body {
    const children: Child[] = [];
    const items: BodyItem[] = [];
    const start = this.startOf();
    const t = this.peek();
    if (t.kind === 'Ident') {
      const ic: Child[] = [];
      const name = this.next(ic);
      if (this.at('=')) {
        const equals = this.next(ic);
        const expr = this.parseExpression();
        ic.push(expr);
        const attr: Attribute = { kind: 'Attribute', span: this.span(t.span.start), children: ic, name, equals, expr };
        items.push(attr);
        children.push(attr);
      } else {
        this.error(this.peek(), `expected '=' after ${quoteToken(name.text)}`);
        children.push({ kind: 'ErrorItem', span: this.span(t.span.start), children: ic });
      }
    }
    if (!this.at('}')) {
      this.error(this.peek(), "expected '}' or a line break");
      const ec: Child[] = [];
      const s = this.startOf();
      this.skipLine(ec);
      if (ec.length) children.push({ kind: 'ErrorItem', span: this.span(s), children: ec });
      if (this.at('Newline')) {
        // Treat the rest as a multi-line body.
        const rest = this.parseBody(true);
        children.push(...rest.children);
        items.push(...rest.items);
      }
    }
    return { kind: 'Body', span: this.span(start), children, items };
  }

  /** After an item: a line break, the end of file, or the `}` of a single-line block. */
  private endOfItem(children: Child[]): void {
    const t = this.peek();
    if (t.kind === 'Newline') {
      this.next(children);
      return;
    }
    if (t.kind === 'EOF' || t.kind === '}') return;
    this.error(t, `unexpected ${quoteToken(t.text)}: expected a line break`);
    this.skipLine(children);
    if (this.at('Newline')) this.next(children);
  }

  /** Consumes tokens up to (not including) the next line break, `}` or end of file. */
  private skipLine(children: Child[]): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'Newline' || t.kind === 'EOF' || t.kind === '}') return;
      this.next(children);
    }
  }

  // ---- expressions ----

  parseExpression(): Expr {
    if (this.exprDepth >= MAX_NESTING) return this.tooDeep();
    this.exprDepth++;
    try {
      return this.parseConditional();
    } finally {
      this.exprDepth--;
    }
  }

  private tooDeepReported = false;

  /** Consumes a bracketed group from the opener here to its matching closer (or the end). */
  private skipBalanced(children: Child[]): void {
    let balance = 0;
    for (;;) {
      const t = this.toks[this.i];
      if (t.kind === 'EOF') return;
      if (OPENERS.has(t.kind)) balance++;
      else if (CLOSERS.has(t.kind)) balance--;
      children.push(t);
      this.i++;
      this.lastEnd = t.span.end;
      if (balance <= 0) return;
    }
  }

  /** Pathologically deep nesting: keep the rest of the line (balanced) as one error expression. */
  private tooDeep(): ErrorExpr {
    const children: Child[] = [];
    const start = this.startOf();
    if (!this.tooDeepReported) this.error(this.peek(), 'expression nested too deeply');
    this.tooDeepReported = true;
    let balance = 0;
    for (;;) {
      const t = this.toks[this.i];
      if (t.kind === 'EOF') break;
      // `=` and `:` end the operand too (an object key, a conditional's branch).
      if (balance <= 0 && (t.kind === 'Newline' || CLOSERS.has(t.kind) || t.kind === '=' || t.kind === ':')) break;
      if (OPENERS.has(t.kind)) balance++;
      else if (CLOSERS.has(t.kind)) balance--;
      children.push(t);
      this.i++;
      this.lastEnd = t.span.end;
    }
    return { kind: 'Error', span: this.span(start), children };
  }

  private parseConditional(): Expr {
    const start = this.startOf();
    const condition = this.parseBinary(0);
    if (!this.at('?')) return condition;
    const children: Child[] = [condition];
    this.next(children);
    const trueExpr = this.parseExpression();
    children.push(trueExpr);
    this.expect(':', children, "':' of the conditional");
    const falseExpr = this.parseExpression();
    children.push(falseExpr);
    return { kind: 'Conditional', span: this.span(start), children, condition, trueExpr, falseExpr };
  }

  /** Precedence climbing over the binary operators (all left-associative). */
  private parseBinary(minLevel: number): Expr {
    const start = this.startOf();
    let left = this.parseUnary();
    for (;;) {
      const level = PRECEDENCE.get(this.peek().kind);
      if (level === undefined || level < minLevel) return left;
      const children: Child[] = [left];
      const op = this.next(children);
      const right = this.parseBinary(level + 1);
      children.push(right);
      left = { kind: 'Binary', span: this.span(start), children, left, op, right };
    }
  }

  private parseUnary(): Expr {
    // Iterative, so a long run of `-`/`!` cannot exhaust the stack.
    const ops: { op: Token; children: Child[] }[] = [];
    while (this.at('!') || this.at('-')) {
      const children: Child[] = [];
      ops.push({ op: this.next(children), children });
    }
    let expr = this.parsePostfix(this.parseTerm());
    for (let k = ops.length - 1; k >= 0; k--) {
      const { op, children } = ops[k];
      children.push(expr);
      expr = { kind: 'Unary', span: { start: op.span.start, end: expr.span.end }, children, op, operand: expr };
    }
    return expr;
  }

  private parsePostfix(expr: Expr): Expr {
    const start = expr.span.start;
    for (;;) {
      const t = this.peek();
      if (t.kind === '.') {
        const children: Child[] = [expr];
        this.next(children);
        const u = this.peek();
        if (u.kind === 'Ident') {
          const name = this.next(children);
          expr = { kind: 'GetAttr', span: this.span(start), children, target: expr, name };
        } else if (u.kind === 'Number') {
          const tok = this.next(children);
          children.pop();
          const key: Expr = { kind: 'Literal', span: tok.span, children: [tok], token: tok };
          children.push(key);
          expr = { kind: 'Index', span: this.span(start), children, target: expr, key };
        } else if (u.kind === '*') {
          this.next(children);
          expr = { kind: 'Splat', span: this.span(start), children, target: expr, form: 'attr' };
        } else {
          this.error(u, "expected an attribute name after '.'");
          expr = { kind: 'GetAttr', span: this.span(start), children, target: expr, name: { kind: 'Invalid', span: { start: this.lastEnd, end: this.lastEnd }, lead: '', text: '' } };
          return expr;
        }
      } else if (t.kind === '[') {
        const children: Child[] = [expr];
        const done = this.withNewlines(true, () => {
          this.next(children);
          if (this.at('*')) {
            this.next(children);
            this.expect(']', children, "']'");
            return 'splat' as const;
          }
          const key = this.parseExpression();
          children.push(key);
          this.expect(']', children, "']' to close the index");
          return key;
        });
        expr = done === 'splat'
          ? { kind: 'Splat', span: this.span(start), children, target: expr, form: 'full' }
          : { kind: 'Index', span: this.span(start), children, target: expr, key: done };
      } else return expr;
    }
  }

  private errorExpr(): ErrorExpr {
    const t = this.peek();
    const children: Child[] = [];
    this.error(t, t.kind === 'Newline' || t.kind === 'EOF' ? 'expected an expression' : `unexpected ${quoteToken(t.text)}: expected an expression`);
    if (!STOP.has(t.kind) && t.kind !== '{' && t.kind !== 'OQuote' && t.kind !== 'OHeredoc') {
      this.next(children);
      return { kind: 'Error', span: t.span, children };
    }
    return { kind: 'Error', span: { start: this.lastEnd, end: this.lastEnd }, children };
  }

  private parseTerm(): Expr {
    const t = this.peek();
    const start = t.span.start;
    switch (t.kind) {
      case 'Number': {
        const children: Child[] = [];
        const token = this.next(children);
        return { kind: 'Literal', span: token.span, children, token };
      }
      case 'Ident': {
        if (t.text === 'true' || t.text === 'false' || t.text === 'null') {
          const children: Child[] = [];
          const token = this.next(children);
          return { kind: 'Literal', span: token.span, children, token };
        }
        const after = this.toks[this.i + 1];
        if (after.kind === '(' || (after.kind === ':' && this.toks[this.i + 2]?.kind === ':' && after.lead === '')) {
          return this.parseFunctionCall();
        }
        const children: Child[] = [];
        const name = this.next(children);
        return { kind: 'Variable', span: name.span, children, name };
      }
      case 'OQuote':
        return this.parseQuotedTemplate();
      case 'OHeredoc':
        return this.parseHeredoc();
      case '(': {
        const children: Child[] = [];
        const expr = this.withNewlines(true, () => {
          this.next(children);
          const e = this.parseExpression();
          children.push(e);
          this.expect(')', children, "')'");
          return e;
        });
        return { kind: 'Paren', span: this.span(start), children, expr };
      }
      case '[':
        return this.parseTuple();
      case '{':
        return this.parseObject();
      default:
        return this.errorExpr();
    }
  }

  private parseFunctionCall(): FunctionCallExpr {
    const children: Child[] = [];
    const start = this.startOf();
    const name: Token[] = [this.next(children)];
    // Provider-namespaced functions: provider::name::fn(…)
    while (this.at(':') && this.toks[this.i + 1]?.kind === ':' && this.toks[this.i + 2]?.kind === 'Ident') {
      this.next(children);
      this.next(children);
      name.push(this.next(children));
    }
    const args: Expr[] = [];
    let expandFinal = false;
    this.withNewlines(true, () => {
      if (!this.expect('(', children, "'(' of the function call")) return;
      for (;;) {
        if (this.at(')') || this.at('EOF')) break;
        const before = this.i;
        const arg = this.parseExpression();
        args.push(arg);
        children.push(arg);
        if (this.at('...')) {
          this.next(children);
          expandFinal = true;
        }
        if (this.at(',')) {
          this.next(children);
          continue;
        }
        if (!this.at(')') || this.i === before) break;
      }
      this.expect(')', children, "')' to close the function call");
    });
    return { kind: 'FunctionCall', span: this.span(start), children, name, args, expandFinal };
  }

  private isForStart(): boolean {
    const a = this.peekSkippingNewlines(0);
    const b = this.peekSkippingNewlines(1);
    return a.kind === 'Ident' && a.text === 'for' && b.kind === 'Ident';
  }

  private parseTuple(): TupleExpr | ForExpr {
    const children: Child[] = [];
    const start = this.startOf();
    return this.withNewlines(true, () => {
      const open = this.next(children);
      if (this.isForStart()) return this.parseForRest(open, children, start, ']');
      const items: Expr[] = [];
      for (;;) {
        if (this.at(']') || this.at('EOF')) break;
        const before = this.i;
        const item = this.parseExpression();
        items.push(item);
        children.push(item);
        if (this.at(',')) {
          this.next(children);
          continue;
        }
        if (!this.at(']') || this.i === before) break;
      }
      this.expect(']', children, "']' to close the list");
      const tuple: TupleExpr = { kind: 'Tuple', span: this.span(start), children, items };
      return tuple;
    });
  }

  private parseObject(): ObjectExpr | ForExpr {
    const children: Child[] = [];
    const start = this.startOf();
    const open = this.next(children);
    if (this.isForStart()) return this.withNewlines(true, () => this.parseForRest(open, children, start, '}'));
    return this.withNewlines(false, () => {
      const items: ObjectItem[] = [];
      for (;;) {
        while (this.at('Newline')) this.next(children);
        if (this.at('}') || this.at('EOF')) break;
        const before = this.i;
        const item = this.parseObjectItem();
        items.push(item);
        children.push(item);
        if (this.at(',') || this.at('Newline')) {
          this.next(children);
          continue;
        }
        if (this.at('}')) break;
        this.error(this.peek(), `unexpected ${quoteToken(this.peek().text)}: expected ',', a line break or '}'`);
        if (this.i === before) break;
        // Skip to the end of the line and go on with the next item.
        const ec: Child[] = [];
        const s = this.startOf();
        while (!this.at('Newline') && !this.at('}') && !this.at('EOF')) this.next(ec);
        if (ec.length) children.push({ kind: 'ErrorItem', span: this.span(s), children: ec });
      }
      this.expect('}', children, "'}' to close the object");
      const obj: ObjectExpr = { kind: 'Object', span: this.span(start), children, items };
      return obj;
    });
  }

  private parseObjectItem(): ObjectItem {
    const children: Child[] = [];
    const start = this.startOf();
    // Keys are newline-sensitive expressions; `a = …` and `"a" = …` and `(expr) = …`.
    const key = this.parseExpression();
    children.push(key);
    let sep: Token;
    if (this.at('=') || this.at(':')) sep = this.next(children);
    else {
      this.error(this.peek(), "expected '=' or ':' after the object key");
      sep = { kind: 'Invalid', span: { start: this.lastEnd, end: this.lastEnd }, lead: '', text: '' };
      return { kind: 'ObjectItem', span: this.span(start), children, key, sep, value: { kind: 'Error', span: sep.span, children: [] } };
    }
    const value = this.parseExpression();
    children.push(value);
    return { kind: 'ObjectItem', span: this.span(start), children, key, sep, value };
  }

  private parseForRest(open: Token, children: Child[], start: number, closeKind: '}' | ']'): ForExpr {
    this.next(children); // `for`
    let keyVar: Token | undefined;
    let valueVar: Token | undefined;
    const first = this.expect('Ident', children, 'a variable name after for');
    if (this.at(',')) {
      this.next(children);
      keyVar = first;
      valueVar = this.expect('Ident', children, "a variable name after ','");
    } else valueVar = first;
    if (this.at('Ident') && this.peek().text === 'in') this.next(children);
    else this.error(this.peek(), "expected 'in'");
    const collection = this.parseExpression();
    children.push(collection);
    this.expect(':', children, "':' in the for expression");
    let keyExpr: Expr | undefined;
    let valueExpr = this.parseExpression();
    children.push(valueExpr);
    if (closeKind === '}' && this.at('=>')) {
      this.next(children);
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
      children.push(valueExpr);
    }
    let grouped = false;
    if (this.at('...')) {
      this.next(children);
      grouped = true;
    }
    let condition: Expr | undefined;
    if (this.at('Ident') && this.peek().text === 'if') {
      this.next(children);
      condition = this.parseExpression();
      children.push(condition);
    }
    this.expect(closeKind, children, `'${closeKind}' to close the for expression`);
    return { kind: 'For', span: this.span(start), children, open, keyVar, valueVar, collection, keyExpr, valueExpr, grouped, condition };
  }

  // ---- templates ----

  private parseQuotedTemplate(): TemplateExpr {
    const children: Child[] = [];
    const start = this.startOf();
    const open = this.next(children);
    const parts = this.parseTemplateParts(children, 'CQuote');
    let close: Token | undefined;
    if (this.toks[this.i].kind === 'CQuote') close = this.next(children);
    else this.error({ span: { start: this.lastEnd, end: this.lastEnd } }, 'unterminated string: add a closing "');
    return { kind: 'Template', span: this.span(start), children, open, parts, close };
  }

  private parseHeredoc(): TemplateExpr {
    const children: Child[] = [];
    const start = this.startOf();
    const open = this.next(children);
    const m = /^<<(-?)([A-Za-z0-9_-]+)/.exec(open.text);
    const parts = this.parseTemplateParts(children, 'CHeredoc');
    let close: Token | undefined;
    if (this.toks[this.i].kind === 'CHeredoc') close = this.next(children);
    else this.error({ span: { start: this.lastEnd, end: this.lastEnd } }, `unterminated heredoc: add a line with ${m?.[2] ?? 'its marker'}`);
    return {
      kind: 'Template', span: this.span(start), children, open, parts, close,
      heredoc: { marker: m?.[2] ?? '', flush: m?.[1] === '-' },
    };
  }

  /** Template parts up to the closing token. Literal tokens are read raw (no newline skipping). */
  private parseTemplateParts(children: Child[], closeKind: TokenKind): TemplatePart[] {
    const parts: TemplatePart[] = [];
    this.ignoreNl.push(false);
    try {
      for (;;) {
        const t = this.toks[this.i];
        if (t.kind === 'QuotedLit' || t.kind === 'StringLit') {
          const pc: Child[] = [];
          const token = this.next(pc);
          const part: TemplatePart = { kind: 'TemplateLiteral', span: token.span, children: pc, token };
          parts.push(part);
          children.push(part);
        } else if (t.kind === 'TemplateInterp') {
          const pc: Child[] = [];
          this.next(pc);
          // In a quoted string a line break ends a broken interpolation (the scanner agrees).
          const expr = this.withNewlines(closeKind !== 'CQuote', () => {
            const e = this.parseExpression();
            pc.push(e);
            this.closeSequence(pc);
            return e;
          });
          const part: TemplatePart = { kind: 'TemplateInterpolation', span: this.span(t.span.start), children: pc, expr };
          parts.push(part);
          children.push(part);
        } else if (t.kind === 'TemplateControl') {
          const part = this.parseDirective();
          parts.push(part);
          children.push(part);
        } else break;
        if (this.toks[this.i].kind === closeKind) break;
      }
    } finally {
      this.ignoreNl.pop();
    }
    this.checkDirectives(parts);
    return parts;
  }

  /** `%{ if }` … `%{ else }` … `%{ endif }` and `%{ for }` … `%{ endfor }` must pair up. */
  private checkDirectives(parts: TemplatePart[]): void {
    const open: TemplateDirective[] = [];
    for (const p of parts) {
      if (p.kind !== 'TemplateDirective') continue;
      switch (p.keyword) {
        case 'if':
        case 'for':
          open.push(p);
          break;
        case 'else':
          if (open[open.length - 1]?.keyword !== 'if') this.error(p, '%{ else } without a matching %{ if }');
          break;
        case 'endif':
        case 'endfor': {
          const want = p.keyword === 'endif' ? 'if' : 'for';
          if (open[open.length - 1]?.keyword === want) open.pop();
          else this.error(p, `%{ ${p.keyword} } without a matching %{ ${want} }`);
          break;
        }
        default:
          break;
      }
    }
    for (const d of open) this.error(d, `%{ ${d.keyword} } is not closed: add %{ end${d.keyword} }`);
  }

  /** `}` / `~}` of an interpolation or directive; on error skips to it if it is near. */
  private closeSequence(pc: Child[]): void {
    if (this.at('TemplateSeqEnd')) {
      this.next(pc);
      return;
    }
    this.error(this.peek(), "expected '}' to close the interpolation");
    // Skip tokens that belong to the broken sequence (never leave the template).
    for (let n = 0; n < 1000; n++) {
      if (this.toks[this.i].kind === 'Newline' && !this.ignoreNl[this.ignoreNl.length - 1]) return;
      const k = this.peek().kind;
      if (k === 'TemplateSeqEnd') {
        this.next(pc);
        return;
      }
      if (k === 'EOF' || k === 'CQuote' || k === 'CHeredoc' || k === 'QuotedLit' || k === 'StringLit') return;
      this.next(pc);
    }
  }

  private parseDirective(): TemplateDirective {
    const pc: Child[] = [];
    const start = this.startOf();
    this.next(pc);
    return this.withNewlines(true, () => {
      const kw = this.peek();
      let keyword: TemplateDirective['keyword'] = 'unknown';
      let expr: Expr | undefined;
      let keyVar: Token | undefined;
      let valueVar: Token | undefined;
      if (kw.kind === 'Ident' && ['if', 'else', 'endif', 'for', 'endfor'].includes(kw.text)) {
        keyword = kw.text as TemplateDirective['keyword'];
        this.next(pc);
        if (keyword === 'if') {
          expr = this.parseExpression();
          pc.push(expr);
        } else if (keyword === 'for') {
          const first = this.expect('Ident', pc, 'a variable name');
          if (this.at(',')) {
            this.next(pc);
            keyVar = first;
            valueVar = this.expect('Ident', pc, 'a variable name');
          } else valueVar = first;
          if (this.at('Ident') && this.peek().text === 'in') this.next(pc);
          else this.error(this.peek(), "expected 'in'");
          expr = this.parseExpression();
          pc.push(expr);
        }
      } else {
        this.error(kw, 'expected if, else, endif, for or endfor in a template directive');
      }
      this.closeSequence(pc);
      return { kind: 'TemplateDirective', span: this.span(start), children: pc, keyword, keyVar, valueVar, expr };
    });
  }
}

export type { Attribute, Block, Body };
