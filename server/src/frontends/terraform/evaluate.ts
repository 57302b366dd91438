// Evaluates HCL expressions of a module into model values: literals, variables (defaults,
// tfvars, module inputs), locals, resource references, templates, conditionals, a few functions.
// Everything else is unknown with a reason. Each value keeps its expression span (`loc`) and the
// literal a fix should edit (`origin`).
import type { ArrayValue, Dialect, Located, ObjectValue, Origin, Property, Value } from '../../model/types';
import {
  flushHeredoc, labelText, objectKeyText, templateLiteralText, type Block, type Body, type Expr, type TemplateExpr,
} from '../../syntax/hcl';
import type { ModuleInstance, ParsedFile } from './module';

export interface Scope {
  mod: ModuleInstance;
  file: ParsedFile;
  /** Extra names in scope (for-expression variables, `each`, `count`, dynamic iterators). */
  names?: Map<string, Value>;
}

const MAX_DEPTH = 64;

function unknown(reason: string, scope: Scope, e?: Expr): Value {
  return { kind: 'unknown', reason, loc: e ? { file: scope.file.path, span: e.span } : undefined };
}

function dialectOf(file: ParsedFile): Dialect | 'tfvars' {
  return file.path.endsWith('.tfvars') ? 'tfvars' : 'terraform';
}

/** A copy of a value seen through a reference: new `loc`, origin re-labelled when given. */
function through(v: Value, scope: Scope, e: Expr, relabel?: (o: Origin) => Origin): Value {
  const origin = v.origin && relabel ? relabel(v.origin) : v.origin;
  return { ...v, loc: { file: scope.file.path, span: e.span }, origin };
}

export class Evaluator {
  private readonly localCache = new Map<string, Value>();
  private readonly varCache = new Map<string, Value>();
  private readonly busy = new Set<string>();
  private depth = 0;

  /** Evaluates an expression in a module scope. */
  evaluate(e: Expr, scope: Scope): Value {
    if (this.depth > MAX_DEPTH) return unknown('expression nested too deeply', scope, e);
    this.depth++;
    try {
      return this.eval(e, scope);
    } finally {
      this.depth--;
    }
  }

  private literalOrigin(e: Expr, scope: Scope): Origin {
    return { kind: 'literal', at: { file: scope.file.path, span: e.span }, dialect: dialectOf(scope.file) };
  }

