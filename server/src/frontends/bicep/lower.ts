// Lowers Bicep files into the resource model: resources (nested, `parent:`, `scope:`, loops and
// conditions), local modules with their params bound, and `.bicepparam` values, evaluating the
// expressions that rules read. Anything that cannot be evaluated stays `unknown`.
import { dirname, resolve } from 'node:path';
import type { ArrayValue, Dialect, Note, ObjectValue, Origin, Property, RefValue, Resource, SourceFile, Unit, Value } from '../../model/types';
import type { Span } from '../../text';
import { parseBicep } from '../../syntax/bicep/index';
import { bicepModuleRefs } from '../../syntax/bicep/moduleRefs';
import { ParseMemo } from '../../syntax/memo';
import { NameIndex } from '../names';
import type * as N from '../../syntax/bicep/nodes';
import type { Token } from '../../syntax/bicep/scanner';
import type { FileHost, LoadOptions } from '../types';
import { boundedHost, insideBoundary, outsideNote } from '../boundary';

const MAX_MODULE_DEPTH = 8;
/** Key in a module's supplied values meaning: the caller's params are not all visible, so no default can be trusted. */
const ALL_PARAMS_UNKNOWN = '\u0000*';
const MAX_EVAL_DEPTH = 200;
const MAX_PARAM_FILES = 50;
/** Loops over known arrays up to this length are expanded (one value or resource per element). */
const MAX_LOOP_ITEMS = 64;

type FileDialect = SourceFile['dialect'];

interface ParsedFile {
  path: string;
  text: string;
  tree: N.ProgramNode;
  source: SourceFile;
}

function unknown(reason: string, loc?: Value['loc']): Value {
  return loc ? { kind: 'unknown', reason, loc } : { kind: 'unknown', reason };
}

/** Decodes the text of a single-line Bicep string piece (without its delimiters). */
export function unescapeBicep(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c !== '\\' || k + 1 >= raw.length) {
      out += c;
      continue;
    }
    const d = raw[++k];
    if (d === 'n') out += '\n';
    else if (d === 'r') out += '\r';
    else if (d === 't') out += '\t';
    else if (d === 'u' && raw[k + 1] === '{') {
      const close = raw.indexOf('}', k);
      const cp = close > 0 ? parseInt(raw.slice(k + 2, close), 16) : NaN;
      if (Number.isFinite(cp) && cp <= 0x10ffff) {
        out += String.fromCodePoint(cp);
        k = close;
      } else out += d;
    } else out += d; // \\ \' \$ and unknown escapes
  }
  return out;
}

/** The text between a string piece's delimiters: `'a${` → `a`, `}b'` → `b`, `$'''a${` → `a`. */
function pieceText(t: Token, dollars = 1): string {
  const s = t.text;
  if (t.tk === 'MultilineStringLeft' || t.tk === 'MultilineStringMiddle' || t.tk === 'MultilineStringRight') {
    // Multi-line strings have no escapes; a hole opener is `dollars` × `$` and `{`.
    let from = 1;
    if (t.tk === 'MultilineStringLeft') {
      from = 0;
      while (s[from] === '$') from++;
      from += 3;
    }
    const to = t.tk === 'MultilineStringRight' ? s.length - 3 : s.length - dollars - 1;
    let body = s.slice(from, Math.max(from, to));
    if (t.tk === 'MultilineStringLeft') body = body.replace(/^\r?\n/, '');
    return body;
  }
  const from = 1;
  let to = s.length;
  if (t.tk === 'String' || t.tk === 'StringRight') to = s.endsWith("'") && s.length > 1 ? s.length - 1 : s.length;
  else to = s.endsWith('${') ? s.length - 2 : s.length;
  return unescapeBicep(s.slice(from, to));
}

