// Lowers ARM JSON templates into the resource model, evaluating the expressions that decide rules.
import type { Node } from 'jsonc-parser';
import { findNodeAtLocation } from 'jsonc-parser';
import type { ArrayValue, Note, ObjectValue, Origin, Property, Resource, SourceFile, Unit, Value } from '../../model/types';
import { child, parseArm, stringOf } from '../../syntax/arm/parse';
import { isExpression, literalValue, parseExpression, type Expr } from '../../syntax/arm/expression';
import type { FileHost } from '../types';
import { boundedHost, insideBoundary, outsideNote } from '../boundary';
import { NameIndex } from '../names';
import type { Span } from '../../text';
import { dirname, resolve } from 'node:path';

const SCHEMA_RE = /"\$schema"\s*:\s*"[^"]*deploymentTemplate\.json/i;

/** Whether a JSON file is an ARM deployment template (resource group, subscription, management group or tenant). */
export function isArmTemplateText(text: string): boolean {
  return SCHEMA_RE.test(text);
}

/** `main.json` → `main.parameters.json` beside it. */
export function parametersFileFor(path: string): string {
  return path.replace(/\.jsonc?$/i, '.parameters.json');
}

/** The templates that read `path` as their parameters file (`main.parameters.json` → `main.json`, `main.jsonc`). */
export function templatesForParametersFile(path: string): string[] {
  if (!/\.parameters\.json$/i.test(path)) return [];
  const stem = path.slice(0, -'.parameters.json'.length);
  return [`${stem}.json`, `${stem}.jsonc`].filter((t) => parametersFileFor(t) === path);
}

const PARAMETERS_SCHEMA_RE = /"\$schema"\s*:\s*"[^"]*deploymentParameters\.json/i;

/** Whether a JSON file is an ARM parameters file (its `$schema`). */
export function isArmParametersText(text: string): boolean {
  return PARAMETERS_SCHEMA_RE.test(text);
}

interface ParamDef {
  name: string;
  decl: Node;
  supplied?: Value;
}

class Scope {
  readonly params = new Map<string, ParamDef>();
  readonly vars = new Map<string, Node>();
  private readonly varValues = new Map<string, Value>();
  private readonly paramValues = new Map<string, Value>();
  private readonly evaluating = new Set<string>();

  constructor(
    readonly file: string,
    readonly lowering: ArmLowering,
  ) {}

  variable(name: string): Value {
    const key = name.toLowerCase();
    const cached = this.varValues.get(key);
    if (cached) return cached;
    const node = this.vars.get(key);
    if (!node) return unknown(`variable '${name}' is not declared`);
    if (this.evaluating.has(key)) return unknown(`variable '${name}' refers to itself`);
    this.evaluating.add(key);
    let v = this.lowering.convert(node, this);
    this.evaluating.delete(key);
    if (v.origin?.kind === 'literal') v = derive(v, { origin: { ...v.origin, kind: 'variable', name } });
    tagSource(v, node);
    this.varValues.set(key, v);
    return v;
  }

  parameter(name: string): Value {
    const key = name.toLowerCase();
    const cached = this.paramValues.get(key);
    if (cached) return cached;
    const v = this.evaluateParameter(name);
    const def = this.params.get(key);
    if (def) tagSource(v, def.decl);
    this.paramValues.set(key, v);
    return v;
  }

  private evaluateParameter(name: string): Value {
    const def = this.params.get(name.toLowerCase());
    if (!def) return unknown(`parameter '${name}' is not declared`);
    if (def.supplied) return def.supplied;
    const allowedNode = child(def.decl, 'allowedValues');
    const allowed = allowedNode ? this.lowering.convert(allowedNode, this) : undefined;
    const allowedValues = allowed?.kind === 'array' ? allowed : undefined;
    const defaultNode = child(def.decl, 'defaultValue');
    if (defaultNode) {
      const v = this.lowering.convert(defaultNode, this);
      if (v.origin?.kind === 'literal') {
        return { ...v, origin: { ...v.origin, kind: 'parameter-default', name: def.name, allowedValues, handle: { dialect: 'arm', file: this.file, node: def.decl } } };
      }
      return v;
    }
    if (allowedValues && allowedValues.items.length === 1) return allowedValues.items[0];
    return unknown(`parameter '${def.name}' has no default value`);
  }
}