  private eval(e: Expr, scope: Scope): Value {
    const loc = { file: scope.file.path, span: e.span };
    switch (e.kind) {
      case 'Literal': {
        const t = e.token.text;
        const origin = this.literalOrigin(e, scope);
        if (t === 'true' || t === 'false') return { kind: 'bool', value: t === 'true', loc, origin };
        if (t === 'null') return { kind: 'null', loc, origin };
        const n = Number(t);
        return Number.isFinite(n) ? { kind: 'number', value: n, loc, origin } : unknown(`invalid number ${t}`, scope, e);
      }
      case 'Template':
        return this.template(e, scope);
      case 'Paren': {
        const v = this.evaluate(e.expr, scope);
        return { ...v, loc };
      }
      case 'Unary': {
        const v = this.evaluate(e.operand, scope);
        if (e.op.kind === '-' && v.kind === 'number') {
          return { kind: 'number', value: -v.value, loc, origin: e.operand.kind === 'Literal' ? this.literalOrigin(e, scope) : undefined };
        }
        if (e.op.kind === '!' && v.kind === 'bool') return { kind: 'bool', value: !v.value, loc };
        return unknown(`cannot evaluate ${e.op.text}`, scope, e);
      }
      case 'Tuple': {
        const items = e.items.map((i) => this.evaluate(i, scope));
        const arr: ArrayValue = { kind: 'array', items, loc, handle: { dialect: 'terraform', file: scope.file.path, node: e } };
        return arr;
      }
      case 'Object': {
        const props: Property[] = [];
        for (const item of e.items) {
          let key = objectKeyText(item.key);
          if (key === undefined) {
            const k = this.evaluate(item.key, scope);
            if (k.kind === 'string') key = k.value;
            else return unknown('an object key cannot be evaluated', scope, e);
          }
          props.push({
            key,
            keyLoc: { file: scope.file.path, span: item.key.span },
            value: this.evaluate(item.value, scope),
            handle: { dialect: 'terraform', file: scope.file.path, node: item },
          });
        }
        const obj: ObjectValue = { kind: 'object', props, loc, handle: { dialect: 'terraform', file: scope.file.path, node: e } };
        return obj;
      }
      case 'Variable': {
        const bound = scope.names?.get(e.name.text);
        if (bound) return through(bound, scope, e);
        return unknown(`'${e.name.text}' is not known here`, scope, e);
      }
      case 'GetAttr':
      case 'Index':
      case 'Splat':
        return this.traversal(e, scope);
      case 'Conditional': {
        const c = this.evaluate(e.condition, scope);
        if (c.kind === 'bool') return this.evaluate(c.value ? e.trueExpr : e.falseExpr, scope);
        return unknown('the condition cannot be evaluated', scope, e);
      }
      case 'Binary':
        return this.binary(e.op.kind, this.evaluate(e.left, scope), this.evaluate(e.right, scope), scope, e);
      case 'FunctionCall':
        return this.call(e.name.map((n) => n.text).join('::'), e.args, e.expandFinal, scope, e);
      case 'For':
        return this.forExpr(e, scope);
      case 'Error':
        return unknown('a syntax error', scope, e);
    }
  }

  private template(e: TemplateExpr, scope: Scope): Value {
    const loc = { file: scope.file.path, span: e.span };
    // A string still being typed (no closing quote or heredoc marker yet) is not its value.
    if (!e.close) return unknown('the string is not complete', scope, e);
    const lit = templateLiteralText(e);
    if (lit !== undefined) return { kind: 'string', value: lit, loc, origin: this.literalOrigin(e, scope) };
    // A lone interpolation keeps the value's type: "${var.x}" is var.x.
    if (!e.heredoc && e.parts.length === 1 && e.parts[0].kind === 'TemplateInterpolation') {
      return through(this.evaluate(e.parts[0].expr, scope), scope, e);
    }
    let out = '';
    // Literal parts are decoded one by one; a flush heredoc is flushed once, as a whole.
    const piece: TemplateExpr = e.heredoc ? { ...e, heredoc: { ...e.heredoc, flush: false } } : e;
    for (const p of e.parts) {
      if (p.kind === 'TemplateLiteral') {
        const t = templateLiteralText({ ...piece, parts: [p] });
        if (t === undefined) return unknown('a template', scope, e);
        out += t;
      } else if (p.kind === 'TemplateInterpolation') {
        const v = this.evaluate(p.expr, scope);
        if (v.kind === 'string') out += v.value;
        else if (v.kind === 'number' || v.kind === 'bool') out += String(v.value);
        else return unknown(v.kind === 'unknown' ? v.reason : `interpolates a ${v.kind}`, scope, e);
      } else return unknown('a template directive', scope, e);
    }
    return { kind: 'string', value: e.heredoc?.flush ? flushHeredoc(out) : out, loc };
  }