/** Whether a string token has its closing quote (a string still being typed has not). */
function isTerminated(t: Token): boolean {
  const s = t.text;
  if (t.tk === 'MultilineString' || t.tk === 'MultilineStringRight') return /'''$/.test(s.replace(/^\$+/, '')) && s.replace(/^\$+/, '').length >= (t.tk === 'MultilineString' ? 6 : 4);
  if (t.tk !== 'String' && t.tk !== 'StringRight') return true;
  if (s.length < 2 || !s.endsWith("'")) return false;
  let backslashes = 0;
  for (let k = s.length - 2; k >= 1 && s[k] === '\\'; k--) backslashes++;
  return backslashes % 2 === 0;
}

/** The literal string of a string expression without interpolation. */
export function literalString(e: N.StringExpr | N.MultilineStringExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'MultilineString') {
    if (!isTerminated(e.token)) return undefined;
    const raw = e.token.text.replace(/^\$+/, '');
    let s = raw.slice(3, raw.length >= 6 ? -3 : undefined);
    if (s.startsWith('\r\n')) s = s.slice(2);
    else if (s.startsWith('\n')) s = s.slice(1);
    return s;
  }
  if (e.exprs.length > 0 || e.pieces.length !== 1 || !isTerminated(e.pieces[0])) return undefined;
  return pieceText(e.pieces[0]);
}

function keyName(key: Token | N.StringExpr | N.MissingNode): string | undefined {
  if ('tk' in key) {
    if (key.tk === 'Identifier' || key.tk === 'Number') return key.text;
    return undefined;
  }
  if (key.kind === 'String') return literalString(key);
  return undefined;
}

function isRegistryPath(p: string): boolean {
  return /^(br|ts)[:/]/i.test(p);
}


/** Where a value came from, so identical sources (one param passed down to modules) can be matched. */
const valueSource = new WeakMap<object, object>();

/** A module parameter's value, marked with the caller's argument that passed it (the outermost one wins). */
function withPassedAt(v: Value, at: Value['loc']): Value {
  if (v.passedAt || !at) return v;
  const out = { ...v, passedAt: at } as Value;
  const src = valueSource.get(v);
  if (src) valueSource.set(out, src);
  return out;
}

function withLoc(v: Value, loc: Value['loc']): Value {
  const out = { ...v, loc } as Value;
  const src = valueSource.get(v);
  if (src) valueSource.set(out, src);
  return out;
}

function scalarEquals(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  if ((a.kind === 'string' || a.kind === 'number' || a.kind === 'bool') && a.kind === b.kind) return a.value === b.value;
  if (a.kind === 'null' || b.kind === 'null') return a.kind === b.kind;
  if (a.kind === 'ref' && b.kind === 'ref') return a.target === b.target && a.attribute === b.attribute ? true : undefined;
  return undefined;
}

interface ModuleOutputs {
  values: Map<string, Value>;
}

/** One evaluation of one Bicep file (the root, or a module called with its params). */
class FileScope {
  readonly params = new Map<string, N.ParamDecl>();
  readonly vars = new Map<string, N.VarDecl>();
  readonly resourceDecls = new Map<string, N.ResourceDecl>();
  readonly moduleDecls = new Map<string, N.ModuleDecl>();
  private readonly paramValues = new Map<string, Value>();
  private readonly varValues = new Map<string, Value>();
  private readonly evaluating = new Set<string>();
  readonly resources = new Map<N.ResourceDecl, Resource>();
  readonly modules = new Map<N.ModuleDecl, ModuleOutputs>();
  /** Loop variables bound to known elements (innermost last), while a loop over a known array is expanded. */
  private readonly bindings: Map<string, Value>[] = [];
  private depth = 0;

  constructor(
    readonly lowering: BicepLowering,
    readonly file: ParsedFile,
    /** Values supplied to params: by a module call or a .bicepparam file. */
    readonly supplied: Map<string, Value>,
    readonly via: string[],
    readonly inheritedConditional: boolean,
    readonly inheritedLoop: boolean,
  ) {
    for (const s of file.tree.statements) {
      if (!('name' in s) || !s.name) continue;
      const name = s.name.text;
      if (s.kind === 'ParamDecl') this.params.set(name, s);
      else if (s.kind === 'VarDecl') this.vars.set(name, s);
      else if (s.kind === 'ResourceDecl') this.resourceDecls.set(name, s);
      else if (s.kind === 'ModuleDecl') this.moduleDecls.set(name, s);
    }
  }

  loc(node: { start: number; end: number }): Value['loc'] {
    return { file: this.file.path, span: { start: node.start, end: node.end } };
  }

  private get fileDialect(): FileDialect {
    return this.file.source.dialect;
  }

  // ---- symbols ---------------------------------------------------------------------------

  parameter(name: string): Value {
    const cached = this.paramValues.get(name);
    if (cached) return cached;
    const decl = this.params.get(name);
    if (!decl) return unknown(`'${name}' is not declared`);
    if (this.evaluating.has('p:' + name)) return unknown(`parameter '${name}' refers to itself`);
    this.evaluating.add('p:' + name);
    let v: Value;
    const supplied = this.supplied.get(name) ?? (this.supplied.has(ALL_PARAMS_UNKNOWN) ? unknown(`parameter '${name}' may be set by the caller`, this.loc(decl.name ?? decl)) : undefined);
    const allowed = this.allowedValues(decl);
    if (supplied) {
      v = supplied;
      if (v.origin && allowed && v.origin.kind === 'parameter-file') v = { ...v, origin: { ...v.origin, allowedValues: allowed } } as Value;
    } else if (decl.value) {
      v = this.evaluate(decl.value, new Set());
      if (v.origin && (v.origin.kind === 'literal' || v.origin.kind === 'variable') && v.origin.at.file === this.file.path) {
        const origin: Origin = { ...v.origin, kind: 'parameter-default', name, handle: { dialect: 'bicep', file: this.file.path, node: decl } };
        if (allowed) origin.allowedValues = allowed;
        v = { ...v, origin } as Value;
      }
    } else if (decl.type?.kind === 'NullableType' && this.via.length > 0 && !this.supplied.has(ALL_PARAMS_UNKNOWN)) {
      // A nullable parameter (`T?`) that the module's caller does not bind is null.
      v = { kind: 'null', loc: this.loc(decl.name ?? decl) };
    } else {
      v = unknown(`parameter '${name}' has no value`, this.loc(decl.name ?? decl));
    }
    if (!valueSource.has(v)) valueSource.set(v, decl);
    this.evaluating.delete('p:' + name);
    this.paramValues.set(name, v);
    return v;
  }

  private allowedValues(decl: N.ParamDecl): ArrayValue | undefined {
    for (const d of decl.decorators) {
      const e = d.expr;
      if (e.kind === 'Call' && calleeName(e.callee) === 'allowed' && e.args.length === 1) {
        const v = this.evaluate(e.args[0], new Set());
        if (v.kind === 'array') return v;
      }
    }
    return undefined;
  }

  variable(name: string): Value {
    const cached = this.varValues.get(name);
    if (cached) return cached;
    const decl = this.vars.get(name);
    if (!decl) return unknown(`'${name}' is not declared`);
    if (this.evaluating.has('v:' + name)) return unknown(`variable '${name}' refers to itself`);
    this.evaluating.add('v:' + name);
    let v = this.evaluate(decl.value, new Set());
    if (v.origin?.kind === 'literal') v = { ...v, origin: { ...v.origin, kind: 'variable', name } } as Value;
    this.evaluating.delete('v:' + name);
    this.varValues.set(name, v);
    return v;
  }

  resourceOf(decl: N.ResourceDecl, parent?: Resource): Resource | undefined {
    const known = this.resources.get(decl);
    if (known) return known;
    return this.lowering.createResource(this, decl, parent);
  }

  moduleOutputs(decl: N.ModuleDecl): ModuleOutputs {
    const known = this.modules.get(decl);
    if (known) return known;
    return this.lowering.lowerModule(this, decl);
  }

  // ---- evaluation ------------------------------------------------------------------------

  /** Evaluates `f` with loop variables bound to known values. */
  withBindings<T>(names: Map<string, Value>, f: () => T): T {
    this.bindings.push(names);
    try {
      return f();
    } finally {
      this.bindings.pop();
    }
  }

  /**
   * The elements of a `for` loop's source when it is a known array (or `range`-free array
   * expression) short enough to expand, each with its index; undefined otherwise.
   */
  loopItems(e: N.ForExpr, locals: ReadonlySet<string>): Value[] | undefined {
    const src = this.evaluate(e.source, locals);
    if (src.kind === 'null') return [];
    if (src.kind !== 'array' || src.items.length > MAX_LOOP_ITEMS) return undefined;
    return src.items;
  }

  /** Bindings of a loop's variables for one element. */
  loopBindings(e: N.ForExpr, item: Value, index: number): Map<string, Value> {
    const names = new Map<string, Value>();
    if (e.itemVar) names.set(e.itemVar.text, item);
    if (e.indexVar) names.set(e.indexVar.text, { kind: 'number', value: index });
    return names;
  }

  /** Evaluates an expression; `locals` are names bound by loops and lambdas (always unknown). */
  evaluate(e: N.Expr, locals: ReadonlySet<string>): Value {
    if (this.depth > MAX_EVAL_DEPTH) return unknown('expression nested too deeply', this.loc(e));
    this.depth++;
    try {
      return this.evaluateInner(e, locals);
    } finally {
      this.depth--;
    }
  }

  private literalOrigin(node: { start: number; end: number }): Origin {
    return { kind: 'literal', at: { file: this.file.path, span: { start: node.start, end: node.end } }, dialect: this.fileDialect };
  }

  private evaluateInner(e: N.Expr, locals: ReadonlySet<string>): Value {
    const loc = this.loc(e);
    switch (e.kind) {
      case 'String': {
        if (e.exprs.length === 0) {
          const s = literalString(e);
          if (s === undefined) return unknown('string is not complete', loc);
          return { kind: 'string', value: s, loc, origin: this.literalOrigin(e) };
        }
        const lastPiece = e.pieces[e.pieces.length - 1];
        if (e.pieces.length !== e.exprs.length + 1 || !isTerminated(lastPiece)) return unknown('string is not complete', loc);
        let dollars = 0;
        while (e.pieces[0].text[dollars] === '$') dollars++;
        let out = pieceText(e.pieces[0], dollars);
        for (let k = 0; k < e.exprs.length; k++) {
          const v = this.evaluate(e.exprs[k], locals);
          if (v.kind === 'string') out += v.value;
          else if (v.kind === 'number' || v.kind === 'bool') out += String(v.value);
          else return unknown('interpolation of a value that is not known', loc);
          const piece = e.pieces[k + 1];
          if (!piece) return unknown('broken string', loc);
          out += pieceText(piece, dollars);
        }
        return { kind: 'string', value: out, loc };
      }
      case 'MultilineString': {
        const s = literalString(e);
        if (s === undefined) return unknown('string is not complete', loc);
        return { kind: 'string', value: s, loc, origin: this.literalOrigin(e) };
      }
      case 'Number': {
        const n = Number(e.token.text);
        return { kind: 'number', value: n, loc, origin: this.literalOrigin(e) };
      }
      case 'Bool':
        return { kind: 'bool', value: e.value, loc, origin: this.literalOrigin(e) };
      case 'Null':
        return { kind: 'null', loc, origin: this.literalOrigin(e) };
      case 'Paren':
        return this.evaluate(e.expr, locals);
      case 'Ident':
        return this.identifier(e.name, locals, loc);
      case 'Unary': {
        const v = this.evaluate(e.operand, locals);
        if (e.op.tk === '!' && v.kind === 'bool') return { kind: 'bool', value: !v.value, loc };
        if (e.op.tk === '-' && v.kind === 'number') {
          return v.origin && e.operand.kind === 'Number'
            ? { kind: 'number', value: -v.value, loc, origin: this.literalOrigin(e) }
            : { kind: 'number', value: -v.value, loc };
        }
        return unknown('operator on a value that is not known', loc);
      }
      case 'Binary':
        return this.binary(e, locals, loc);
      case 'Ternary': {
        const c = this.evaluate(e.cond, locals);
        if (c.kind === 'bool') return this.evaluate(c.value ? e.then : e.else, locals);
        return unknown('condition is not known', loc);
      }
      case 'Member':
        return this.member(e, locals, loc);
      case 'Index': {
        const base = this.evaluate(e.base, locals);
        const idx = this.evaluate(e.index, locals);
        if (base.kind === 'array' && idx.kind === 'number') {
          const at = e.fromEnd ? base.items.length - idx.value : idx.value;
          return base.items[at] ?? (e.safe ? { kind: 'null', loc } : unknown('index out of range', loc));
        }
        if (base.kind === 'object' && idx.kind === 'string') {
          const p = base.props.find((q) => q.key.toLowerCase() === idx.value.toLowerCase());
          return p ? p.value : e.safe ? { kind: 'null', loc } : unknown(`no property '${idx.value}'`, loc);
        }
        if (base.kind === 'null' && e.safe) return { kind: 'null', loc };
        return unknown('index into a value that is not known', loc);
      }
      case 'NonNull':
        return this.evaluate(e.base, locals);
      case 'Call':
        return this.call(e, locals, loc);
      case 'Object':
        return this.object(e, locals);
      case 'Array': {
        const items: Value[] = [];
        for (const it of e.items) {
          if (it.kind !== 'Spread') {
            items.push(this.evaluate(it, locals));
            continue;
          }
          const v = this.evaluate(it.expr, locals);
          if (v.kind !== 'array') return unknown('array spreads a value that is not known', loc);
          items.push(...v.items);
        }
        return { kind: 'array', items, loc, handle: { dialect: 'bicep', file: this.file.path, node: e } };
      }
      case 'For': {
        // `[for x in known: body]` over a known array: one element per item (a filter `if` drops items).
        const items = this.loopItems(e, locals);
        if (!items) return unknown('loop expression', loc);
        const out: Value[] = [];
        for (let i = 0; i < items.length; i++) {
          const inner = new Set(locals);
          if (e.itemVar) inner.delete(e.itemVar.text);
          if (e.indexVar) inner.delete(e.indexVar.text);
          const v = this.withBindings(this.loopBindings(e, items[i], i), () => {
            if (e.body.kind !== 'If') return this.evaluate(e.body, inner);
            const c = this.evaluate(e.body.cond, inner);
            if (c.kind !== 'bool') return unknown('loop filter is not known', loc);
            return c.value ? this.evaluate(e.body.body, inner) : undefined;
          });
          if (v === undefined) continue;
          if (v.kind === 'unknown' && v.reason === 'loop filter is not known') return v;
          out.push(v);
        }
        return { kind: 'array', items: out, loc };
      }
      case 'Lambda':
        return unknown('lambda', loc);
      default:
        return unknown('incomplete expression', loc);
    }
  }

  object(e: N.ObjectExpr, locals: ReadonlySet<string>, allowIncomplete = false): Value {
    // An object still being typed (no closing brace yet): what is absent may simply not be typed yet.
    const last = e.children[e.children.length - 1];
    if (!allowIncomplete && !(last && 'tk' in last && last.tk === '}')) return unknown('object is not complete', this.loc(e));
    const props: Property[] = [];
    for (const m of e.members) {
      if (m.kind === 'Property') {
        const key = keyName(m.key);
        if (key === undefined) continue;
        const keyLoc = this.loc(m.key);
        const existing = props.findIndex((p) => p.key === key);
        const prop: Property = { key, keyLoc, value: this.evaluate(m.value, locals), handle: { dialect: 'bicep', file: this.file.path, node: m } };
        if (existing >= 0) props[existing] = prop;
        else props.push(prop);
      } else if (m.kind === 'Spread') {
        const v = this.evaluate(m.expr, locals);
        let spread: Property[];
        if (v.kind === 'object') spread = v.props;
        else if (v.kind === 'null') spread = [];
        else {
          // `...(cond ? { a: … } : {})`: the keys the spread may add are known even when the
          // condition is not; they become unknown. Any other unknown spread makes the object unknown.
          const keys = this.possibleSpreadKeys(m.expr, locals, 0);
          if (!keys) return unknown('object spreads a value that is not known', this.loc(e));
          spread = [...keys].map((key) => ({ key, value: unknown(`'${key}' may be set by a conditional spread`, this.loc(m)) }));
        }
        for (const p of spread) {
          const k = props.findIndex((q) => q.key === p.key);
          if (k >= 0) props[k] = p;
          else props.push(p);
        }
      }
    }
    return { kind: 'object', props, loc: this.loc(e), handle: { dialect: 'bicep', file: this.file.path, node: e } };
  }

  /** Keys that a spread expression may add, or undefined when they cannot be known. */
  private possibleSpreadKeys(e: N.Expr, locals: ReadonlySet<string>, depth: number): Set<string> | undefined {
    if (depth > 20) return undefined;
    if (e.kind === 'Paren') return this.possibleSpreadKeys(e.expr, locals, depth + 1);
    if (e.kind === 'Ternary') {
      const a = this.possibleSpreadKeys(e.then, locals, depth + 1);
      const b = a && this.possibleSpreadKeys(e.else, locals, depth + 1);
      return a && b ? new Set([...a, ...b]) : undefined;
    }
    if (e.kind === 'Binary' && e.op.tk === '??') {
      const a = this.possibleSpreadKeys(e.left, locals, depth + 1);
      const b = a && this.possibleSpreadKeys(e.right, locals, depth + 1);
      return a && b ? new Set([...a, ...b]) : undefined;
    }
    const v = this.evaluate(e, locals);
    if (v.kind === 'object') return new Set(v.props.map((p) => p.key));
    if (v.kind === 'null') return new Set();
    if (e.kind === 'Object') {
      const keys = new Set<string>();
      for (const m of e.members) {
        if (m.kind === 'Property') {
          const k = keyName(m.key);
          if (k === undefined) return undefined;
          keys.add(k);
        } else if (m.kind === 'Spread') {
          const inner = this.possibleSpreadKeys(m.expr, locals, depth + 1);
          if (!inner) return undefined;
          for (const k of inner) keys.add(k);
        }
      }
      return keys;
    }
    return undefined;
  }

  private identifier(name: string, locals: ReadonlySet<string>, loc: Value['loc']): Value {
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const bound = this.bindings[i].get(name);
      if (bound && !locals.has(name)) return bound;
    }
    if (locals.has(name)) return unknown(`'${name}' is a loop or lambda variable`, loc);
    if (this.params.has(name)) return withLoc(this.parameter(name), loc);
    if (this.vars.has(name)) return withLoc(this.variable(name), loc);
    const rd = this.resourceDecls.get(name);
    if (rd) {
      const r = this.resourceOf(rd);
      return r ? { kind: 'ref', target: r, attribute: 'id', loc } : unknown(`resource '${name}' has no known type`, loc);
    }
    if (this.moduleDecls.has(name)) return unknown(`module '${name}'`, loc);
    return unknown(`'${name}' is not known`, loc);
  }

  private member(e: N.MemberExpr, locals: ReadonlySet<string>, loc: Value['loc']): Value {
    const name = e.name?.text;
    if (!name) return unknown('incomplete expression', loc);
    // module.outputs.x
    if (e.base.kind === 'Member' && e.base.name?.text === 'outputs' && e.base.base.kind === 'Ident') {
      const md = this.moduleDecls.get(e.base.base.name);
      if (md && !locals.has(e.base.base.name)) {
        const out = this.moduleOutputs(md).values.get(name);
        return out ? withLoc(out, loc) : unknown(`output '${name}' of module '${e.base.base.name}' is not known`, loc);
      }
    }
    if (e.op.tk === '::') {
      const parent = this.evaluate(e.base, locals);
      if (parent.kind === 'ref' && parent.attribute === 'id') {
        const child = this.lowering.nestedChild(parent.target, name);
        if (child) return { kind: 'ref', target: child, attribute: 'id', loc };
      }
      return unknown('nested resource is not known', loc);
    }
    const base = this.evaluate(e.base, locals);
    if (base.kind === 'ref') {
      const attribute = base.attribute === 'id' ? name : `${base.attribute}.${name}`;
      return { kind: 'ref', target: base.target, attribute, loc };
    }
    if (base.kind === 'object') {
      const p = base.props.find((q) => q.key.toLowerCase() === name.toLowerCase());
      if (p) return p.value;
      return e.op.tk === '.?' ? { kind: 'null', loc } : unknown(`no property '${name}'`, loc);
    }
    if (base.kind === 'null' && e.op.tk === '.?') return { kind: 'null', loc };
    return unknown('property of a value that is not known', loc);
  }

  private binary(e: N.BinaryExpr, locals: ReadonlySet<string>, loc: Value['loc']): Value {
    const op = e.op.tk;
    const l = this.evaluate(e.left, locals);
    if (op === '??') {
      if (l.kind === 'null') return this.evaluate(e.right, locals);
      if (l.kind !== 'unknown') return l;
      return unknown('value is not known', loc);
    }
    if (op === '&&' && l.kind === 'bool' && !l.value) return { kind: 'bool', value: false, loc };
    if (op === '||' && l.kind === 'bool' && l.value) return { kind: 'bool', value: true, loc };
    const r = this.evaluate(e.right, locals);
    switch (op) {
      case '&&':
      case '||':
        if (l.kind === 'bool' && r.kind === 'bool') return { kind: 'bool', value: r.value, loc };
        break;
      case '==':
      case '!=': {
        const eq = scalarEquals(l, r);
        if (eq !== undefined) return { kind: 'bool', value: op === '==' ? eq : !eq, loc };
        break;
      }
      case '=~':
      case '!~':
        if (l.kind === 'string' && r.kind === 'string') {
          const eq = l.value.toLowerCase() === r.value.toLowerCase();
          return { kind: 'bool', value: op === '=~' ? eq : !eq, loc };
        }
        break;
      case '<': case '<=': case '>': case '>=':
        if (l.kind === 'number' && r.kind === 'number') {
          const v = op === '<' ? l.value < r.value : op === '<=' ? l.value <= r.value : op === '>' ? l.value > r.value : l.value >= r.value;
          return { kind: 'bool', value: v, loc };
        }
        break;
      case '+': case '-': case '*': case '/': case '%':
        if (l.kind === 'number' && r.kind === 'number') {
          const a = l.value;
          const b = r.value;
          if ((op === '/' || op === '%') && b === 0) break;
          const v = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : a % b;
          return { kind: 'number', value: v, loc };
        }
        break;
    }
    return unknown('operands are not known', loc);
  }

  private call(e: N.CallExpr, locals: ReadonlySet<string>, loc: Value['loc']): Value {
    const name = calleeName(e.callee)?.toLowerCase();
    const args = () => e.args.map((a) => this.evaluate(a, locals));
    switch (name) {
      case 'any':
        return e.args.length === 1 ? withLoc(this.evaluate(e.args[0], locals), loc) : unknown('any() needs one argument', loc);
      case 'resourceid':
      case 'subscriptionresourceid':
      case 'tenantresourceid':
      case 'extensionresourceid': {
        const vs = args();
        const typeArg = vs.find((v) => v.kind === 'string' && /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/./.test(v.value));
        if (!typeArg || typeArg.kind !== 'string') break;
        const nameArgs = vs.slice(vs.indexOf(typeArg) + 1);
        const nameTexts = e.args.slice(vs.indexOf(typeArg) + 1).map((a) => this.file.text.slice(a.start, a.end));
        const target = this.lowering.findResourceByTypeAndName(typeArg.value, nameArgs, nameTexts);
        if (target) return { kind: 'ref', target, attribute: 'id', loc };
        break;
      }
      case 'concat': {
        const vs = args();
        if (vs.every((v) => v.kind === 'string' || v.kind === 'number' || v.kind === 'bool'))
          return { kind: 'string', value: vs.map((v) => String((v as { value: unknown }).value)).join(''), loc };
        if (vs.length > 0 && vs.every((v) => v.kind === 'array')) return { kind: 'array', items: vs.flatMap((v) => (v as ArrayValue).items), loc };
        break;
      }
      case 'union': {
        const vs = args();
        if (vs.length > 0 && vs.every((v) => v.kind === 'object')) return mergeObjects(vs as ObjectValue[], loc);
        if (vs.length > 0 && vs.every((v) => v.kind === 'array')) {
          const items: Value[] = [];
          for (const v of vs as ArrayValue[]) for (const it of v.items) if (!items.some((x) => scalarEquals(x, it) === true)) items.push(it);
          return { kind: 'array', items, loc };
        }
        break;
      }
      case 'contains': {
        const [container, item] = args();
        if (container?.kind === 'string' && item?.kind === 'string') return { kind: 'bool', value: container.value.toLowerCase().includes(item.value.toLowerCase()), loc };
        if (container?.kind === 'object' && item?.kind === 'string') return { kind: 'bool', value: container.props.some((p) => p.key.toLowerCase() === item.value.toLowerCase()), loc };
        if (container?.kind === 'array' && item && item.kind !== 'unknown' && container.items.every((x) => scalarEquals(x, item) !== undefined))
          return { kind: 'bool', value: container.items.some((x) => scalarEquals(x, item) === true), loc };
        break;
      }
      case 'length': {
        const [v] = args();
        if (v?.kind === 'string') return { kind: 'number', value: v.value.length, loc };
        if (v?.kind === 'array') return { kind: 'number', value: v.items.length, loc };
        if (v?.kind === 'object') return { kind: 'number', value: v.props.length, loc };
        break;
      }
      case 'format': {
        const vs = args();
        const [fmt, ...rest] = vs;
        if (fmt?.kind !== 'string' || !rest.every((v) => v.kind === 'string' || v.kind === 'number' || v.kind === 'bool')) break;
        const parts = rest.map((v) => String((v as { value: unknown }).value));
        let ok = true;
        const value = fmt.value.replace(/\{\{|\}\}|\{(\d+)(?:[,:][^}]*)?\}/g, (m, i: string | undefined) => {
          if (m === '{{') return '{';
          if (m === '}}') return '}';
          const p = parts[Number(i)];
          if (p === undefined || m.length > String(i).length + 2) ok = false;
          return p ?? '';
        });
        if (ok) return { kind: 'string', value, loc };
        break;
      }
      case 'tolower':
      case 'toupper': {
        const [v] = args();
        if (v?.kind === 'string') return { kind: 'string', value: name === 'tolower' ? v.value.toLowerCase() : v.value.toUpperCase(), loc };
        break;
      }
      case 'empty': {
        const [v] = args();
        if (v?.kind === 'string') return { kind: 'bool', value: v.value === '', loc };
        if (v?.kind === 'array') return { kind: 'bool', value: v.items.length === 0, loc };
        if (v?.kind === 'object') return { kind: 'bool', value: v.props.length === 0, loc };
        if (v?.kind === 'null') return { kind: 'bool', value: true, loc };
        break;
      }
      case 'bool': {
        const [v] = args();
        if (v?.kind === 'bool') return { ...v, loc };
        if (v?.kind === 'string' && /^(true|false)$/i.test(v.value)) return { kind: 'bool', value: v.value.toLowerCase() === 'true', loc };
        break;
      }
    }
    return unknown(`result of ${name ?? 'a function'}() is not known`, loc);
  }
}

/** `union()` of objects: later objects win; nested objects merge recursively (as Bicep does). */
function mergeObjects(objects: ObjectValue[], loc: Value['loc']): ObjectValue {
  const props: Property[] = [];
  for (const o of objects) {
    for (const p of o.props) {
      const k = props.findIndex((q) => q.key.toLowerCase() === p.key.toLowerCase());
      if (k < 0) props.push(p);
      else {
        const prev = props[k].value;
        props[k] = prev.kind === 'object' && p.value.kind === 'object' ? { ...p, value: mergeObjects([prev, p.value], p.value.loc) } : p;
      }
    }
  }
  return { kind: 'object', props, loc };
}

function calleeName(e: N.Expr): string | undefined {
  if (e.kind === 'Ident') return e.name;
  // sys.resourceId(…), az.resourceId(…)
  if (e.kind === 'Member' && e.base.kind === 'Ident' && (e.base.name === 'sys' || e.base.name === 'az')) return e.name?.text;
  return undefined;
}

/** The Azure Verified Module for private endpoints, whose params are an endpoint's properties. */
const REGISTRY_PRIVATE_ENDPOINT = /^br[:/].*\/network\/private-endpoint:/i;

function splitType(typeRef: string): { type: string; apiVersion?: string } {
  const at = typeRef.lastIndexOf('@');
  return at < 0 ? { type: typeRef } : { type: typeRef.slice(0, at), apiVersion: typeRef.slice(at + 1) };
}

/** Builds a unit for one root file. */
export class BicepLowering {
  readonly files = new Map<string, ParsedFile>();
  readonly resources: Resource[] = [];
  readonly notes: Note[] = [];
  private readonly nested = new Map<Resource, { scope: FileScope; decls: Map<string, N.ResourceDecl> }>();
  private readonly moduleStack: string[] = [];
  private readonly scopes: FileScope[] = [];
  /** Module path → its deployment scope: the caller's, unless the module declaration sets `scope:`. */
  private readonly scopeKeys = new Map<string, string>();

  constructor(
    readonly host: FileHost,
    readonly rootPath: string,
    /** False: module declarations are not lowered (the unit of a file judged in its callers' deployments). */
    private readonly lowerModules = true,
  ) {}

  /** Records a note once (a module file lowered for two callers states it once). */
  note(n: Note): void {
    if (!this.notes.some((m) => m.file === n.file && m.span.start === n.span.start)) this.notes.push(n);
  }

  parseFile(path: string, dialect: FileDialect): ParsedFile | undefined {
    const known = this.files.get(path);
    if (known) return known;
    const text = this.host.readFile(path);
    if (text === undefined) return undefined;
    const r = parseBicep(text);
    const source: SourceFile = {
      path,
      text,
      dialect,
      comments: r.comments.map((c) => ({ span: c.span, text: c.text })),
      syntaxErrors: r.errors.map((er) => ({ file: path, span: er.span, message: er.message })),
    };
    const pf: ParsedFile = { path, text, tree: r.tree, source };
    this.files.set(path, pf);
    return pf;
  }

  /** Lowers a whole file, creating every resource and module in declaration order. */
  lowerFile(file: ParsedFile, supplied: Map<string, Value>, via: string[], conditional: boolean, loop: boolean): FileScope {
    const scope = new FileScope(this, file, supplied, via, conditional, loop);
    this.scopes.push(scope);
    for (const s of file.tree.statements) {
      if (s.kind === 'ResourceDecl') scope.resourceOf(s);
      else if (s.kind === 'ModuleDecl') scope.moduleOutputs(s);
    }
    return scope;
  }

  createResource(scope: FileScope, decl: N.ResourceDecl, parent?: Resource): Resource | undefined {
    const typeRef = decl.typeString ? literalString(decl.typeString) : undefined;
    if (typeRef === undefined || !decl.name) return undefined;
    const { type, apiVersion: ownVersion } = splitType(typeRef);
    const full = /^[^/]*\.[^/]*\//.test(type);
    const kind = parent && !full ? `${parent.kind}/${type}` : type;
    const apiVersion = ownVersion ?? (parent && !full ? parent.apiVersion : undefined);
    const symbol = parent ? `${parent.symbolicName}::${decl.name.text}` : decl.name.text;
    const head: Span = { start: decl.typeString!.start, end: decl.typeString!.end };
    const viaPrefix = scope.via.length > 0 ? scope.via.join('/') + '/' : '';
    const res: Resource = {
      id: `${scope.file.path}#${viaPrefix}${symbol}`,
      kind,
      schema: 'arm',
      dialect: 'bicep',
      symbolicName: symbol,
      file: scope.file.path,
      head,
      span: { start: decl.start, end: decl.end },
      body: { kind: 'object', props: [] },
      handle: { dialect: 'bicep', file: scope.file.path, node: decl },
    };
    if (apiVersion) res.apiVersion = apiVersion;
    if (decl.existing) res.existing = true;
    if (scope.via.length > 0) res.viaModule = [...scope.via];
    if (parent) res.parent = parent;
    scope.resources.set(decl, res);
    this.resources.push(res);

    const { bodyExpr, locals, conditional, loop } = unwrapBody(scope, decl.value, scope.inheritedConditional || parent?.conditional === true, scope.inheritedLoop || parent?.loop === true);
    if (conditional) res.conditional = true;
    if (loop) res.loop = true;
    // A loop over a known array is expanded: one resource per element, its variables bound.
    const forExpr = decl.value.kind === 'For' && !parent ? decl.value : undefined;
    const items = forExpr ? scope.loopItems(forExpr, new Set()) : undefined;
    if (forExpr && items) {
      const inner = new Set(locals);
      if (forExpr.itemVar) inner.delete(forExpr.itemVar.text);
      if (forExpr.indexVar) inner.delete(forExpr.indexVar.text);
      if (items.length === 0) res.noCopies = true;
      items.forEach((item, i) => {
        const copy: Resource = i === 0 ? res : { ...res, id: `${res.id}[${i}]`, body: { kind: 'object', props: [] } };
        if (i > 0) this.resources.push(copy);
        scope.withBindings(scope.loopBindings(forExpr, item, i), () => {
          // A filter (`[for x in xs: if (cond) {…}]`) decides per element.
          const filtered = forExpr.body.kind === 'If' ? scope.evaluate(forExpr.body.cond, inner) : undefined;
          if (filtered?.kind === 'bool') copy.conditional = scope.inheritedConditional || !filtered.value;
          this.lowerResourceBody(scope, copy, decl, bodyExpr, inner, full, type, i === 0);
        });
      });
      if (items.length === 0) this.lowerResourceBody(scope, res, decl, bodyExpr, locals, full, type, true);
      return res;
    }
    this.lowerResourceBody(scope, res, decl, bodyExpr, locals, full, type, true);
    return res;
  }

  /** Lowers a resource declaration's body into `res`; nested children are created for the first copy only. */
  private lowerResourceBody(scope: FileScope, res: Resource, decl: N.ResourceDecl, bodyExpr: N.Expr, locals: Set<string>, full: boolean, type: string, withChildren: boolean): void {
    // A declaration with no body yet is kept for references but marked like an `existing` resource,
    // which rules skip. A body not closed yet is lowered: the engine reports what is typed and drops
    // findings about what is absent, since that may just not be typed yet.
    if (bodyExpr.kind !== 'Object') res.existing = true;
    if (bodyExpr.kind === 'Object') {
      const body = scope.object(bodyExpr, locals, true);
      if (body.kind === 'object') res.body = body;
      else res.body = { kind: 'object', props: [], loc: scope.loc(bodyExpr), handle: { dialect: 'bicep', file: scope.file.path, node: bodyExpr } };
      const parentProp = res.body.props.find((p) => p.key === 'parent');
      if (parentProp?.value.kind === 'ref' && !res.parent) {
        res.parent = parentProp.value.target;
        if (!full) res.kind = `${res.parent.kind}/${type}`;
        if (parentProp.value.target.conditional) res.conditional = true;
        if (parentProp.value.target.loop) res.loop = true;
      }
      const scopeProp = res.body.props.find((p) => p.key === 'scope');
      if (scopeProp) res.scope = scopeProp.value;
      // Nested child resources.
      const decls = new Map<string, N.ResourceDecl>();
      for (const m of bodyExpr.members) if (m.kind === 'ResourceDecl' && m.name) decls.set(m.name.text, m);
      if (decls.size > 0 && withChildren) {
        this.nested.set(res, { scope, decls });
        for (const d of decls.values()) if (!scope.resources.has(d)) this.createResource(scope, d, res);
      }
    }
  }

  nestedChild(parent: Resource, name: string): Resource | undefined {
    const n = this.nested.get(parent);
    const d = n?.decls.get(name);
    if (!n || !d) return undefined;
    return n.scope.resourceOf(d, parent);
  }

  lowerModule(scope: FileScope, decl: N.ModuleDecl): ModuleOutputs {
    const outputs: ModuleOutputs = { values: new Map() };
    scope.modules.set(decl, outputs);
    const rel = decl.path ? literalString(decl.path) : undefined;
    if (rel && decl.name && isRegistryPath(rel) && REGISTRY_PRIVATE_ENDPOINT.test(rel)) {
      this.registryPrivateEndpoints(scope, decl, rel);
      return outputs;
    }
    const target = localModuleTarget(scope.file.path, decl);
    if (!target || !decl.name) return outputs;
    if (!insideBoundary(target, this.host.workspaceRoots, this.host)) {
      this.note(outsideNote(scope.file.path, { start: decl.path!.start, end: decl.path!.end }, 'module'));
      return outputs;
    }
    if (!this.lowerModules || this.moduleStack.includes(target) || this.moduleStack.length >= MAX_MODULE_DEPTH || target === this.rootPath) return outputs;
    const file = this.parseFile(target, 'bicep');
    if (!file) return outputs;

    const { bodyExpr, locals, conditional, loop } = unwrapBody(scope, decl.value, scope.inheritedConditional, scope.inheritedLoop);
    const supplied = new Map<string, Value>();
    const allUnknown = () => supplied.set(ALL_PARAMS_UNKNOWN, unknown('module params are not known'));
    if (bodyExpr.kind === 'Object') {
      const paramsProp = bodyExpr.members.find((m): m is N.PropertyNode => m.kind === 'Property' && keyName(m.key) === 'params');
      if (paramsProp && paramsProp.value.kind === 'Object') {
        for (const m of paramsProp.value.members) {
          if (m.kind === 'Property') {
            const k = keyName(m.key);
            if (k !== undefined) supplied.set(k, withPassedAt(scope.evaluate(m.value, locals), scope.loc(m.value)));
            else allUnknown();
          } else if (m.kind === 'Spread') {
            const v = scope.evaluate(m.expr, locals);
            if (v.kind === 'object') for (const p of v.props) supplied.set(p.key, p.value);
            else allUnknown();
          }
        }
      } else if (paramsProp) {
        // `params: someObject` — use it when it evaluates, else nothing about the params is known.
        const v = scope.evaluate(paramsProp.value, locals);
        if (v.kind === 'object') for (const p of v.props) supplied.set(p.key, p.value);
        else allUnknown();
      }
    } else allUnknown();
    const via = [...scope.via, decl.name.text];
    const scoped = bodyExpr.kind === 'Object' && bodyExpr.members.some((m) => m.kind === 'Property' && keyName(m.key) === 'scope');
    this.scopeKeys.set(via.join('/'), scoped ? via.join('/') : (this.scopeKeys.get(scope.via.join('/')) ?? ''));
    this.moduleStack.push(target);
    try {
      const inner = this.lowerFile(file, supplied, via, conditional, loop);
      for (const s of file.tree.statements) {
        if (s.kind === 'OutputDecl' && s.name) outputs.values.set(s.name.text, inner.evaluate(s.value, new Set()));
      }
    } finally {
      this.moduleStack.pop();
    }
    return outputs;
  }

  /**
   * A call of the Azure Verified Module for private endpoints (`br/public:avm/res/network/private-endpoint`):
   * its params are the endpoint's properties, so it becomes a private endpoint resource (one per element
   * of a loop over a known array), with a DNS zone group child when `privateDnsZoneGroup` is given.
   */
  private registryPrivateEndpoints(scope: FileScope, decl: N.ModuleDecl, rel: string): void {
    const value = decl.value;
    const forExpr = value.kind === 'For' ? value : undefined;
    const items = forExpr ? scope.loopItems(forExpr, new Set()) : [undefined];
    const { bodyExpr, locals, conditional } = unwrapBody(scope, value, scope.inheritedConditional, scope.inheritedLoop);
    if (bodyExpr.kind !== 'Object' || !decl.name || !decl.path) return;
    const inner = new Set(locals);
    if (forExpr?.itemVar && items) inner.delete(forExpr.itemVar.text);
    if (forExpr?.indexVar && items) inner.delete(forExpr.indexVar.text);
    const make = (i: number, item: Value | undefined) => {
      const lower = () => {
        const body = scope.object(bodyExpr, items ? inner : locals, true);
        const params = body.kind === 'object' ? body.props.find((p) => p.key === 'params')?.value : undefined;
        const filter = forExpr?.body.kind === 'If' ? scope.evaluate(forExpr.body.cond, inner) : undefined;
        const suffix = forExpr && items ? `[${i}]` : '';
        const viaPrefix = scope.via.length > 0 ? scope.via.join('/') + '/' : '';
        const res: Resource = {
          id: `${scope.file.path}#${viaPrefix}${decl.name!.text}${suffix}`,
          kind: 'Microsoft.Network/privateEndpoints',
          schema: 'arm',
          dialect: 'bicep',
          symbolicName: `${decl.name!.text}${suffix}`,
          file: scope.file.path,
          head: { start: decl.path!.start, end: decl.path!.end },
          span: { start: decl.start, end: decl.end },
          body: { kind: 'object', props: [] },
          // No handle: fixes do not edit a registry module call.
          sourceType: rel,
        };
        if (scope.via.length > 0) res.viaModule = [...scope.via];
        if (conditional && !(filter?.kind === 'bool' && filter.value)) res.conditional = true;
        if (filter?.kind === 'bool' && !filter.value) res.noCopies = true;
        if (forExpr && !items) res.loop = true;
        if (params?.kind === 'object') {
          const name = params.props.find((p) => p.key === 'name');
          const props: Property[] = params.props.filter((p) => p.key === 'privateLinkServiceConnections' || p.key === 'manualPrivateLinkServiceConnections' || p.key === 'subnetResourceId');
          res.body = { kind: 'object', props: [...(name ? [name] : []), { key: 'properties', value: { kind: 'object', props, loc: params.loc } }], loc: params.loc };
          const zg = params.props.find((p) => p.key === 'privateDnsZoneGroup');
          if (zg && zg.value.kind !== 'null') {
            this.resources.push({
              ...res,
              id: `${res.id}/privateDnsZoneGroup`,
              kind: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
              symbolicName: `${res.symbolicName}.privateDnsZoneGroup`,
              head: zg.keyLoc?.span ?? res.head,
              body: { kind: 'object', props: [] },
              parent: res,
              conditional: res.conditional || zg.value.kind === 'unknown',
            });
          }
        } else {
          res.body = { kind: 'object', props: [{ key: 'properties', value: unknown('the module params cannot be evaluated', scope.loc(bodyExpr)) }] };
        }
        this.resources.push(res);
        // The zone group was pushed first; keep the endpoint before its child.
        const n = this.resources.length;
        if (n >= 2 && this.resources[n - 2].parent === res) [this.resources[n - 2], this.resources[n - 1]] = [this.resources[n - 1], this.resources[n - 2]];
      };
      if (forExpr && items && item !== undefined) scope.withBindings(scope.loopBindings(forExpr, item, i), lower);
      else lower();
    };
    if (!items) make(0, undefined);
    else items.forEach((item, i) => make(i, item));
  }

  /** `resourceId('Type', name…)`: the declared resource of that type whose name matches. */
  findResourceByTypeAndName(type: string, names: Value[], nameTexts: string[]): Resource | undefined {
    const candidates = this.resources.filter((r) => r.kind.toLowerCase() === type.toLowerCase());
    if (candidates.length === 0) return undefined;
    const last = names[names.length - 1];
    const lastText = nameTexts[nameTexts.length - 1];
    if (last) {
      for (const r of candidates) {
        const n = r.body.props.find((p) => p.key === 'name')?.value;
        if (!n) continue;
        if (last.kind === 'string' && n.kind === 'string' && n.value.split('/').pop()!.toLowerCase() === last.value.toLowerCase()) return r;
        const a = valueSource.get(last);
        if (a && a === valueSource.get(n)) return r;
        // Same expression text in the same file (`resourceId('…', workspaceName)` and `name: workspaceName`).
        if (lastText && n.loc && n.loc.file === r.file && this.files.get(r.file)?.text.slice(n.loc.span.start, n.loc.span.end) === lastText) return r;
      }
    }
    const declared = candidates.filter((r) => !r.existing);
    return declared.length === 1 ? declared[0] : undefined;
  }

  /**
   * A resource a called module declares again (same kind, name and deployment scope as one declared
   * earlier, outside loops) is the same resource deployed twice: it records the earlier declaration.
   */
  markRedeployments(): void {
    const index = new NameIndex((v) => valueSource.get(v));
    const viaOf = (r: Resource) => (r.viaModule ?? []).join('/');
    for (const r of this.resources) {
      if (r.existing || r.loop || r.noCopies || r.parent) continue;
      const name = r.body.props.find((p) => p.key === 'name')?.value;
      if (!name) continue;
      const via = viaOf(r);
      const group = `${r.kind.toLowerCase()}\0${this.scopeKeys.get(via) ?? ''}`;
      const earlier = index.first(group, name, (e) => viaOf(e) !== via);
      if (earlier) r.redeploys = earlier.redeploys ?? earlier;
      index.add(r, group, name);
    }
  }

  /** References to an `existing` resource that names a resource declared in the unit point at that resource. */
  resolveExistingAliases(): void {
    const nameOf = (r: Resource) => r.body.props.find((p) => p.key === 'name')?.value;
    const index = new NameIndex((v) => valueSource.get(v));
    const position = new Map<Resource, number>();
    for (const r of this.resources) {
      if (r.existing) continue;
      const rn = nameOf(r);
      if (!rn) continue;
      position.set(r, position.size);
      index.add(r, r.kind.toLowerCase(), rn);
    }
    const alias = new Map<Resource, Resource>();
    for (const ex of this.resources) {
      if (!ex.existing) continue;
      const n = nameOf(ex);
      if (!n) continue;
      const kind = ex.kind.toLowerCase();
      // `name: declared.name` names that resource; so does the same name; the first declared wins.
      const byRef = n.kind === 'ref' && n.attribute === 'name' && position.has(n.target) && n.target.kind.toLowerCase() === kind ? n.target : undefined;
      const byName = index.first(kind, n);
      const match = byRef && byName ? (position.get(byRef)! <= position.get(byName)! ? byRef : byName) : (byRef ?? byName);
      if (match) alias.set(ex, match);
    }
    if (alias.size === 0) return;
    const seen = new Set<object>();
    const visit = (v: Value | undefined): void => {
      if (!v || seen.has(v)) return;
      seen.add(v);
      if (v.kind === 'ref') {
        const to = alias.get(v.target);
        if (to) (v as RefValue).target = to;
      } else if (v.kind === 'object') for (const p of v.props) visit(p.value);
      else if (v.kind === 'array') for (const it of v.items) visit(it);
    };
    for (const r of this.resources) {
      visit(r.body);
      visit(r.scope);
      if (r.parent && alias.has(r.parent)) r.parent = alias.get(r.parent);
    }
  }
}

/** The `using` path of a .bicepparam tree, resolved against its folder, and where it is written. */
function usingOf(file: ParsedFile): { target: string; span: Span } | undefined {
  for (const s of file.tree.statements) {
    if (s.kind === 'UsingDecl') {
      const p = literalString(s.path);
      if (!p || !s.path || isRegistryPath(p)) return undefined;
      return { target: resolve(dirname(file.path), p), span: { start: s.path.start, end: s.path.end } };
    }
  }
  return undefined;
}

function usingTarget(file: ParsedFile): string | undefined {
  return usingOf(file)?.target;
}

/** Values a .bicepparam file supplies (after those of the file it `extends`), with origins pointing into it. */
function paramFileValues(lowering: BicepLowering, file: ParsedFile, depth = 0): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const s of file.tree.statements) {
    if (s.kind !== 'ExtendsDecl' || depth > 4) continue;
    const rel = literalString(s.path);
    if (!rel || isRegistryPath(rel)) continue;
    const basePath = resolve(dirname(file.path), rel);
    if (!insideBoundary(basePath, lowering.host.workspaceRoots, lowering.host)) {
      if (s.path) lowering.note(outsideNote(file.path, { start: s.path.start, end: s.path.end }, "'extends' file"));
      continue;
    }
    if (basePath === file.path) continue;
    const base = lowering.parseFile(basePath, 'bicepparam');
    if (base) for (const [k, v] of paramFileValues(lowering, base, depth + 1)) out.set(k, v);
  }
  const scope = new FileScope(lowering, file, new Map(), [], false, false);
  for (const s of file.tree.statements) {
    if (s.kind !== 'ParamDecl' || !s.name || !s.value) continue;
    const name = s.name.text;
    let v = scope.evaluate(s.value, new Set());
    if (v.origin) {
      v = { ...v, origin: { ...v.origin, kind: 'parameter-file', name, dialect: 'bicepparam', handle: { dialect: 'bicep', file: file.path, node: s } } } as Value;
    }
    out.set(name, v);
  }
  return out;
}

/** The single .bicepparam beside a template whose `using` names it, if there is exactly one. */
function siblingParamFile(lowering: BicepLowering, template: string): ParsedFile | undefined {
  const dir = dirname(template);
  const names = (lowering.host.readDir(dir) ?? []).filter((n) => /\.bicepparam$/i.test(n)).sort().slice(0, MAX_PARAM_FILES);
  const matches: string[] = [];
  for (const n of names) {
    const p = resolve(dir, n);
    const text = lowering.host.readFile(p);
    if (text === undefined || !/^\s*using\s/m.test(text)) continue;
    const quick = parseBicep(text);
    const fake: ParsedFile = { path: p, text, tree: quick.tree, source: { path: p, text, dialect: 'bicepparam', comments: [], syntaxErrors: [] } };
    if (usingTarget(fake) === template) matches.push(p);
  }
  if (matches.length !== 1) return undefined;
  return lowering.parseFile(matches[0], 'bicepparam');
}

function emptyUnit(root: string, files: SourceFile[]): Unit {
  return { root, dialect: 'bicep', files, ownFiles: [root], resources: [] };
}

/** Builds the analysis unit of a .bicep template or of the template a .bicepparam names. Never throws. */
export function loadBicepUnit(path: string, host: FileHost, options: LoadOptions = {}): Unit {
  try {
    if (options.lower === false && /\.bicep$/i.test(path)) return unloweredUnit(path, boundedHost(host, path));
    return loadUnitUnsafe(path, boundedHost(host, path), options.modules !== false);
  } catch (err) {
    // Internal error: keep the editor alive with an empty unit that still carries the file.
    const text = host.readFile(path) ?? '';
    const dialect: Dialect = 'bicep';
    const source: SourceFile = {
      path,
      text,
      dialect: /\.bicepparam$/i.test(path) ? 'bicepparam' : dialect,
      comments: [],
      syntaxErrors: [{ file: path, span: { start: 0, end: 0 }, message: `Internal error while analysing this file: ${String(err)}` }],
    };
    return emptyUnit(path, [source]);
  }
}

/**
 * The module files the unit of a .bicep template reads (as `calledFiles` of `loadBicepUnit`'s unit),
 * found by following module declarations without lowering. A .bicepparam file calls none itself.
 */
export function bicepCalledFiles(path: string, host: FileHost): string[] {
  if (!/\.bicep$/i.test(path)) return [];
  try {
    const bounded = boundedHost(host, path);
    const rootText = bounded.readFile(path);
    if (rootText === undefined) return [];
    // Breadth first by depth: the files within MAX_MODULE_DEPTH calls of the root, as lowering reaches them.
    const found = new Set<string>();
    let level: { file: string; text: string }[] = [{ file: path, text: rootText }];
    for (let depth = 0; depth < MAX_MODULE_DEPTH && level.length > 0; depth++) {
      const next: { file: string; text: string }[] = [];
      for (const { file, text } of level) {
        for (const rel of localModulePaths(text)) {
          const target = resolve(dirname(file), rel);
          if (target === path || found.has(target) || !insideBoundary(target, bounded.workspaceRoots, bounded)) continue;
          const inner = bounded.readFile(target);
          if (inner === undefined) continue;
          found.add(target);
          next.push({ file: target, text: inner });
        }
      }
      level = next;
    }
    return [...found];
  } catch {
    return [];
  }
}

/**
 * Module paths by text: every root's search reads the modules it shares with other roots again
 * (an AVM module's test templates all call its main.bicep). Large texts are not kept.
 */
const modulePathsMemo = new ParseMemo<string[]>(256);
const MEMO_MAX_CHARS = 256_000;

/** The relative `.bicep` paths a file's module declarations name (registry modules excluded). */
function localModulePaths(text: string): string[] {
  return text.length > MEMO_MAX_CHARS ? modulePathsOf(text) : modulePathsMemo.get(text, modulePathsOf);
}

function modulePathsOf(text: string): string[] {
  // The character loop settles nearly every file; the few it cannot are parsed.
  const refs = bicepModuleRefs(text);
  const paths =
    refs?.map((r) => r.path) ??
    parseBicep(text).tree.statements.flatMap((s) => (s.kind === 'ModuleDecl' && s.name && s.path ? [literalString(s.path) ?? ''] : []));
  return paths.filter((p) => p !== '' && !isRegistryPath(p) && /\.bicep$/i.test(p));
}

/** The local .bicep file a module declaration calls; undefined for a registry, non-literal or non-Bicep path. */
function localModuleTarget(file: string, decl: N.ModuleDecl): string | undefined {
  const rel = decl.path ? literalString(decl.path) : undefined;
  if (!rel || !decl.name || isRegistryPath(rel) || !/\.bicep$/i.test(rel)) return undefined;
  return resolve(dirname(file), rel);
}

/**
 * The unit of a .bicep file parsed but not lowered: its syntax errors, comments and the notes on
 * module paths outside the workspace, as the lowered unit without modules would have them.
 */
function unloweredUnit(path: string, host: FileHost): Unit {
  const lowering = new BicepLowering(host, path, false);
  const file = lowering.parseFile(path, 'bicep');
  if (!file) return emptyUnit(path, []);
  for (const s of file.tree.statements) {
    if (s.kind !== 'ModuleDecl') continue;
    const target = localModuleTarget(path, s);
    if (target && !insideBoundary(target, host.workspaceRoots, host)) lowering.note(outsideNote(path, { start: s.path!.start, end: s.path!.end }, 'module'));
  }
  const unit: Unit = { root: path, dialect: 'bicep', files: [file.source], ownFiles: [path], resources: [] };
  if (lowering.notes.length > 0) unit.notes = lowering.notes;
  return unit;
}

function loadUnitUnsafe(path: string, host: FileHost, lowerModules: boolean): Unit {
  let templatePath = path;
  const probe = new BicepLowering(host, path);
  let paramFile: ParsedFile | undefined;
  if (/\.bicepparam$/i.test(path)) {
    paramFile = probe.parseFile(path, 'bicepparam');
    if (!paramFile) return emptyUnit(path, []);
    const using = usingOf(paramFile);
    if (using && !insideBoundary(using.target, host.workspaceRoots, host)) {
      return { ...emptyUnit(path, [paramFile.source]), notes: [outsideNote(path, using.span, "'using' file")] };
    }
    if (!using || host.readFile(using.target) === undefined) return emptyUnit(path, [paramFile.source]);
    templatePath = using.target;
  }
  const lowering = new BicepLowering(host, templatePath, lowerModules);
  if (paramFile) lowering.files.set(paramFile.path, paramFile);
  const root = lowering.parseFile(templatePath, 'bicep');
  if (!root) return emptyUnit(path, paramFile ? [paramFile.source] : []);
  if (!paramFile) paramFile = siblingParamFile(lowering, templatePath);
  const supplied = paramFile ? paramFileValues(lowering, paramFile) : new Map<string, Value>();
  lowering.lowerFile(root, supplied, [], false, false);
  lowering.resolveExistingAliases();
  lowering.markRedeployments();
  const files = [root.source];
  for (const f of lowering.files.values()) if (f !== root) files.push(f.source);
  const unit: Unit = { root: templatePath, dialect: 'bicep', files, ownFiles: [templatePath], resources: lowering.resources };
  if (lowering.notes.length > 0) unit.notes = lowering.notes;
  return unit;
}


/**
 * The body of a resource or module declaration: `{…}`, `if (c) {…}`, `[for …: {…}]` or
 * `[for …: if (c) {…}]`, with the loop variables and whether it is conditional or repeated.
 */
function unwrapBody(
  scope: FileScope,
  value: N.Expr,
  conditional: boolean,
  loop: boolean,
): { bodyExpr: N.Expr; locals: Set<string>; conditional: boolean; loop: boolean } {
  let bodyExpr = value;
  const locals = new Set<string>();
  if (bodyExpr.kind === 'For') {
    loop = true;
    if (bodyExpr.itemVar) locals.add(bodyExpr.itemVar.text);
    if (bodyExpr.indexVar) locals.add(bodyExpr.indexVar.text);
    bodyExpr = bodyExpr.body;
  }
  if (bodyExpr.kind === 'If') {
    const c = scope.evaluate(bodyExpr.cond, locals);
    if (!(c.kind === 'bool' && c.value)) conditional = true;
    bodyExpr = bodyExpr.body;
  }
  return { bodyExpr, locals, conditional, loop };
}