/**
 * Where a value came from (a parameter's or variable's declaration), kept through copies, so that
 * two resources named by the same parameter, passed down into nested deployments, are recognised.
 */
const valueSource = new WeakMap<object, object>();

/** A copy of `v` with other fields, keeping its source. */
function derive(v: Value, fields: Partial<Pick<Value, 'loc' | 'origin' | 'passedAt'>>): Value {
  const out = { ...v, ...fields } as Value;
  const src = valueSource.get(v);
  if (src) valueSource.set(out, src);
  return out;
}

/** Records `source` as where `v` came from, unless it already has one. */
function tagSource(v: Value, source: object): void {
  if (!valueSource.has(v)) valueSource.set(v, source);
}

function unknown(reason: string, loc?: Value['loc']): Value {
  return { kind: 'unknown', reason, loc };
}

/** The nested deployments (inline or linked) a resource is deployed through, from the root template. */
export interface Nest {
  /** Their names, outermost first. */
  path: string[];
  /** The deployment scope: the root's (''), unless a deployment sets `resourceGroup`, `subscriptionId` or `scope`. */
  scopeKey: string;
  /** A deployment on the way is repeated (`copy`). */
  loop: boolean;
}

const ROOT_NEST: Nest = { path: [], scopeKey: '', loop: false };

interface Named {
  resource: Resource;
  name: Value;
  nest: Nest;
}

interface Pending extends Named {
  node: Node;
  scope: Scope;
}

/** Loads a linked template (`templateLink.relativePath`) with the values its deployment passes. */
export type ArmLinker = (relativePath: string, from: string, supplied: Map<string, Value>, via: string[], nest: Nest) => ArmLowering | undefined;

/** Builds the resources of one template file (and its nested templates). */
export class ArmLowering {
  readonly resources: Resource[] = [];
  private readonly pending: Pending[] = [];
  /** Resources of linked templates, by type and name, for `resourceId()` in this one. */
  private readonly linked: Named[] = [];

  constructor(
    private readonly file: string,
    private readonly linker?: ArmLinker,
    private readonly via: string[] = [],
    private readonly base: Nest = ROOT_NEST,
  ) {}

  /** Lowers a linked template whose parameters the calling deployment supplies. */
  lowerLinked(root: Node, supplied: Map<string, Value>): void {
    const scope = this.scopeFor(root);
    for (const [name, value] of supplied) {
      const def = scope.params.get(name.toLowerCase());
      if (def) def.supplied = value;
    }
    this.declare(root, scope, undefined, this.base, 0);
    for (const p of this.pending) this.lowerBody(p);
    if (this.via.length > 0) for (const p of this.pending) p.resource.viaModule = [...this.via];
  }

  /** Converts a JSON node to a model value, evaluating expressions. */
  convert(node: Node, scope: Scope): Value {
    const loc = { file: this.file, span: spanOf(node) };
    switch (node.type) {
      case 'object': {
        const props: Property[] = [];
        for (const p of node.children ?? []) {
          const [k, v] = p.children ?? [];
          if (!k || typeof k.value !== 'string') continue;
          props.push({
            key: k.value,
            keyLoc: { file: this.file, span: spanOf(k) },
            value: v ? this.convert(v, scope) : unknown('the value is missing', loc),
            handle: { dialect: 'arm', file: this.file, node: p },
          });
          // Property iteration: `"copy": [{ "name": "logs", "count": …, "input": … }]` builds property `logs` at deployment time.
          if (k.value.toLowerCase() === 'copy' && v?.type === 'array') {
            for (const entry of v.children ?? []) {
              const name = child(entry, 'name');
              if (typeof name?.value !== 'string') continue;
              props.push({
                key: name.value,
                keyLoc: { file: this.file, span: spanOf(name) },
                value: unknown(`property '${name.value}' is built by a copy loop`, { file: this.file, span: spanOf(entry) }),
                handle: { dialect: 'arm', file: this.file, node: p },
              });
            }
          }
        }
        return { kind: 'object', props, loc, handle: { dialect: 'arm', file: this.file, node } };
      }
      case 'array':
        return { kind: 'array', items: (node.children ?? []).map((c) => this.convert(c, scope)), loc, handle: { dialect: 'arm', file: this.file, node } };
      case 'string': {
        const s = node.value as string;
        if (!isExpression(s)) return { kind: 'string', value: literalValue(s), loc, origin: literalOrigin(this.file, node) };
        const expr = parseExpression(s);
        if (!expr) return unknown('the expression is malformed', loc);
        return derive(this.evaluate(expr, scope, 0), { loc });
      }
      case 'number':
        return { kind: 'number', value: node.value as number, loc, origin: literalOrigin(this.file, node) };
      case 'boolean':
        return { kind: 'bool', value: node.value as boolean, loc, origin: literalOrigin(this.file, node) };
      case 'null':
        return { kind: 'null', loc, origin: literalOrigin(this.file, node) };
      default:
        return unknown('unexpected JSON', loc);
    }
  }