  /** `var.x`, `local.y`, `type.name.attr`, `module.m.out`, then index/attribute steps on known values. */
  private traversal(e: Expr, scope: Scope): Value {
    // Flatten the chain down to its root.
    const steps: Expr[] = [];
    let root: Expr = e;
    while (root.kind === 'GetAttr' || root.kind === 'Index' || root.kind === 'Splat') {
      steps.unshift(root);
      root = root.target;
    }
    if (steps.some((s) => s.kind === 'Splat')) return unknown('a splat expression', scope, e);
    if (root.kind !== 'Variable') {
      let v = this.evaluate(root, scope);
      for (const s of steps) v = this.step(v, s, scope);
      return v;
    }
    const head = root.name.text;
    const attrName = (s: Expr | undefined) => (s && s.kind === 'GetAttr' ? s.name.text : undefined);
    const first = attrName(steps[0]);
    let value: Value;
    let rest: Expr[];
    if (scope.names?.has(head)) {
      value = through(scope.names.get(head)!, scope, root);
      rest = steps;
    } else if (head === 'var' && first) {
      value = through(this.variable(scope.mod, first), scope, steps[0]);
      rest = steps.slice(1);
    } else if (head === 'local' && first) {
      value = through(this.local(scope.mod, first), scope, steps[0], (o) =>
        o.kind === 'literal' ? { ...o, kind: 'variable', name: `local.${first}` } : o,
      );
      rest = steps.slice(1);
    } else if (head === 'module' && first) {
      const call = scope.mod.modules.get(first);
      const out = attrName(steps[1]);
      if (!call || !out) return unknown(`module.${first} is not known`, scope, e);
      if (!call.instance) return unknown(call.notFollowed ?? `module '${first}' was not followed`, scope, e);
      const o = call.instance.outputs.get(out);
      if (!o) return unknown(`module '${first}' has no output '${out}'`, scope, e);
      value = through(this.evaluate(o.attr.expr, { mod: call.instance, file: o.file }), scope, steps[1]);
      rest = steps.slice(2);
    } else if (head === 'data' && first && attrName(steps[1])) {
      const decl = scope.mod.resources.get(`data.${first}.${attrName(steps[1])}`);
      if (!decl) return unknown(`data.${first}.${attrName(steps[1])} is not declared in this module`, scope, e);
      let i = 2;
      if (steps[i]?.kind === 'Index') i++;
      const attribute = attrName(steps[i]) ?? '';
      value = { kind: 'ref', target: decl.resource, attribute, loc: { file: scope.file.path, span: (steps[i] ?? steps[i - 1]).span } };
      rest = steps.slice(i + 1);
      if (rest.length) return unknown(`an attribute of data.${first}.${attrName(steps[1])}.${attribute}`, scope, e);
    } else if (head === 'each' || head === 'count' || head === 'self' || head === 'path' || head === 'terraform') {
      return unknown(`${head}.${first ?? ''} depends on how the resource is instantiated`, scope, e);
    } else if (first) {
      const decl = scope.mod.resources.get(`${head}.${first}`);
      if (!decl) return unknown(`${head}.${first} is not declared in this module`, scope, e);
      // Skip an instance index: `type.name[0].id`, `type.name["k"].id`.
      let i = 1;
      if (steps[i]?.kind === 'Index') i++;
      const attribute = attrName(steps[i]) ?? '';
      value = { kind: 'ref', target: decl.resource, attribute, loc: { file: scope.file.path, span: (steps[i] ?? steps[i - 1]).span } };
      rest = steps.slice(i + 1);
      if (rest.length) return unknown(`an attribute of ${head}.${first}.${attribute}`, scope, e);
    } else {
      return unknown(`'${head}' is not known here`, scope, e);
    }
    for (const s of rest) value = this.step(value, s, scope);
    return value;
  }

  private step(v: Value, s: Expr, scope: Scope): Value {
    if (v.kind === 'unknown') return { ...v, loc: { file: scope.file.path, span: s.span } };
    if (s.kind === 'GetAttr') {
      if (v.kind === 'object') {
        const p = findProp(v, s.name.text);
        if (p) return through(p.value, scope, s);
      }
      return unknown(`no attribute '${s.name.text}'`, scope, s);
    }
    if (s.kind === 'Index') {
      const k = this.evaluate(s.key, scope);
      if (v.kind === 'array' && k.kind === 'number' && Number.isInteger(k.value) && v.items[k.value]) return through(v.items[k.value], scope, s);
      if (v.kind === 'object' && k.kind === 'string') {
        const p = findProp(v, k.value);
        if (p) return through(p.value, scope, s);
      }
      return unknown('an index that cannot be evaluated', scope, s);
    }
    return unknown('a splat expression', scope, s);
  }

