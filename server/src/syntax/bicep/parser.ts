// Error-tolerant recursive-descent parser for Bicep (templates and .bicepparam files).
// Newlines separate statements, object properties and array items; everywhere else they are
// trivia. Recovery: a declaration keyword at column 0 (`param x`, `resource y`, …) ends any open
// construct, so a half-typed declaration never swallows the declarations after it. Every loop
// checks progress, and nesting depth is capped, so the parser never throws and stays linear.
import type { Token, TokenKind, ScanError } from './scanner';
import type * as N from './nodes';

type Child = N.Child;
const MAX_DEPTH = 300;

const BINARY_PRECEDENCE: Partial<Record<TokenKind, number>> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4, '!=': 4, '=~': 4, '!~': 4,
  '<': 5, '<=': 5, '>': 5, '>=': 5,
  '+': 6, '-': 6,
  '*': 7, '/': 7, '%': 7,
};

const NAMED_DECLS = new Set(['param', 'var', 'output', 'resource', 'module', 'type', 'func', 'metadata', 'assert', 'test', 'extensionConfig']);

export class BicepParser {
  private i = 0;
  private lastEnd = 0;
  private depth = 0;
  private lastErrorAt = -1;
  readonly errors: ScanError[] = [];

  constructor(private readonly toks: Token[]) {}

  // ---- token helpers -------------------------------------------------------------------------

  private get cur(): Token {
    return this.toks[this.i];
  }
  private peek(k: number): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private eat(): Token {
    const t = this.toks[this.i];
    if (t.tk !== 'EOF') {
      this.i++;
      this.lastEnd = t.end;
    }
    return t;
  }
  private at(tk: TokenKind): boolean {
    return this.toks[this.i].tk === tk;
  }
  private atWord(word: string): boolean {
    const t = this.toks[this.i];
    return t.tk === 'Identifier' && t.text === word;
  }
  private error(start: number, end: number, message: string): void {
    if (start === this.lastErrorAt) return;
    this.lastErrorAt = start;
    this.errors.push({ span: { start, end }, message });
  }
  private errorHere(message: string): void {
    const t = this.cur;
    if (t.tk === 'EOF' || t.nl) this.error(this.lastEnd, this.lastEnd, message);
    else this.error(t.start, t.end, message);
  }
  private missing(message: string): N.MissingNode {
    this.errorHere(message);
    return { kind: 'Missing', start: this.lastEnd, end: this.lastEnd, children: [] };
  }
  /** Consumes a token of kind `tk` on the current line, or reports `message`. */
  private expect(tk: TokenKind, ch: Child[], message: string, sameLine = false): Token | undefined {
    const t = this.cur;
    if (t.tk === tk && !(sameLine && t.nl)) {
      ch.push(this.eat());
      return t;
    }
    this.errorHere(message);
    return undefined;
  }
  private expectWord(word: string, ch: Child[], message: string): Token | undefined {
    if (this.atWord(word) && !this.cur.nl) {
      const t = this.eat();
      ch.push(t);
      return t;
    }
    this.errorHere(message);
    return undefined;
  }
  /** An identifier on the current line (a declaration's name). */
  private expectName(ch: Child[], message: string): Token | undefined {
    const t = this.cur;
    if (t.tk === 'Identifier' && !t.nl) {
      ch.push(this.eat());
      return t;
    }
    this.errorHere(message);
    return undefined;
  }
  private fin<T extends N.SyntaxNode>(node: T): T {
    const ch = node.children;
    if (ch.length === 0) {
      node.start = node.end = this.lastEnd;
    } else {
      node.start = ch[0].start;
      node.end = ch[ch.length - 1].end;
    }
    return node;
  }
  /**
   * Beyond MAX_DEPTH: the operand here (prefix operators, then an atom or a bracketed group, then
   * its member accesses, calls and indexes) is skipped as one node; one error per file.
   */
  private tooDeep(what: string): N.SkippedNode | N.MissingNode {
    const first = this.cur;
    const tokens: Token[] = [];
    let depth = 0;
    let needOperand = true;
    for (;;) {
      const t = this.cur;
      if (t.tk === 'EOF') break;
      const opens = t.tk === '(' || t.tk === '[' || t.tk === '{' || t.tk === 'StringLeft' || t.tk === 'MultilineStringLeft';
      const closes = t.tk === ')' || t.tk === ']' || t.tk === '}' || t.tk === 'StringRight' || t.tk === 'MultilineStringRight';
      if (depth > 0) {
        if (t.nl && this.isBoundary()) break; // a declaration at column 0 closes whatever is open
        if (opens) depth++;
        else if (closes) depth--;
      } else if (t.nl && this.isBoundary() && tokens.length > 0) break;
      else if (needOperand) {
        if (t.tk === '!' || t.tk === '-' || t.tk === '+') {
          // a prefix operator: the operand follows
        } else if (opens) {
          depth++;
          needOperand = false;
        } else if (t.tk === 'Identifier' || t.tk === 'Number' || t.tk === 'String' || t.tk === 'MultilineString') needOperand = false;
        else break;
      } else if (!t.nl && (t.tk === '.' || t.tk === '.?')) needOperand = true;
      else if (!t.nl && (t.tk === '(' || t.tk === '[')) depth++;
      else break;
      tokens.push(this.eat());
    }
    if (!this.tooDeepReported) {
      this.tooDeepReported = true;
      this.error(first.start, first.end, `The ${what} is nested too deeply.`);
    }
    if (tokens.length === 0) return { kind: 'Missing', start: this.lastEnd, end: this.lastEnd, children: [] };
    return this.skipped(tokens);
  }
  private tooDeepReported = false;