  private evaluate(e: Expr, scope: Scope, depth: number): Value {
    if (depth > 64) return unknown('the expression is nested too deeply');
    switch (e.t) {
      case 'string':
        return { kind: 'string', value: e.value };
      case 'number':
        return { kind: 'number', value: e.value };
      case 'ident':
        return constant(e.name) ?? unknown(`'${e.name}' is not a value`);
      case 'member': {
        const obj = this.evaluate(e.object, scope, depth + 1);
        return member(obj, e.name);
      }
      case 'index': {
        const obj = this.evaluate(e.object, scope, depth + 1);
        const idx = this.evaluate(e.index, scope, depth + 1);
        if (obj.kind === 'array' && idx.kind === 'number') return obj.items[idx.value] ?? unknown('index out of range');
        if (obj.kind === 'object' && idx.kind === 'string') return member(obj, idx.value);
        return unknown('an index that cannot be evaluated');
      }
      case 'call':
        return this.call(e.name.toLowerCase(), e.args, scope, depth);
    }
  }

  private call(name: string, args: Expr[], scope: Scope, depth: number): Value {
    const arg = (i: number) => (args[i] ? this.evaluate(args[i], scope, depth + 1) : unknown('missing argument'));
    const all = () => args.map((a) => this.evaluate(a, scope, depth + 1));
    switch (name) {
      case 'parameters': {
        const n = arg(0);
        return n.kind === 'string' ? scope.parameter(n.value) : unknown('a parameter name that cannot be evaluated');
      }
      case 'variables': {
        const n = arg(0);
        return n.kind === 'string' ? scope.variable(n.value) : unknown('a variable name that cannot be evaluated');
      }
      case 'true':
      case 'false':
      case 'null':
        return constant(name)!;
      case 'concat': {
        const vs = all();
        if (vs.every((v) => v.kind === 'array')) return { kind: 'array', items: vs.flatMap((v) => (v as ArrayValue).items) };
        const parts = vs.map(scalarText);
        return parts.every((p) => p !== undefined) ? { kind: 'string', value: parts.join('') } : unknown('concat of values that cannot be evaluated');
      }
      case 'format': {
        const vs = all();
        const fmt = vs[0];
        if (fmt?.kind !== 'string') return unknown('format string cannot be evaluated');
        let ok = true;
        const out = fmt.value.replace(/\{(\d+)(:[^}]*)?\}/g, (_, i: string, spec: string | undefined) => {
          const t = vs[Number(i) + 1] ? scalarText(vs[Number(i) + 1]) : undefined;
          if (t === undefined || spec) ok = false;
          return t ?? '';
        });
        return ok ? { kind: 'string', value: out } : unknown('format arguments cannot be evaluated');
      }
      case 'if': {
        const c = arg(0);
        if (c.kind !== 'bool') return unknown('a condition that cannot be evaluated');
        return c.value ? arg(1) : arg(2);
      }
      case 'equals': {
        const [a, b] = all();
        const ta = a && scalarText(a);
        const tb = b && scalarText(b);
        if (ta === undefined || tb === undefined || a.kind !== b.kind) return unknown('a comparison that cannot be evaluated');
        return { kind: 'bool', value: ta === tb };
      }
      case 'not': {
        const v = arg(0);
        return v.kind === 'bool' ? { kind: 'bool', value: !v.value } : unknown('a condition that cannot be evaluated');
      }
      case 'and':
      case 'or': {
        const vs = all();
        if (!vs.every((v) => v.kind === 'bool')) return unknown('a condition that cannot be evaluated');
        const bools = vs.map((v) => (v as { value: boolean }).value);
        return { kind: 'bool', value: name === 'and' ? bools.every(Boolean) : bools.some(Boolean) };
      }
      case 'tolower':
      case 'toupper': {
        const v = arg(0);
        if (v.kind !== 'string') return unknown(`${name} of a value that cannot be evaluated`);
        return { kind: 'string', value: name === 'tolower' ? v.value.toLowerCase() : v.value.toUpperCase() };
      }
      case 'string': {
        const v = arg(0);
        const t = scalarText(v);
        return t !== undefined ? { kind: 'string', value: t } : unknown('string() of a value that cannot be evaluated');
      }
      case 'bool': {
        const v = arg(0);
        if (v.kind === 'bool') return v;
        if (v.kind === 'string' && /^(true|false)$/i.test(v.value)) return { kind: 'bool', value: v.value.toLowerCase() === 'true' };
        return unknown('bool() of a value that cannot be evaluated');
      }
      case 'coalesce': {
        for (const v of all()) {
          if (v.kind === 'unknown') return unknown('coalesce of values that cannot be evaluated');
          if (v.kind !== 'null') return v;
        }
        return { kind: 'null' };
      }
      case 'json': {
        const v = arg(0);
        if (v.kind !== 'string') return unknown('json() of a value that cannot be evaluated');
        try {
          return fromPlain(JSON.parse(v.value));
        } catch {
          return unknown('json() of invalid JSON');
        }
      }
      case 'resourceid':
      case 'subscriptionresourceid':
      case 'tenantresourceid':
      case 'extensionresourceid':
        return this.resourceId(all());
      default:
        return unknown(`${name}() is evaluated at deployment time`);
    }
  }

  /** resourceId([sub], [rg], type, name…) → a reference to the matching resource of this unit. */
  private resourceId(args: Value[]): Value {
    const texts = args.map(scalarText);
    const typeIndex = texts.findIndex((t) => t !== undefined && /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9]/.test(t));
    if (typeIndex < 0) return unknown('resourceId() with a type that cannot be evaluated');
    const names = texts.slice(typeIndex + 1);
    if (names.some((n) => n === undefined)) {
      // `resourceId('T', parameters('n'))` names the resource of this template declared with name `parameters('n')`.
      const bySource = typeIndex === 0 && names.length === 1 ? this.findResourceBySource(texts[0]!, args[1]!) : undefined;
      return bySource ? { kind: 'ref', target: bySource, attribute: 'id' } : unknown('resourceId() with a name that cannot be evaluated');
    }
    const type = texts[typeIndex]!;
    const name = names.join('/');
    const target = this.findResource(type, name);
    return target ? { kind: 'ref', target, attribute: 'id' } : unknown(`resourceId() of a resource outside this template (${type}/${name})`);
  }

  /** The one resource of type `type` whose name comes from the same declaration as `name` (a parameter or variable). */
  private findResourceBySource(type: string, name: Value): Resource | undefined {
    const source = valueSource.get(name);
    if (source === undefined) return undefined;
    const t = type.toLowerCase();
    const found = [...this.pending, ...this.linked].filter((p) => p.resource.kind.toLowerCase() === t && valueSource.get(p.name) === source);
    return found.length === 1 ? found[0]!.resource : undefined;
  }

  /** The resources of this template and the templates it links, with their names. */
  named(): Named[] {
    return [...this.pending, ...this.linked];
  }

  findResource(type: string, name: string): Resource | undefined {
    const t = type.toLowerCase();
    const n = name.toLowerCase();
    for (const p of [...this.pending, ...this.linked]) {
      if (p.resource.kind.toLowerCase() !== t) continue;
      const pn = p.name.kind === 'string' ? p.name.value.toLowerCase() : undefined;
      if (pn === n) return p.resource;
    }
    return undefined;
  }

  /** Declares the resources of a template (and nested templates), then lowers their bodies. */
  lowerTemplate(root: Node, supplied: Node | undefined, suppliedFile: string | undefined): void {
    const scope = this.scopeFor(root);
    if (supplied && suppliedFile) {
      for (const p of supplied.children ?? []) {
        const [k, v] = p.children ?? [];
        const valueNode = child(v, 'value');
        const def = k && typeof k.value === 'string' ? scope.params.get(k.value.toLowerCase()) : undefined;
        if (def && valueNode) {
          const sub = new ArmLowering(suppliedFile);
          const value = sub.convert(valueNode, new Scope(suppliedFile, sub));
          // A fix that changes the value keeps the template's allowedValues consistent (as for a default).
          const allowed = child(def.decl, 'allowedValues');
          const listed = allowed ? this.convert(allowed, scope) : undefined;
          const allowedValues = listed?.kind === 'array' ? listed : undefined;
          def.supplied = value.origin ? { ...value, origin: { ...value.origin, kind: 'parameter-file', name: def.name, dialect: 'arm-parameters', allowedValues } } : value;
        }
      }
    }
    this.declare(root, scope, undefined, this.base, 0);
    for (const p of this.pending) this.lowerBody(p);
  }

  private scopeFor(template: Node): Scope {
    const scope = new Scope(this.file, this);
    for (const p of child(template, 'parameters')?.children ?? []) {
      const [k, v] = p.children ?? [];
      if (k && typeof k.value === 'string' && v) scope.params.set(k.value.toLowerCase(), { name: k.value, decl: v });
    }
    for (const p of child(template, 'variables')?.children ?? []) {
      const [k, v] = p.children ?? [];
      if (k && typeof k.value === 'string' && v) scope.vars.set(k.value.toLowerCase(), v);
    }
    return scope;
  }

  private declare(template: Node, scope: Scope, parent: Pending | undefined, nest: Nest, depth: number): void {
    if (depth > 16) return;
    const list = child(template, 'resources');
    if (!list) return;
    const entries: { node: Node; symbol?: string }[] = [];
    if (list.type === 'array') for (const n of list.children ?? []) entries.push({ node: n });
    else if (list.type === 'object') {
      for (const p of list.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) entries.push({ node: v, symbol: String(k.value) });
      }
    }
    for (const { node, symbol } of entries) {
      if (node.type !== 'object') continue;
      this.declareResource(node, scope, parent, symbol, nest, depth);
    }
  }

  private declareResource(node: Node, scope: Scope, parent: Pending | undefined, symbol: string | undefined, nest: Nest, depth: number): void {
    const typeNode = child(node, 'type');
    const rawType = stringOf(typeNode);
    if (!typeNode || rawType === undefined) return; // half-typed: no type yet
    const kind = parent && !/^[A-Za-z0-9]+\.[A-Za-z0-9.]+\//.test(rawType) ? `${parent.resource.kind}/${rawType}` : rawType;
    const nameNode = child(node, 'name');
    let name: Value = nameNode ? this.convert(nameNode, scope) : unknown('no name');
    if (parent && name.kind === 'string' && parent.name.kind === 'string' && !name.value.includes('/')) {
      name = { ...name, value: `${parent.name.value}/${name.value}` };
    }
    const apiNode = child(node, 'apiVersion');
    const api = apiNode ? this.convert(apiNode, scope) : undefined;
    const conditionNode = child(node, 'condition');
    const condition = conditionNode ? this.convert(conditionNode, scope) : undefined;
    const resource: Resource = {
      id: `${this.file}#${this.via.length > 0 ? `${this.via.join('/')}/` : ''}${node.offset}`,
      kind,
      schema: 'arm',
      dialect: 'arm',
      symbolicName: symbol ?? (nameNode ? String(nameNode.value) : rawType),
      apiVersion: api?.kind === 'string' ? api.value : undefined,
      file: this.file,
      head: spanOf(typeNode),
      span: spanOf(node),
      body: { kind: 'object', props: [] },
      parent: parent?.resource,
      conditional: condition !== undefined && !(condition.kind === 'bool' && condition.value),
      loop: child(node, 'copy') !== undefined,
      existing: child(node, 'existing')?.value === true,
      handle: { dialect: 'arm', file: this.file, node },
    };
    if (nest.path.length > 0) resource.nestedIn = [...nest.path];
    const pending: Pending = { resource, node, scope, name, nest };
    this.pending.push(pending);
    this.resources.push(resource);
    // Nested child resources.
    this.declare(node, scope, pending, nest, depth + 1);
    // Inline nested deployments, and linked ones by relative path.
    if (kind.toLowerCase() === 'microsoft.resources/deployments') {
      const props = child(node, 'properties');
      const deploymentName = symbol ?? (name.kind === 'string' ? name.value : String(node.offset));
      const path = [...nest.path, deploymentName];
      const scoped = ['resourceGroup', 'subscriptionId', 'scope'].some((k) => child(node, k) !== undefined);
      const inner: Nest = { path, scopeKey: scoped ? path.join('/') : nest.scopeKey, loop: nest.loop || resource.loop === true };
      const relativePath = stringOf(child(child(props, 'templateLink'), 'relativePath'));
      if (relativePath && this.linker && !isExpression(relativePath)) {
        const supplied = new Map<string, Value>();
        for (const [name, value] of this.deploymentArguments(props, scope)) supplied.set(name, value);
        const sub = this.linker(relativePath, this.file, supplied, [...this.via, deploymentName], inner);
        if (sub) {
          this.resources.push(...sub.resources);
          this.linked.push(...sub.named());
        }
      }
      const template = child(props, 'template');
      if (template && template.type === 'object') {
        const innerScopeMode = stringOf(child(child(props, 'expressionEvaluationOptions'), 'scope'));
        let innerScope = scope;
        if (innerScopeMode?.toLowerCase() === 'inner') {
          innerScope = this.scopeFor(template);
          for (const [name, value] of this.deploymentArguments(props, scope)) {
            const def = innerScope.params.get(name.toLowerCase());
            if (def) def.supplied = value;
          }
        }
        this.declare(template, innerScope, undefined, inner, depth + 1);
      }
    }
  }

  /**
   * The `parameters` a deployment passes (`{ "name": { "value": … } }`), evaluated in the caller's
   * scope; each value records the argument as where it is passed, which is where a finding about a
   * value the caller passes goes.
   */
  private deploymentArguments(props: Node | undefined, scope: Scope): [string, Value][] {
    const out: [string, Value][] = [];
    for (const p of child(props, 'parameters')?.children ?? []) {
      const [k, v] = p.children ?? [];
      const valueNode = child(v, 'value');
      if (!k || typeof k.value !== 'string' || !valueNode) continue;
      const value = this.convert(valueNode, scope);
      out.push([k.value, value.passedAt ? value : derive(value, { passedAt: { file: this.file, span: spanOf(valueNode) } })]);
    }
    return out;
  }

  /**
   * Resource bodies are lowered on first use: rules read few resource kinds, and large generated
   * templates (nested deployments of nested deployments) would otherwise be evaluated many times.
   */
  private lowerBody(p: Pending): void {
    let body: ObjectValue | undefined;
    let scope: Value | undefined;
    let scopeDone = false;
    const lower = (): ObjectValue => {
      if (body) return body;
      const v = this.convert(p.node, p.scope);
      body = v.kind === 'object' ? v : { kind: 'object', props: [], loc: v.loc };
      // Child resources and nested templates are resources of their own, not properties.
      body.props = body.props.filter((prop) => prop.key.toLowerCase() !== 'resources');
      return body;
    };
    Object.defineProperty(p.resource, 'body', { get: lower, set: (v: ObjectValue) => (body = v), enumerable: true, configurable: true });
    Object.defineProperty(p.resource, 'scope', {
      get: () => {
        if (!scopeDone) {
          scopeDone = true;
          const node = child(p.node, 'scope');
          if (node) scope = this.resolveScope(this.convert(node, p.scope));
        }
        return scope;
      },
      enumerable: true,
      configurable: true,
    });
  }

  /**
   * A resource a nested deployment declares again (same kind, name and deployment scope as one
   * declared earlier through other deployments, neither repeated) is the same resource deployed
   * twice: it records the earlier declaration, as Bicep does for a module.
   */
  markRedeployments(): void {
    const named = new Map(this.named().map((n) => [n.resource, n]));
    const index = new NameIndex((v) => valueSource.get(v));
    for (const r of this.resources) {
      const n = named.get(r);
      if (!n || r.existing || r.loop || n.nest.loop || r.parent) continue;
      const group = `${r.kind.toLowerCase()}\0${n.nest.scopeKey}`;
      const path = n.nest.path.join('/');
      const earlier = index.first(group, n.name, (e) => named.get(e)!.nest.path.join('/') !== path);
      if (earlier) r.redeploys = earlier.redeploys ?? earlier;
      index.add(r, group, n.name);
    }
  }

  /** A `scope` given as a resource id string (`Microsoft.X/y/name`) or reference becomes a reference. */
  private resolveScope(v: Value): Value {
    if (v.kind !== 'string') return v;
    const m = /^([A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9]+)\/(.+)$/.exec(v.value);
    const target = m ? this.findResource(m[1], m[2]) : undefined;
    return target ? { kind: 'ref', target, attribute: 'id', loc: v.loc } : v;
  }
}