  /** The value of a variable: bound (tfvars / module argument), else its default, else unknown. */
  variable(mod: ModuleInstance, name: string): Value {
    const key = `${mod.dir}|${mod.path.join('.')}|${name}`;
    const cached = this.varCache.get(key);
    if (cached) return cached;
    if (this.busy.has(key)) return { kind: 'unknown', reason: `var.${name} refers to itself` };
    this.busy.add(key);
    let v: Value;
    const binding = mod.bindings.get(name);
    const decl = mod.variables.get(name);
    if (binding) {
      const scope: Scope = binding.caller ? { mod: binding.caller, file: binding.file } : { mod, file: binding.file };
      v = binding.caller
        ? passedBy(this.evaluate(binding.attr.expr, scope), binding.file.path, { file: binding.file.path, span: binding.attr.expr.span }, 0)
        : this.evaluate(binding.attr.expr, { mod: emptyModuleLike(mod), file: binding.file });
      if (!binding.caller && v.origin?.kind === 'literal') {
        v = { ...v, origin: { ...v.origin, kind: 'parameter-file', name, dialect: 'tfvars', handle: { dialect: 'terraform', file: binding.file.path, node: binding.attr } } };
      }
      if (decl) v = this.withTypeDefaults(v, decl.block, { mod, file: decl.file });
    } else if (decl?.defaultAttr) {
      v = this.withTypeDefaults(this.evaluate(decl.defaultAttr.expr, { mod, file: decl.file }), decl.block, { mod, file: decl.file });
      if (v.origin?.kind === 'literal') v = { ...v, origin: { ...v.origin, kind: 'parameter-default', name, handle: { dialect: 'terraform', file: decl.file.path, node: decl.block } } };
    } else if (decl) {
      v = { kind: 'unknown', reason: `variable '${name}' has no default and no value in a .tfvars file` };
    } else {
      v = { kind: 'unknown', reason: `variable '${name}' is not declared` };
    }
    this.busy.delete(key);
    this.varCache.set(key, v);
    return v;
  }

  /**
   * A variable's value converted to its type constraint, as far as the defaults go: attributes an
   * `object({...})` declares `optional(T, default)` and the value lacks take the default (null without one).
   */
  private withTypeDefaults(v: Value, block: Block, scope: Scope): Value {
    const typeAttr = block.body.items.find((a) => a.kind === 'Attribute' && a.name.text === 'type');
    return typeAttr && typeAttr.kind === 'Attribute' ? this.conform(v, typeAttr.expr, scope, 0) : v;
  }

  private conform(v: Value, type: Expr, scope: Scope, depth: number): Value {
    if (depth > 16 || type.kind !== 'FunctionCall' || type.name.length !== 1) return v;
    const fn = type.name[0].text;
    const [inner] = type.args;
    if (!inner) return v;
    if (fn === 'map' && v.kind === 'object') {
      return { ...v, props: v.props.map((p) => ({ ...p, value: this.conform(p.value, inner, scope, depth + 1) })) };
    }
    if ((fn === 'list' || fn === 'set') && v.kind === 'array') {
      return { ...v, items: v.items.map((x) => this.conform(x, inner, scope, depth + 1)) };
    }
    if (fn === 'object' && v.kind === 'object' && inner.kind === 'Object') {
      const props = [...v.props];
      for (const item of inner.items) {
        const key = objectKeyText(item.key);
        if (key === undefined) continue;
        const at = props.findIndex((p) => p.key === key);
        const t = item.value;
        const optional = t.kind === 'FunctionCall' && t.name.length === 1 && t.name[0].text === 'optional' ? t : undefined;
        const attrType = optional ? optional.args[0] : t;
        if (at >= 0) {
          if (attrType) props[at] = { ...props[at], value: this.conform(props[at].value, attrType, scope, depth + 1) };
        } else if (optional) {
          const def = optional.args[1];
          const value: Value = def ? this.evaluate(def, scope) : { kind: 'null' };
          props.push({ key, value: attrType ? this.conform(value, attrType, scope, depth + 1) : value });
        }
      }
      return { ...v, props };
    }
    return v;
  }