  private skipped(tokens: Token[]): N.SkippedNode {
    return this.fin<N.SkippedNode>({ kind: 'Skipped', tokens, children: tokens, start: 0, end: 0 });
  }

  /** A token that starts a top-level declaration at column 0: it closes whatever is still open. */
  private isBoundary(idx: number = this.i): boolean {
    const t = this.toks[idx];
    if (!t.col0 || !t.nl) return false;
    const nx = this.toks[Math.min(idx + 1, this.toks.length - 1)];
    if (t.tk === '@') return nx.tk === 'Identifier' && !nx.nl;
    if (t.tk !== 'Identifier' || nx.nl) return false;
    const w = t.text;
    if (NAMED_DECLS.has(w)) return nx.tk === 'Identifier';
    switch (w) {
      case 'targetScope':
        return nx.tk === '=';
      case 'import':
        return nx.tk === '{' || nx.tk === '*' || nx.tk === 'String';
      case 'using':
      case 'extends':
        return nx.tk === 'String' || (nx.tk === 'Identifier' && nx.text === 'none');
      case 'extension':
      case 'provider':
        return nx.tk === 'Identifier' || nx.tk === 'String';
    }
    return false;
  }

  // ---- program and statements ----------------------------------------------------------------

  parseProgram(): N.ProgramNode {
    const statements: N.Statement[] = [];
    const ch: Child[] = [];
    while (!this.at('EOF')) {
      const before = this.i;
      const stmt = this.parseStatement();
      statements.push(stmt);
      ch.push(stmt);
      if (!this.at('EOF') && !this.cur.nl) {
        this.errorHere('Expected a new line after the declaration.');
        const toks: Token[] = [];
        while (!this.at('EOF') && !this.cur.nl) toks.push(this.eat());
        const bad = this.fin<N.BadStatement>({ kind: 'BadStatement', decorators: [], children: [this.skipped(toks)], start: 0, end: 0 });
        statements.push(bad);
        ch.push(bad);
      }
      if (this.i === before) {
        const bad = this.fin<N.BadStatement>({ kind: 'BadStatement', decorators: [], children: [this.skipped([this.eat()])], start: 0, end: 0 });
        statements.push(bad);
        ch.push(bad);
      }
    }
    const eof = this.cur;
    ch.push(eof);
    return this.fin<N.ProgramNode>({ kind: 'Program', statements, eof, children: ch, start: 0, end: 0 });
  }

  private parseDecorators(ch: Child[]): N.DecoratorNode[] {
    const out: N.DecoratorNode[] = [];
    while (this.at('@')) {
      const dch: Child[] = [this.eat()];
      const expr = this.cur.nl ? this.missing('Expected a decorator name after @.') : this.parsePostfix(this.parsePrimary());
      dch.push(expr);
      const d = this.fin<N.DecoratorNode>({ kind: 'Decorator', expr, children: dch, start: 0, end: 0 });
      out.push(d);
      ch.push(d);
    }
    return out;
  }

  private parseStatement(): N.Statement {
    const ch: Child[] = [];
    const decorators = this.parseDecorators(ch);
    const t = this.cur;
    // A declaration's decorators stand on lines of their own.
    if (decorators.length > 0 && !t.nl && t.tk !== 'EOF') this.errorHere('Expected a new line after the decorator.');
    if (t.tk === 'Identifier') {
      const nx = this.peek(1);
      const named = !nx.nl && (nx.tk === 'Identifier' || nx.tk === '=' || nx.tk === 'String' || nx.tk === '{' || nx.tk === '*');
      switch (t.text) {
        case 'targetScope': return this.parseTargetScope(ch, decorators);
        case 'metadata': return this.parseMetadata(ch, decorators);
        case 'param': return this.parseParam(ch, decorators);
        case 'var': return this.parseVar(ch, decorators);
        case 'output': return this.parseOutput(ch, decorators);
        case 'type': return this.parseTypeDecl(ch, decorators);
        case 'func': return this.parseFunc(ch, decorators);
        case 'resource': return this.parseResource(ch, decorators);
        case 'module': return this.parseModule(ch, decorators, 'ModuleDecl');
        case 'test': if (named) return this.parseModule(ch, decorators, 'TestDecl'); break;
        case 'import': return this.parseImport(ch, decorators);
        case 'using': return this.parseUsing(ch, decorators, 'UsingDecl');
        case 'extends': return this.parseUsing(ch, decorators, 'ExtendsDecl');
        case 'extension':
        case 'provider': return this.parseExtension(ch, decorators);
        case 'assert': if (named) return this.parseAssert(ch, decorators); break;
        case 'extensionConfig': if (named) return this.parseExtensionConfig(ch, decorators); break;
      }
    }
    if (t.tk !== 'EOF') this.error(t.start, t.end, 'Expected a declaration (param, var, resource, module, output, …).');
    else if (decorators.length > 0) this.errorHere('Expected a declaration after the decorators.');
    const toks: Token[] = [];
    // Skip to the next line start (at least one token, unless the line is empty after decorators).
    if (!this.at('EOF') && (decorators.length === 0 || !this.cur.nl)) {
      toks.push(this.eat());
      while (!this.at('EOF') && !this.cur.nl) toks.push(this.eat());
    }
    if (toks.length > 0) ch.push(this.skipped(toks));
    return this.fin<N.BadStatement>({ kind: 'BadStatement', decorators, children: ch, start: 0, end: 0 });
  }

  /** `= expression`, the value of a declaration. */
  private parseAssignedValue(ch: Child[]): N.Expr {
    if (!this.expect('=', ch, "Expected '=' and a value.", true)) {
      const m = this.missingQuiet();
      return m;
    }
    const v = this.cur.nl && this.isBoundary() ? this.missing('Expected a value.') : this.parseExpr();
    ch.push(v);
    return v;
  }
  private missingQuiet(): N.MissingNode {
    return { kind: 'Missing', start: this.lastEnd, end: this.lastEnd, children: [] };
  }

