// ARM template expressions: "[func(arg, 'text').prop[0]]". Parses into a small tree; never throws.

export type Expr =
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: 'ident'; name: string }
  | { t: 'call'; name: string; args: Expr[] }
  | { t: 'member'; object: Expr; name: string }
  | { t: 'index'; object: Expr; index: Expr };

/** Whether a JSON string is an ARM expression (`[...]`, but not the `[[` escape). */
export function isExpression(s: string): boolean {
  const t = s.trim();
  return t.startsWith('[') && !t.startsWith('[[') && t.endsWith(']');
}

/** A JSON string's literal value: `[[x]` stands for the literal `[x]`. */
export function literalValue(s: string): string {
  return s.startsWith('[[') ? s.slice(1) : s;
}

/** Parses the inside of `[ … ]`; undefined when it is not a well-formed expression. */
export function parseExpression(source: string): Expr | undefined {
  const t = source.trim();
  const p = new ExprParser(t.slice(1, -1));
  const e = p.expr();
  p.skipSpace();
  return e && p.atEnd() ? e : undefined;
}

class ExprParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  expr(depth = 0): Expr | undefined {
    if (depth > 64) return undefined;
    this.skipSpace();
    let e = this.primary(depth);
    if (!e) return undefined;
    for (;;) {
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === '.') {
        this.pos++;
        const name = this.identifier();
        if (!name) return undefined;
        e = { t: 'member', object: e, name };
      } else if (c === '[') {
        this.pos++;
        const index = this.expr(depth + 1);
        this.skipSpace();
        if (!index || this.s[this.pos] !== ']') return undefined;
        this.pos++;
        e = { t: 'index', object: e, index };
      } else return e;
    }
  }

  private primary(depth: number): Expr | undefined {
    const c = this.s[this.pos];
    if (c === "'") return this.string();
    if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.pos));
      if (!m) return undefined;
      this.pos += m[0].length;
      return { t: 'number', value: Number(m[0]) };
    }
    const name = this.identifier();
    if (!name) return undefined;
    this.skipSpace();
    if (this.s[this.pos] !== '(') return { t: 'ident', name };
    this.pos++;
    const args: Expr[] = [];
    this.skipSpace();
    if (this.s[this.pos] === ')') {
      this.pos++;
      return { t: 'call', name, args };
    }
    for (;;) {
      const arg = this.expr(depth + 1);
      if (!arg) return undefined;
      args.push(arg);
      this.skipSpace();
      const sep = this.s[this.pos++];
      if (sep === ')') return { t: 'call', name, args };
      if (sep !== ',') return undefined;
    }
  }

  private identifier(): string | undefined {
    const m = /^[A-Za-z_$][\w$]*(?:::[A-Za-z_$][\w$]*)?/.exec(this.s.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private string(): Expr | undefined {
    let out = '';
    this.pos++; // opening quote
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (c === "'") {
        if (this.s[this.pos] === "'") {
          out += "'";
          this.pos++;
        } else return { t: 'string', value: out };
      } else out += c;
    }
    return undefined;
  }
}