  /** `[for v in coll : expr if cond]` and `{for k, v in coll : k => v if cond}` over a known collection. */
  private forExpr(e: Extract<Expr, { kind: 'For' }>, scope: Scope): Value {
    const coll = this.evaluate(e.collection, scope);
    let pairs: [Value, Value][];
    if (coll.kind === 'array') pairs = coll.items.map((v, i) => [{ kind: 'number', value: i }, v]);
    else if (coll.kind === 'object') pairs = coll.props.map((p) => [{ kind: 'string', value: p.key }, p.value]);
    else return unknown(coll.kind === 'unknown' ? coll.reason : 'a for expression over a value that is not a collection', scope, e);
    if (pairs.length > MAX_DYNAMIC_ITEMS || e.grouped) return unknown('a for expression', scope, e);
    const loc = { file: scope.file.path, span: e.span };
    const items: Value[] = [];
    const props: Property[] = [];
    for (const [key, value] of pairs) {
      const names = new Map(scope.names ?? []);
      if (e.keyVar) names.set(e.keyVar.text, key);
      if (e.valueVar) names.set(e.valueVar.text, value);
      const inner: Scope = { ...scope, names };
      if (e.condition) {
        const c = this.evaluate(e.condition, inner);
        if (c.kind !== 'bool') return unknown('the condition of a for expression cannot be evaluated', scope, e);
        if (!c.value) continue;
      }
      const v = this.evaluate(e.valueExpr, inner);
      if (!e.keyExpr) {
        items.push(v);
        continue;
      }
      const k = this.evaluate(e.keyExpr, inner);
      if (k.kind !== 'string') return unknown('a for expression key that cannot be evaluated', scope, e);
      props.push({ key: k.value, value: v });
    }
    return e.keyExpr ? { kind: 'object', props, loc } : { kind: 'array', items, loc };
  }

  local(mod: ModuleInstance, name: string): Value {
    const key = `${mod.dir}|${mod.path.join('.')}|${name}`;
    const cached = this.localCache.get(key);
    if (cached) return cached;
    if (this.busy.has(`local|${key}`)) return { kind: 'unknown', reason: `local.${name} refers to itself` };
    const decl = mod.locals.get(name);
    if (!decl) return { kind: 'unknown', reason: `local '${name}' is not declared` };
    this.busy.add(`local|${key}`);
    const v = this.evaluate(decl.attr.expr, { mod, file: decl.file });
    this.busy.delete(`local|${key}`);
    this.localCache.set(key, v);
    return v;
  }