  private parseTargetScope(ch: Child[], decorators: N.DecoratorNode[]): N.TargetScopeDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const value = this.parseAssignedValue(ch);
    return this.fin<N.TargetScopeDecl>({ kind: 'TargetScopeDecl', decorators, keyword, value, children: ch, start: 0, end: 0 });
  }

  private parseMetadata(ch: Child[], decorators: N.DecoratorNode[]): N.MetadataDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a metadata name.');
    const value = name ? this.parseAssignedValue(ch) : this.missingQuiet();
    return this.fin<N.MetadataDecl>({ kind: 'MetadataDecl', decorators, keyword, name, value, children: ch, start: 0, end: 0 });
  }

  private parseParam(ch: Child[], decorators: N.DecoratorNode[]): N.ParamDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a parameter name.');
    let type: N.TypeExpr | undefined;
    let value: N.Expr | undefined;
    if (name) {
      if (this.at('=') && !this.cur.nl) {
        value = this.parseAssignedValue(ch);
      } else if ((this.cur.nl && !this.at('|')) || this.at('EOF')) {
        // A type may continue on the next lines as a union: `param x\n  | 'a'\n  | 'b'`.
        this.errorHere('Expected a parameter type.');
      } else {
        type = this.parseType();
        ch.push(type);
        if (this.at('=') && !this.cur.nl) value = this.parseAssignedValue(ch);
      }
    }
    return this.fin<N.ParamDecl>({ kind: 'ParamDecl', decorators, keyword, name, type, value, children: ch, start: 0, end: 0 });
  }

  private parseVar(ch: Child[], decorators: N.DecoratorNode[]): N.VarDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a variable name.');
    let type: N.TypeExpr | undefined;
    let value: N.Expr = this.missingQuiet();
    if (name) {
      if (!this.at('=') && !this.cur.nl && !this.at('EOF')) {
        type = this.parseType();
        ch.push(type);
      }
      value = this.parseAssignedValue(ch);
    }
    return this.fin<N.VarDecl>({ kind: 'VarDecl', decorators, keyword, name, type, value, children: ch, start: 0, end: 0 });
  }

  private parseOutput(ch: Child[], decorators: N.DecoratorNode[]): N.OutputDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected an output name.');
    let type: N.TypeExpr | undefined;
    let value: N.Expr = this.missingQuiet();
    if (name) {
      if (this.cur.nl || this.at('EOF') || this.at('=')) this.errorHere('Expected an output type.');
      else {
        type = this.parseType();
        ch.push(type);
      }
      value = this.parseAssignedValue(ch);
    }
    return this.fin<N.OutputDecl>({ kind: 'OutputDecl', decorators, keyword, name, type, value, children: ch, start: 0, end: 0 });
  }

  private parseTypeDecl(ch: Child[], decorators: N.DecoratorNode[]): N.TypeDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a type name.');
    let value: N.TypeExpr = this.missingQuiet();
    if (name && this.expect('=', ch, "Expected '=' and a type.", true)) {
      value = this.cur.nl && this.isBoundary() ? this.missing('Expected a type.') : this.parseType();
      ch.push(value);
    }
    return this.fin<N.TypeDecl>({ kind: 'TypeDecl', decorators, keyword, name, value, children: ch, start: 0, end: 0 });
  }

  private parseFunc(ch: Child[], decorators: N.DecoratorNode[]): N.FuncDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a function name.');
    const params: N.FuncParam[] = [];
    let returnType: N.TypeExpr | undefined;
    let body: N.Expr = this.missingQuiet();
    if (name && this.expect('(', ch, "Expected '(' and the function's parameters.", true)) {
      while (!this.at(')') && !this.at('EOF') && !this.isBoundary()) {
        const before = this.i;
        if (this.at(',')) {
          ch.push(this.eat());
          continue;
        }
        if (this.at('Identifier')) {
          const pch: Child[] = [this.eat()];
          const ptype = this.parseType();
          pch.push(ptype);
          const p = this.fin<N.FuncParam>({ kind: 'FuncParam', name: pch[0] as Token, type: ptype, children: pch, start: 0, end: 0 });
          params.push(p);
          ch.push(p);
        } else this.errorHere('Expected a parameter name.');
        if (this.i === before) ch.push(this.skipped([this.eat()]));
      }
      this.expect(')', ch, "Expected ')'.");
      if (!this.at('=>')) {
        returnType = this.parseType();
        ch.push(returnType);
      }
      if (this.expect('=>', ch, "Expected '=>' and the function body.")) {
        body = this.parseExpr();
        ch.push(body);
      }
    }
    return this.fin<N.FuncDecl>({ kind: 'FuncDecl', decorators, keyword, name, params, returnType, body, children: ch, start: 0, end: 0 });
  }

  /** A string literal or interpolated string on the current line. */
  private parseStringOnLine(ch: Child[], message: string): N.StringExpr | undefined {
    if ((this.at('String') || this.at('StringLeft')) && !this.cur.nl) {
      const s = this.parseString();
      ch.push(s);
      return s;
    }
    this.errorHere(message);
    return undefined;
  }

  private parseDeclBody(ch: Child[]): N.Expr {
    if (!this.expect('=', ch, "Expected '=' and the body.", true)) return this.missingQuiet();
    let value: N.Expr;
    if (this.atWord('if')) value = this.parseIf();
    else if (this.at('{') || this.at('[')) value = this.parsePrimary();
    else value = this.missing("Expected '{', 'if' or '[for'.");
    ch.push(value);
    return value;
  }

  private parseResource(ch: Child[], decorators: N.DecoratorNode[]): N.ResourceDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected a resource name.');
    let typeString: N.StringExpr | undefined;
    let existing: Token | undefined;
    let value: N.Expr = this.missingQuiet();
    if (name) typeString = this.parseStringOnLine(ch, "Expected the resource type, e.g. 'Microsoft.Databricks/workspaces@2024-05-01'.");
    if (typeString) {
      if (this.atWord('existing') && !this.cur.nl) {
        existing = this.eat();
        ch.push(existing);
      }
      value = this.parseDeclBody(ch);
    }
    return this.fin<N.ResourceDecl>({ kind: 'ResourceDecl', decorators, keyword, name, typeString, existing, value, children: ch, start: 0, end: 0 });
  }

  private parseModule(ch: Child[], decorators: N.DecoratorNode[], kind: 'ModuleDecl' | 'TestDecl'): N.ModuleDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, kind === 'ModuleDecl' ? 'Expected a module name.' : 'Expected a test name.');
    let path: N.StringExpr | undefined;
    let value: N.Expr = this.missingQuiet();
    if (name) path = this.parseStringOnLine(ch, "Expected the module path, e.g. './module.bicep'.");
    if (path) value = this.parseDeclBody(ch);
    return this.fin<N.ModuleDecl>({ kind, decorators, keyword, name, path, value, children: ch, start: 0, end: 0 });
  }

  private parseImport(ch: Child[], decorators: N.DecoratorNode[]): N.ImportDecl {
    const keyword = this.eat();
    ch.push(keyword);
    let path: N.StringExpr | undefined;
    if (this.at('{') && !this.cur.nl) {
      ch.push(this.eat());
      while (!this.at('}') && !this.at('EOF') && !this.isBoundary()) {
        const before = this.i;
        if (this.at(',')) ch.push(this.eat());
        else if (this.at('Identifier') || this.at('String')) {
          const ich: Child[] = [];
          const nameNode: Token | N.StringExpr = this.at('String') ? this.parseString() : this.eat();
          ich.push(nameNode);
          let alias: Token | undefined;
          if (this.atWord('as')) {
            ich.push(this.eat());
            alias = this.expectName(ich, 'Expected a name after as.');
          }
          ch.push(this.fin<N.ImportItem>({ kind: 'ImportItem', name: nameNode, alias, children: ich, start: 0, end: 0 }));
        } else this.errorHere('Expected a name to import.');
        if (this.i === before) ch.push(this.skipped([this.eat()]));
      }
      this.expect('}', ch, "Expected '}'.");
      if (this.expectWord('from', ch, "Expected 'from' and a path.")) path = this.parseStringOnLine(ch, 'Expected a path.');
    } else if (this.at('*') && !this.cur.nl) {
      ch.push(this.eat());
      if (this.expectWord('as', ch, "Expected 'as' and a name.")) this.expectName(ch, 'Expected a name.');
      if (this.expectWord('from', ch, "Expected 'from' and a path.")) path = this.parseStringOnLine(ch, 'Expected a path.');
    } else {
      path = this.parseStringOnLine(ch, "Expected '{', '*' or a path.");
      this.parseWithAs(ch);
    }
    return this.fin<N.ImportDecl>({ kind: 'ImportDecl', decorators, keyword, path, children: ch, start: 0, end: 0 });
  }

  /** Optional `with {…}` and `as name` of imports and extensions. */
  private parseWithAs(ch: Child[]): void {
    if (this.atWord('with') && !this.cur.nl) {
      ch.push(this.eat());
      const cfg = this.parseExpr();
      ch.push(cfg);
    }
    if (this.atWord('as') && !this.cur.nl) {
      ch.push(this.eat());
      this.expectName(ch, 'Expected a name after as.');
    }
  }

  private parseUsing(ch: Child[], decorators: N.DecoratorNode[], kind: 'UsingDecl' | 'ExtendsDecl'): N.UsingDecl | N.ExtendsDecl {
    const keyword = this.eat();
    ch.push(keyword);
    let path: N.StringExpr | undefined;
    if (kind === 'UsingDecl' && this.atWord('none') && !this.cur.nl) ch.push(this.eat());
    else path = this.parseStringOnLine(ch, 'Expected a path.');
    this.parseWithAs(ch);
    if (kind === 'UsingDecl') return this.fin<N.UsingDecl>({ kind, decorators, keyword, path, children: ch, start: 0, end: 0 });
    return this.fin<N.ExtendsDecl>({ kind, decorators, keyword, path, children: ch, start: 0, end: 0 });
  }

  private parseExtension(ch: Child[], decorators: N.DecoratorNode[]): N.ExtensionDecl {
    const keyword = this.eat();
    ch.push(keyword);
    if (this.at('Identifier') && !this.cur.nl) ch.push(this.eat());
    else this.parseStringOnLine(ch, 'Expected an extension name.');
    this.parseWithAs(ch);
    return this.fin<N.ExtensionDecl>({ kind: 'ExtensionDecl', decorators, keyword, children: ch, start: 0, end: 0 });
  }

  private parseExtensionConfig(ch: Child[], decorators: N.DecoratorNode[]): N.ExtensionConfigDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected an extension name.');
    if (name) this.parseWithAs(ch);
    return this.fin<N.ExtensionConfigDecl>({ kind: 'ExtensionConfigDecl', decorators, keyword, name, children: ch, start: 0, end: 0 });
  }

  private parseAssert(ch: Child[], decorators: N.DecoratorNode[]): N.AssertDecl {
    const keyword = this.eat();
    ch.push(keyword);
    const name = this.expectName(ch, 'Expected an assertion name.');
    const value = name ? this.parseAssignedValue(ch) : this.missingQuiet();
    return this.fin<N.AssertDecl>({ kind: 'AssertDecl', decorators, keyword, name, value, children: ch, start: 0, end: 0 });
  }

  // ---- expressions ---------------------------------------------------------------------------

  parseExpr(): N.Expr {
    if (this.depth > MAX_DEPTH) return this.tooDeep('expression');
    this.depth++;
    try {
      const cond = this.parseBinary(1);
      if (!this.at('?')) return cond;
      const ch: Child[] = [cond, this.eat()];
      const then = this.parseExpr();
      ch.push(then);
      let other: N.Expr;
      if (this.expect(':', ch, "Expected ':' and the other value.")) {
        other = this.parseExpr();
        ch.push(other);
      } else other = this.missingQuiet();
      return this.fin<N.TernaryExpr>({ kind: 'Ternary', cond, then, else: other, children: ch, start: 0, end: 0 });
    } finally {
      this.depth--;
    }
  }

  private parseBinary(minPrec: number): N.Expr {
    let left = this.parseUnary();
    for (;;) {
      const op = this.cur;
      const prec = BINARY_PRECEDENCE[op.tk];
      if (prec === undefined || prec < minPrec) break;
      // `-1` on a new line is the next array item, not a subtraction.
      if (op.nl && op.tk === '-') break;
      this.eat();
      // Left-associative for every operator (for `??` the grouping does not change the result),
      // so long chains build iteratively instead of recursing.
      const right = this.parseBinary(prec + 1);
      left = this.fin<N.BinaryExpr>({ kind: 'Binary', left, op, right, children: [left, op, right], start: 0, end: 0 });
    }
    return left;
  }

  private parseUnary(): N.Expr {
    const t = this.cur;
    if ((t.tk === '!' || t.tk === '-' || t.tk === '+') && !(t.nl && this.isBoundary())) {
      if (this.depth > MAX_DEPTH) return this.tooDeep('expression');
      this.depth++;
      try {
        this.eat();
        const operand = this.parseUnary();
        return this.fin<N.UnaryExpr>({ kind: 'Unary', op: t, operand, children: [t, operand], start: 0, end: 0 });
      } finally {
        this.depth--;
      }
    }
    return this.parsePostfix(this.parsePrimary());
  }

  parsePostfix(base: N.Expr): N.Expr {
    for (;;) {
      const t = this.cur;
      if (t.tk === '.' || t.tk === '.?' || t.tk === '::') {
        this.eat();
        const ch: Child[] = [base, t];
        let name: Token | undefined;
        if (this.at('Identifier') && !this.cur.nl) name = this.eat();
        else this.errorHere('Expected a property name.');
        if (name) ch.push(name);
        base = this.fin<N.MemberExpr>({ kind: 'Member', base, op: t, name, children: ch, start: 0, end: 0 });
      } else if (t.tk === '[' && !t.nl) {
        this.eat();
        const ch: Child[] = [base, t];
        let safe = false;
        let fromEnd = false;
        if (this.at('?')) {
          safe = true;
          ch.push(this.eat());
        }
        if (this.at('^')) {
          fromEnd = true;
          ch.push(this.eat());
        }
        const index = this.parseExpr();
        ch.push(index);
        this.expect(']', ch, "Expected ']'.");
        base = this.fin<N.IndexExpr>({ kind: 'Index', base, safe, fromEnd, index, children: ch, start: 0, end: 0 });
      } else if (t.tk === '(' && !t.nl) {
        const ch: Child[] = [base];
        const args = this.parseArgs(ch);
        base = this.fin<N.CallExpr>({ kind: 'Call', callee: base, args, children: ch, start: 0, end: 0 });
      } else if (t.tk === '!' && !t.nl) {
        this.eat();
        base = this.fin<N.NonNullExpr>({ kind: 'NonNull', base, children: [base, t], start: 0, end: 0 });
      } else return base;
    }
  }

  /** `( a, b, … )` — newlines inside are insignificant. */
  private parseArgs(ch: Child[]): N.Expr[] {
    const args: N.Expr[] = [];
    ch.push(this.eat());
    let expectItem = true;
    while (!this.at(')') && !this.at('EOF') && !this.isBoundary()) {
      const before = this.i;
      if (this.at(',')) {
        if (expectItem) this.errorHere('Expected an argument.');
        ch.push(this.eat());
        expectItem = true;
        continue;
      }
      if (!expectItem) this.errorHere("Expected ',' or ')'.");
      const e = this.parseExpr();
      args.push(e);
      ch.push(e);
      expectItem = false;
      if (this.i === before) ch.push(this.skipped([this.eat()]));
    }
    this.expect(')', ch, "Expected ')'.");
    return args;
  }

  parsePrimary(): N.Expr {
    const t = this.cur;
    if (t.nl && this.isBoundary()) return this.missing('Expected an expression.');
    if (this.depth > MAX_DEPTH) return this.tooDeep('expression');
    switch (t.tk) {
      case 'Identifier': {
        if (this.peek(1).tk === '=>') {
          this.eat();
          const arrow = this.eat();
          const body = this.parseExpr();
          return this.fin<N.LambdaExpr>({ kind: 'Lambda', params: [t], body, children: [t, arrow, body], start: 0, end: 0 });
        }
        this.eat();
        if (t.text === 'true' || t.text === 'false')
          return this.fin<N.BoolExpr>({ kind: 'Bool', token: t, value: t.text === 'true', children: [t], start: 0, end: 0 });
        if (t.text === 'null') return this.fin<N.NullExpr>({ kind: 'Null', token: t, children: [t], start: 0, end: 0 });
        return this.fin<N.IdentExpr>({ kind: 'Ident', token: t, name: t.text, children: [t], start: 0, end: 0 });
      }
      case 'Number':
        this.eat();
        return this.fin<N.NumberExpr>({ kind: 'Number', token: t, children: [t], start: 0, end: 0 });
      case 'String':
      case 'StringLeft':
      case 'MultilineStringLeft':
        return this.parseString();
      case 'MultilineString':
        this.eat();
        return this.fin<N.MultilineStringExpr>({ kind: 'MultilineString', token: t, children: [t], start: 0, end: 0 });
      case '(':
        return this.parseParenOrLambda();
      case '{':
        return this.withDepth(() => this.parseObject());
      case '[':
        return this.withDepth(() => this.parseArray());
    }
    return this.missing('Expected an expression.');
  }

  private withDepth<T>(f: () => T): T {
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  parseString(): N.StringExpr {
    const first = this.eat();
    const ch: Child[] = [first];
    const pieces: Token[] = [first];
    const exprs: N.Expr[] = [];
    if (first.tk === 'StringLeft' || first.tk === 'MultilineStringLeft') {
      const multi = first.tk === 'MultilineStringLeft';
      for (;;) {
        const e = this.parseExpr();
        exprs.push(e);
        ch.push(e);
        const t = this.cur;
        if (t.tk === (multi ? 'MultilineStringMiddle' : 'StringMiddle')) {
          pieces.push(this.eat());
          ch.push(t);
          continue;
        }
        if (t.tk === (multi ? 'MultilineStringRight' : 'StringRight')) {
          pieces.push(this.eat());
          ch.push(t);
          break;
        }
        this.errorHere("Expected '}' to close the interpolation.");
        break;
      }
    }
    return this.fin<N.StringExpr>({ kind: 'String', pieces, exprs, children: ch, start: 0, end: 0 });
  }

  private parseParenOrLambda(): N.Expr {
    return this.withDepth(() => {
      const open = this.eat();
      const ch: Child[] = [open];
      const items: N.Expr[] = [];
      while (!this.at(')') && !this.at('EOF') && !this.isBoundary()) {
        const before = this.i;
        if (this.at(',')) {
          ch.push(this.eat());
          continue;
        }
        const e = this.parseExpr();
        items.push(e);
        ch.push(e);
        if (this.i === before) ch.push(this.skipped([this.eat()]));
      }
      this.expect(')', ch, "Expected ')'.");
      if (this.at('=>')) {
        ch.push(this.eat());
        const params: Token[] = [];
        for (const it of items) {
          if (it.kind === 'Ident') params.push(it.token);
          else this.error(it.start, it.end, 'Expected a parameter name.');
        }
        const body = this.parseExpr();
        ch.push(body);
        return this.fin<N.LambdaExpr>({ kind: 'Lambda', params, body, children: ch, start: 0, end: 0 });
      }
      if (items.length !== 1) this.error(open.start, this.lastEnd, items.length === 0 ? 'Expected an expression.' : "Expected ')'.");
      const expr = items[0] ?? this.missingQuiet();
      return this.fin<N.ParenExpr>({ kind: 'Paren', expr, children: ch, start: 0, end: 0 });
    });
  }

  private parseIf(): N.IfExpr {
    const kw = this.eat();
    const ch: Child[] = [kw];
    let cond: N.Expr;
    if (this.at('(') && !this.cur.nl) cond = this.parseParenOrLambda();
    else cond = this.missing("Expected '(' and a condition.");
    ch.push(cond);
    let body: N.Expr;
    if (this.at('{')) body = this.parsePrimary();
    else body = this.missing("Expected '{'.");
    ch.push(body);
    return this.fin<N.IfExpr>({ kind: 'If', cond, body, children: ch, start: 0, end: 0 });
  }

  /** Separator check after an object member or array item: a new line, ',' or the closer. */
  private checkSeparator(close: TokenKind): void {
    const t = this.cur;
    if (t.nl || t.tk === ',' || t.tk === close || t.tk === 'EOF') return;
    this.errorHere(`Expected a new line, ',' or '${close}'.`);
  }

  /**
   * The members of `{…}` or `[…]` after the opener: separators (new lines or commas), the closer,
   * and recovery — a token no member starts with is skipped (kept as a member when `skippedIsMember`).
   */
  private parseDelimited<T extends Child>(
    ch: Child[],
    close: '}' | ']',
    what: string,
    members: (T | N.SkippedNode)[],
    skippedIsMember: boolean,
    parseMember: () => T | undefined,
  ): void {
    for (;;) {
      const t = this.cur;
      if (t.tk === close) {
        ch.push(this.eat());
        return;
      }
      if (t.tk === 'EOF' || this.isBoundary()) {
        this.errorHere(`Expected '${close}' to close the ${what}.`);
        return;
      }
      if (t.tk === ',') {
        ch.push(this.eat());
        // Commas separate members of one-line objects and arrays only.
        if (this.cur.nl && this.cur.tk !== 'EOF') this.errorHere("Unexpected new line after ','.");
        continue;
      }
      const before = this.i;
      const m = parseMember();
      if (m) {
        members.push(m);
        ch.push(m);
      }
      if (this.i === before) {
        const skipped = this.skipped([this.eat()]);
        if (skippedIsMember) members.push(skipped);
        ch.push(skipped);
        continue;
      }
      this.checkSeparator(close);
    }
  }

  private parseObject(): N.ObjectExpr {
    const ch: Child[] = [this.eat()];
    const members: N.ObjectMember[] = [];
    this.parseDelimited(ch, '}', 'object', members, true, () => this.parseObjectMember());
    return this.fin<N.ObjectExpr>({ kind: 'Object', members, children: ch, start: 0, end: 0 });
  }

  private parseObjectMember(): N.ObjectMember | undefined {
    const ch: Child[] = [];
    const decorators = this.parseDecorators(ch);
    const t = this.cur;
    if (decorators.length > 0 && (t.tk === 'EOF' || this.isBoundary())) {
      // Decorators typed above a declaration that follows: they do not take it into the object.
      const key = this.missing('Expected a property after the decorators.');
      ch.push(key);
      return this.fin<N.PropertyNode>({ kind: 'Property', decorators, key, value: this.missingQuiet(), children: ch, start: 0, end: 0 });
    }
    if (t.tk === 'Identifier' && t.text === 'resource' && this.peek(1).tk === 'Identifier' && !this.peek(1).nl) {
      return this.parseResource(ch, decorators);
    }
    if (t.tk === '...') {
      ch.push(this.eat());
      const expr = this.parseExpr();
      ch.push(expr);
      return this.fin<N.SpreadNode>({ kind: 'Spread', expr, children: ch, start: 0, end: 0 });
    }
    let key: Token | N.StringExpr | N.MissingNode;
    if (t.tk === 'Identifier' || t.tk === 'Number') key = this.eat();
    else if (t.tk === 'String' || t.tk === 'StringLeft') key = this.parseString();
    else if (t.tk === 'MultilineString') key = this.eat();
    else {
      if (decorators.length === 0) {
        this.errorHere('Expected a property name.');
        return undefined;
      }
      key = this.missing('Expected a property name.');
    }
    ch.push(key);
    let value: N.Expr;
    if (this.expect(':', ch, "Expected ':' and a value.", true)) {
      value = this.cur.nl && (this.isBoundary() || this.at('}')) ? this.missing('Expected a value.') : this.parseExpr();
      ch.push(value);
    } else value = this.missingQuiet();
    return this.fin<N.PropertyNode>({ kind: 'Property', decorators, key, value, children: ch, start: 0, end: 0 });
  }

  private parseArray(): N.Expr {
    const open = this.eat();
    const ch: Child[] = [open];
    if (this.atWord('for') && (this.peek(1).tk === 'Identifier' || this.peek(1).tk === '(')) return this.parseFor(ch);
    const items: (N.Expr | N.SpreadNode)[] = [];
    this.parseDelimited(ch, ']', 'array', items, false, (): N.Expr | N.SpreadNode => {
      if (!this.at('...')) return this.parseExpr();
      const sch: Child[] = [this.eat()];
      const inner = this.parseExpr();
      sch.push(inner);
      return this.fin<N.SpreadNode>({ kind: 'Spread', expr: inner, children: sch, start: 0, end: 0 });
    });
    return this.fin<N.ArrayExpr>({ kind: 'Array', items, children: ch, start: 0, end: 0 });
  }

  private parseFor(ch: Child[]): N.ForExpr {
    ch.push(this.eat());
    let itemVar: Token | undefined;
    let indexVar: Token | undefined;
    if (this.at('(')) {
      ch.push(this.eat());
      itemVar = this.expectName(ch, 'Expected the item variable.');
      if (this.expect(',', ch, "Expected ',' and the index variable.")) indexVar = this.expectName(ch, 'Expected the index variable.');
      this.expect(')', ch, "Expected ')'.");
    } else itemVar = this.expectName(ch, 'Expected the item variable.');
    let source: N.Expr = this.missingQuiet();
    let body: N.Expr = this.missingQuiet();
    if (this.expectWord('in', ch, "Expected 'in' and a collection.")) {
      source = this.parseExpr();
      ch.push(source);
      if (this.expect(':', ch, "Expected ':' and the loop body.")) {
        body = this.atWord('if') && (this.peek(1).tk === '(') ? this.parseIf() : this.parseExpr();
        ch.push(body);
      }
    }
    if (!this.at(']') || this.isBoundary()) {
      // Skip what is left of a broken loop up to its ']' on the same nesting level, but not past a declaration.
      this.errorHere("Expected ']' to close the loop.");
    } else ch.push(this.eat());
    return this.fin<N.ForExpr>({ kind: 'For', itemVar, indexVar, source, body, children: ch, start: 0, end: 0 });
  }

  // ---- types ---------------------------------------------------------------------------------

  parseType(): N.TypeExpr {
    if (this.depth > MAX_DEPTH) return this.tooDeep('type');
    this.depth++;
    try {
      const ch: Child[] = [];
      if (this.at('|')) ch.push(this.eat());
      const first = this.parseTypePostfix();
      if (!this.at('|') && ch.length === 0) return first;
      const members: N.TypeExpr[] = [first];
      ch.push(first);
      while (this.at('|')) {
        ch.push(this.eat());
        const m = this.parseTypePostfix();
        members.push(m);
        ch.push(m);
      }
      return this.fin<N.UnionType>({ kind: 'UnionType', members, children: ch, start: 0, end: 0 });
    } finally {
      this.depth--;
    }
  }

  private parseTypePostfix(): N.TypeExpr {
    let base = this.parseTypePrimary();
    for (;;) {
      const t = this.cur;
      if (t.nl) return base;
      if (t.tk === '[') {
        const ch: Child[] = [base, this.eat()];
        if (this.at(']')) {
          ch.push(this.eat());
          base = this.fin<N.ArrayType>({ kind: 'ArrayType', item: base, children: ch, start: 0, end: 0 });
        } else {
          if (this.at('*') || this.at('Number')) ch.push(this.eat());
          else this.errorHere("Expected ']', '*' or an index.");
          this.expect(']', ch, "Expected ']'.");
          base = this.fin<N.TypeIndex>({ kind: 'TypeIndex', base, children: ch, start: 0, end: 0 });
        }
      } else if (t.tk === '?') {
        base = this.fin<N.NullableType>({ kind: 'NullableType', base, children: [base, this.eat()], start: 0, end: 0 });
      } else if (t.tk === '!') {
        base = this.fin<N.NonNullType>({ kind: 'NonNullType', base, children: [base, this.eat()], start: 0, end: 0 });
      } else if (t.tk === '.') {
        const ch: Child[] = [base, this.eat()];
        let name: Token | undefined;
        if ((this.at('Identifier') || this.at('*')) && !this.cur.nl) {
          name = this.eat();
          ch.push(name);
        } else this.errorHere('Expected a property name.');
        base = this.fin<N.TypeMember>({ kind: 'TypeMember', base, name, children: ch, start: 0, end: 0 });
      } else if (t.tk === '<' && (base.kind === 'TypeRef' || base.kind === 'TypeMember')) {
        const ch: Child[] = [base, this.eat()];
        const args: N.TypeExpr[] = [];
        while (!this.at('>') && !this.at('EOF') && !this.isBoundary()) {
          const before = this.i;
          if (this.at(',')) {
            ch.push(this.eat());
            continue;
          }
          const a = this.parseType();
          args.push(a);
          ch.push(a);
          if (this.i === before) ch.push(this.skipped([this.eat()]));
        }
        this.expect('>', ch, "Expected '>'.");
        base = this.fin<N.TypeArgs>({ kind: 'TypeArgs', base, args, children: ch, start: 0, end: 0 });
      } else return base;
    }
  }

  private parseTypePrimary(): N.TypeExpr {
    const t = this.cur;
    if (t.nl && this.isBoundary()) return this.missing('Expected a type.');
    switch (t.tk) {
      case 'Identifier': {
        if (t.text === 'resource' && (this.peek(1).tk === 'String' || this.peek(1).tk === 'StringLeft') && !this.peek(1).nl) {
          const ch: Child[] = [this.eat()];
          const typeString = this.parseString();
          ch.push(typeString);
          return this.fin<N.ResourceType>({ kind: 'ResourceType', typeString, children: ch, start: 0, end: 0 });
        }
        if (t.text === 'true' || t.text === 'false' || t.text === 'null') {
          const e = this.parsePrimary();
          return e as N.BoolExpr | N.NullExpr;
        }
        this.eat();
        return this.fin<N.TypeRef>({ kind: 'TypeRef', name: t, children: [t], start: 0, end: 0 });
      }
      case 'String':
      case 'StringLeft':
      case 'MultilineStringLeft':
        return this.parseString();
      case 'MultilineString':
      case 'Number': {
        const e = this.parsePrimary();
        return e as N.NumberExpr | N.MultilineStringExpr;
      }
      case '-':
      case '!': {
        if (this.depth > MAX_DEPTH) return this.tooDeep('type');
        this.eat();
        this.depth++;
        let operand: N.TypeExpr;
        try {
          operand = this.parseTypePrimary();
        } finally {
          this.depth--;
        }
        return this.fin<N.UnaryExpr>({ kind: 'Unary', op: t, operand: operand as N.Expr, children: [t, operand], start: 0, end: 0 });
      }
      case '(': {
        const ch: Child[] = [this.eat()];
        const inner = this.parseType();
        ch.push(inner);
        this.expect(')', ch, "Expected ')'.");
        return this.fin<N.ParenType>({ kind: 'ParenType', type: inner, children: ch, start: 0, end: 0 });
      }
      case '{':
        return this.withDepth(() => this.parseObjectType());
      case '[':
        return this.withDepth(() => this.parseTupleType());
    }
    return this.missing('Expected a type.');
  }

  private parseObjectType(): N.ObjectType {
    const ch: Child[] = [this.eat()];
    const members: (N.TypeProperty | N.SkippedNode)[] = [];
    this.parseDelimited(ch, '}', 'type', members, true, (): N.TypeProperty | undefined => {
      const pch: Child[] = [];
      const decorators = this.parseDecorators(pch);
      const k = this.cur;
      let key: Token | N.StringExpr | N.MissingNode;
      if (decorators.length > 0 && this.isBoundary()) key = this.missing('Expected a property after the decorators.');
      else if (k.tk === 'Identifier' || k.tk === '*' || k.tk === 'Number') key = this.eat();
      else if (k.tk === 'String' || k.tk === 'StringLeft') key = this.parseString();
      else key = this.missing('Expected a property name.');
      if (!('tk' in key) && key.kind === 'Missing' && decorators.length === 0) return undefined;
      pch.push(key);
      let value: N.TypeExpr = this.missingQuiet();
      if (this.expect(':', pch, "Expected ':' and a type.", true)) {
        value = this.parseType();
        pch.push(value);
      }
      return this.fin<N.TypeProperty>({ kind: 'TypeProperty', decorators, key, value, children: pch, start: 0, end: 0 });
    });
    return this.fin<N.ObjectType>({ kind: 'ObjectType', members, children: ch, start: 0, end: 0 });
  }

  private parseTupleType(): N.TupleType {
    const ch: Child[] = [this.eat()];
    const items: N.TypeExpr[] = [];
    this.parseDelimited(ch, ']', 'type', items, false, (): N.TypeExpr => {
      if (!this.at('@')) return this.parseType();
      const dch: Child[] = [];
      const decorators = this.parseDecorators(dch);
      const inner = this.parseType();
      dch.push(inner);
      return this.fin<N.DecoratedType>({ kind: 'DecoratedType', decorators, type: inner, children: dch, start: 0, end: 0 });
    });
    return this.fin<N.TupleType>({ kind: 'TupleType', items, children: ch, start: 0, end: 0 });
  }
}