function member(obj: Value, name: string): Value {
  if (obj.kind === 'object') {
    const p = [...obj.props].reverse().find((x) => x.key.toLowerCase() === name.toLowerCase());
    return p ? p.value : unknown(`no property '${name}'`);
  }
  if (obj.kind === 'ref') return { kind: 'ref', target: obj.target, attribute: name };
  return unknown(`.${name} of a value that cannot be evaluated`);
}

function constant(name: string): Value | undefined {
  switch (name.toLowerCase()) {
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'null':
      return { kind: 'null' };
    default:
      return undefined;
  }
}

function scalarText(v: Value): string | undefined {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'number':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    default:
      return undefined;
  }
}

function fromPlain(x: unknown): Value {
  if (x === null) return { kind: 'null' };
  if (typeof x === 'string') return { kind: 'string', value: x };
  if (typeof x === 'number') return { kind: 'number', value: x };
  if (typeof x === 'boolean') return { kind: 'bool', value: x };
  if (Array.isArray(x)) return { kind: 'array', items: x.map(fromPlain) };
  if (typeof x === 'object') return { kind: 'object', props: Object.entries(x).map(([key, v]) => ({ key, value: fromPlain(v) })) };
  return unknown('unsupported JSON value');
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function literalOrigin(file: string, node: Node): Origin {
  return { kind: 'literal', at: { file, span: spanOf(node) }, dialect: 'arm' };
}

/** Builds the unit of an ARM template: the template, its sibling parameters file, nested templates. */
export function loadArmUnit(path: string, unbounded: FileHost): Unit {
  const host = boundedHost(unbounded, path);
  const text = host.readFile(path) ?? '';
  const parsed = parseArm(path, text);
  const files: SourceFile[] = [{ path, text, dialect: 'arm', comments: parsed.comments, syntaxErrors: parsed.errors }];
  const notes: Note[] = [];
  const stack = [resolve(path)];
  const linker: ArmLinker = (relativePath, from, supplied, via, nest) => {
    const target = resolve(dirname(from), relativePath);
    if (stack.includes(target) || stack.length > 8) return undefined;
    const linkedText = host.readFile(target);
    if (linkedText === undefined) return undefined;
    const linked = parseArm(target, linkedText);
    if (!files.some((f) => f.path === target)) files.push({ path: target, text: linkedText, dialect: 'arm', comments: linked.comments, syntaxErrors: linked.errors });
    if (!linked.root || linked.root.type !== 'object') return undefined;
    stack.push(target);
    try {
      const sub = new ArmLowering(target, linker, via, nest);
      sub.lowerLinked(linked.root, supplied);
      return sub;
    } finally {
      stack.pop();
    }
  };
  const lowering = new ArmLowering(path, linker);
  if (parsed.root && parsed.root.type === 'object') {
    const paramsPath = parametersFileFor(path);
    const paramsText = paramsPath !== path ? host.readFile(paramsPath) : undefined;
    // A parameters file that exists but links out of the workspace is not read: say so.
    if (paramsText === undefined && paramsPath !== path && unbounded.realPath?.(paramsPath) !== undefined && !insideBoundary(paramsPath, host.workspaceRoots, unbounded)) {
      notes.push(outsideNote(path, { start: 0, end: 0 }, 'parameters file'));
    }
    let supplied: Node | undefined;
    if (paramsText !== undefined) {
      const pp = parseArm(paramsPath, paramsText);
      files.push({ path: paramsPath, text: paramsText, dialect: 'arm-parameters', comments: pp.comments, syntaxErrors: pp.errors });
      supplied = pp.root ? findNodeAtLocation(pp.root, ['parameters']) : undefined;
    }
    lowering.lowerTemplate(parsed.root, supplied, paramsText !== undefined ? paramsPath : undefined);
    lowering.markRedeployments();
  }
  const unit: Unit = { root: path, dialect: 'arm', files, ownFiles: [path], resources: lowering.resources };
  if (notes.length > 0) unit.notes = notes;
  return unit;
}