  private binary(op: string, l: Value, r: Value, scope: Scope, e: Expr): Value {
    const loc = { file: scope.file.path, span: e.span };
    if (op === '&&' || op === '||') {
      if (l.kind === 'bool' && r.kind === 'bool') return { kind: 'bool', value: op === '&&' ? l.value && r.value : l.value || r.value, loc };
      // Short-circuit where one side decides.
      if (op === '&&' && ((l.kind === 'bool' && !l.value) || (r.kind === 'bool' && !r.value))) return { kind: 'bool', value: false, loc };
      if (op === '||' && ((l.kind === 'bool' && l.value) || (r.kind === 'bool' && r.value))) return { kind: 'bool', value: true, loc };
      return unknown('a condition that cannot be evaluated', scope, e);
    }
    if (l.kind === 'unknown' || r.kind === 'unknown') return unknown(l.kind === 'unknown' ? l.reason : (r as { reason: string }).reason, scope, e);
    if (op === '==' || op === '!=') {
      const prim = (v: Value) => (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool' ? v.value : v.kind === 'null' ? null : undefined);
      const a = prim(l);
      const b = prim(r);
      if (a === undefined || b === undefined) return unknown('a comparison of collections', scope, e);
      return { kind: 'bool', value: op === '==' ? a === b : a !== b, loc };
    }
    if (l.kind === 'number' && r.kind === 'number') {
      const a = l.value;
      const b = r.value;
      switch (op) {
        case '+': return { kind: 'number', value: a + b, loc };
        case '-': return { kind: 'number', value: a - b, loc };
        case '*': return { kind: 'number', value: a * b, loc };
        case '/': return b === 0 ? unknown('division by zero', scope, e) : { kind: 'number', value: a / b, loc };
        case '%': return b === 0 ? unknown('division by zero', scope, e) : { kind: 'number', value: a % b, loc };
        case '<': return { kind: 'bool', value: a < b, loc };
        case '<=': return { kind: 'bool', value: a <= b, loc };
        case '>': return { kind: 'bool', value: a > b, loc };
        case '>=': return { kind: 'bool', value: a >= b, loc };
      }
    }
    return unknown(`cannot evaluate ${op}`, scope, e);
  }

  private call(name: string, argExprs: Expr[], expand: boolean, scope: Scope, e: Expr): Value {
    if (expand) return unknown(`${name}(…) with an expanded argument`, scope, e);
    const loc = { file: scope.file.path, span: e.span };
    // try() and coalesce() pick the first usable argument without evaluating errors elsewhere.
    if (name === 'try') {
      for (const a of argExprs) {
        const v = this.evaluate(a, scope);
        if (v.kind !== 'unknown') return v;
        return unknown('try(…) whose first argument cannot be evaluated', scope, e);
      }
      return unknown('try() without arguments', scope, e);
    }
    const args = argExprs.map((a) => this.evaluate(a, scope));
    const bad = args.find((a) => a.kind === 'unknown');
    if (bad && bad.kind === 'unknown') return unknown(`${name}(…): ${bad.reason}`, scope, e);
    const str = (v: Value | undefined) => (v && (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') ? String(v.value) : undefined);
    switch (name) {
      case 'lower':
      case 'upper': {
        const s = str(args[0]);
        if (s === undefined) break;
        return { kind: 'string', value: name === 'lower' ? s.toLowerCase() : s.toUpperCase(), loc };
      }
      case 'tostring': {
        const s = str(args[0]);
        return s === undefined ? unknown('tostring of a collection', scope, e) : { ...args[0], kind: 'string', value: s, loc } as Value;
      }
      case 'tobool': {
        const a = args[0];
        if (a?.kind === 'bool') return { ...a, loc };
        if (a?.kind === 'string' && (a.value === 'true' || a.value === 'false')) return { kind: 'bool', value: a.value === 'true', loc };
        break;
      }
      case 'tonumber': {
        const a = args[0];
        if (a?.kind === 'number') return { ...a, loc };
        if (a?.kind === 'string' && Number.isFinite(Number(a.value))) return { kind: 'number', value: Number(a.value), loc };
        break;
      }
      case 'coalesce':
        for (const a of args) if (a.kind !== 'null' && !(a.kind === 'string' && a.value === '')) return a;
        break;
      case 'tolist':
      case 'toset':
      case 'tomap':
        if (args[0]) return { ...args[0], loc };
        break;
      case 'concat': {
        const items: Value[] = [];
        for (const a of args) {
          if (a.kind !== 'array') return unknown('concat of a non-list', scope, e);
          items.push(...a.items);
        }
        return { kind: 'array', items, loc };
      }
      case 'merge': {
        const props: Property[] = [];
        for (const a of args) {
          if (a.kind === 'null') continue;
          if (a.kind !== 'object') return unknown('merge of a non-object', scope, e);
          for (const p of a.props) {
            const i = props.findIndex((q) => q.key === p.key);
            if (i >= 0) props.splice(i, 1);
            props.push(p);
          }
        }
        return { kind: 'object', props, loc };
      }
      case 'lookup': {
        const [m, k, d] = args;
        if (m?.kind === 'object' && k?.kind === 'string') {
          const p = findProp(m, k.value);
          if (p) return p.value;
          if (d) return d;
        }
        break;
      }
      case 'length': {
        const a = args[0];
        if (a?.kind === 'array') return { kind: 'number', value: a.items.length, loc };
        if (a?.kind === 'object') return { kind: 'number', value: a.props.length, loc };
        if (a?.kind === 'string') return { kind: 'number', value: [...a.value].length, loc };
        break;
      }
      case 'join': {
        const [sep, list] = args;
        if (sep?.kind === 'string' && list?.kind === 'array') {
          const parts = list.items.map(str);
          if (parts.every((p) => p !== undefined)) return { kind: 'string', value: parts.join(sep.value), loc };
        }
        break;
      }
      case 'format': {
        const f = str(args[0]);
        if (f === undefined) break;
        let i = 1;
        let ok = true;
        const value = f.replace(/%%|%[sdv]/g, (m) => {
          if (m === '%%') return '%';
          const s = str(args[i++]);
          if (s === undefined) ok = false;
          return s ?? '';
        });
        if (ok) return { kind: 'string', value, loc };
        break;
      }
      default:
        return unknown(`the function ${name}() is not evaluated`, scope, e);
    }
    return unknown(`${name}(…) cannot be evaluated`, scope, e);
  }

  /**
   * The blocks a `dynamic` block generates when its `for_each` is a known list or map: the content
   * evaluated once per element with the iterator (`<label>` or `iterator = x`) bound to `{ key, value }`.
   */
  private expandDynamic(item: Block, content: Block, label: string, scope: Scope): ObjectValue[] | undefined {
    const forEach = item.body.items.find((a): a is Extract<typeof item.body.items[number], { kind: 'Attribute' }> => a.kind === 'Attribute' && a.name.text === 'for_each');
    if (!forEach) return undefined;
    const iteratorAttr = item.body.items.find((a): a is Extract<typeof item.body.items[number], { kind: 'Attribute' }> => a.kind === 'Attribute' && a.name.text === 'iterator');
    let iterator = label;
    if (iteratorAttr) {
      if (iteratorAttr.expr.kind !== 'Variable') return undefined;
      iterator = iteratorAttr.expr.name.text;
    }
    const list = this.evaluate(forEach.expr, scope);
    let pairs: [Value, Value][];
    if (list.kind === 'array') pairs = list.items.map((v, i) => [v.kind === 'string' ? v : { kind: 'number', value: i }, v]);
    else if (list.kind === 'object') pairs = list.props.map((p) => [{ kind: 'string', value: p.key }, p.value]);
    else return undefined;
    if (pairs.length > MAX_DYNAMIC_ITEMS) return undefined;
    return pairs.map(([key, value]) => {
      const names = new Map(scope.names ?? []);
      names.set(iterator, { kind: 'object', props: [{ key: 'key', value: key }, { key: 'value', value }] });
      const c = this.body(content.body, { ...scope, names });
      c.loc = { file: scope.file.path, span: item.span };
      c.handle = { dialect: 'terraform', file: scope.file.path, node: content };
      c.block = true;
      return c;
    });
  }

  /** The body of a block as an object: attributes, nested blocks (repeated → array), dynamic blocks. */
  body(body: Body, scope: Scope, dynamic = false): ObjectValue {
    const props: Property[] = [];
    const blockGroups = new Map<string, Property>();
    for (const item of body.items) {
      if (item.kind === 'Attribute') {
        let value = this.evaluate(item.expr, scope);
        if (dynamic) value = { kind: 'unknown', reason: 'a value inside a dynamic block (repeated for each element of for_each)', loc: value.loc };
        props.push({ key: item.name.text, keyLoc: { file: scope.file.path, span: item.name.span }, value, handle: { dialect: 'terraform', file: scope.file.path, node: item } });
      } else if (item.kind === 'Block') {
        let name = item.type.text;
        let content: ObjectValue;
        if (name === 'dynamic' && item.labels.length === 1) {
          name = labelText(item.labels[0]);
          const inner = item.body.items.find((b): b is Block => b.kind === 'Block' && b.type.text === 'content');
          const expanded = inner && !dynamic ? this.expandDynamic(item, inner, name, scope) : undefined;
          if (expanded) {
            // One block per element of a known for_each, as Terraform generates them.
            for (const c of expanded) {
              const existing = blockGroups.get(name);
              if (!existing) {
                const prop: Property = { key: name, keyLoc: { file: scope.file.path, span: item.type.span }, value: c, handle: { dialect: 'terraform', file: scope.file.path, node: item } };
                blockGroups.set(name, prop);
                props.push(prop);
              } else if (existing.value.kind === 'array') existing.value.items.push(c);
              else existing.value = { kind: 'array', items: [existing.value, c], loc: existing.value.loc };
            }
            if (expanded.length === 0 && !blockGroups.has(name)) continue;
            continue;
          }
          content = inner ? this.body(inner.body, scope, true) : { kind: 'object', props: [], block: true };
          content.loc = { file: scope.file.path, span: item.span };
          content.handle = { dialect: 'terraform', file: scope.file.path, node: inner ?? item };
        } else {
          content = this.body(item.body, scope, dynamic);
          content.loc = { file: scope.file.path, span: item.span };
          content.handle = { dialect: 'terraform', file: scope.file.path, node: item };
        }
        content.block = true;
        const existing = blockGroups.get(name);
        if (!existing) {
          const prop: Property = { key: name, keyLoc: { file: scope.file.path, span: item.type.span }, value: content, handle: { dialect: 'terraform', file: scope.file.path, node: item } };
          blockGroups.set(name, prop);
          props.push(prop);
        } else if (existing.value.kind === 'array') {
          existing.value.items.push(content);
        } else {
          existing.value = { kind: 'array', items: [existing.value, content], loc: existing.value.loc };
        }
      }
    }
    return { kind: 'object', props, block: true, loc: { file: scope.file.path, span: body.span } };
  }
}

const MAX_DYNAMIC_ITEMS = 64;

function findProp(o: ObjectValue, key: string): Property | undefined {
  for (let i = o.props.length - 1; i >= 0; i--) if (o.props[i].key === key) return o.props[i];
  return undefined;
}

/**
 * A module argument's value, marked with the caller's argument that passed it so a finding about it
 * is reported there. The outermost caller's mark stays; an element of a literal written in the
 * argument is marked at itself, any other element at the argument.
 */
function passedBy(v: Value, file: string, at: Located, depth: number): Value {
  if (v.passedAt) return v;
  const own = depth > 0 && v.loc?.file === file ? v.loc : at;
  if (depth > 16) return { ...v, passedAt: own } as Value;
  if (v.kind === 'object') return { ...v, passedAt: own, props: v.props.map((p) => ({ ...p, value: passedBy(p.value, file, own, depth + 1) })) };
  if (v.kind === 'array') return { ...v, passedAt: own, items: v.items.map((x) => passedBy(x, file, own, depth + 1)) };
  return { ...v, passedAt: own } as Value;
}

/** tfvars values are evaluated without access to the module (they may only hold literals). */
function emptyModuleLike(mod: ModuleInstance): ModuleInstance {
  return { ...mod, variables: new Map(), bindings: new Map(), locals: new Map(), resources: new Map(), modules: new Map(), outputs: new Map() };
}
