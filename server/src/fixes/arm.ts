// Renders fix intents for ARM JSON as minimal edits that keep the file's formatting: replace a
// literal where it comes from, insert or remove a member, add a `parameters` entry, a resource
// or a child resource (nested `resources` entry, or top-level `parent/child`).
import type { Node } from 'jsonc-parser';
import { lookup } from '../model/query';
import type { ObjectValue, Origin, Property, Resource, Unit, Value } from '../model/types';
import { detectEol, detectIndentUnit, indentationAt, type TextEdit } from '../text';
import { dirname, resolve } from 'node:path';
import type { CallArgument, ModuleCall, RenderedFix } from '../frontends/types';
import { resolvePath } from '../paths';
import { parseArm } from '../syntax/arm/parse';
import type { BodyValue, FixIntent, Json, Ref } from './intent';
import { isBlocks, isRef } from './intent';
import { appendMember, jsonBlock, removeMember, type JsonStyle } from './json-edit';
import { RenderContext, Unwritable, editBuilder, fileText, guard, referencedResources } from './common';

function styleOf(text: string): JsonStyle {
  return { indentUnit: detectIndentUnit(text), eol: detectEol(text) };
}

function sameJson(v: Value, json: Json): boolean {
  if (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') return v.value === json;
  return v.kind === 'null' && json === null;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

function originLabel(origin: Origin): string | undefined {
  switch (origin.kind) {
    case 'parameter-default':
      return `default of parameter '${origin.name}'`;
    case 'parameter-file':
      return `parameter '${origin.name}' in ${baseName(origin.at.file)}`;
    case 'variable':
      return `variable '${origin.name}'`;
    default:
      return undefined;
  }
}

/** Replaces the literal behind a value at its origin; keeps a parameter's allowedValues consistent. */
function replaceAtOrigin(unit: Unit, origin: Origin, value: Json): RenderedFix | undefined {
  const edits: TextEdit[] = [{ file: origin.at.file, span: origin.at.span, newText: JSON.stringify(value) }];
  const allowed = origin.allowedValues;
  if (allowed && !allowed.items.some((item) => sameJson(item, value))) {
    const h = allowed.handle;
    if (h?.dialect !== 'arm') return undefined;
    const text = fileText(unit, h.file);
    const edit = text ? appendMember(text, h.node, undefined, value, styleOf(text)) : undefined;
    if (!edit) return undefined;
    edits.push({ file: h.file, ...edit });
  }
  return { edits, where: originLabel(origin) };
}

function replaceValue(unit: Unit, target: Value, value: Json): RenderedFix | undefined {
  if (target.origin) return replaceAtOrigin(unit, target.origin, value);
  if (target.loc) return { edits: [{ file: target.loc.file, span: target.loc.span, newText: JSON.stringify(value) }] };
  return undefined;
}

function insertInto(unit: Unit, parent: ObjectValue, missing: string[], value: Json): RenderedFix | undefined {
  const h = parent.handle;
  if (h?.dialect !== 'arm') return undefined;
  const text = fileText(unit, h.file);
  if (!text || missing.length === 0) return undefined;
  let nested: Json = value;
  for (let i = missing.length - 1; i >= 1; i--) nested = { [missing[i]]: nested };
  const edit = appendMember(text, h.node, missing[0], nested, styleOf(text));
  return edit && { edits: [{ file: h.file, ...edit }] };
}

function removeProp(unit: Unit, parent: ObjectValue, prop: Property): RenderedFix | undefined {
  const container = parent.handle;
  const member = prop.handle;
  if (container?.dialect !== 'arm' || member?.dialect !== 'arm' || container.file !== member.file) return undefined;
  const text = fileText(unit, member.file);
  const edit = text ? removeMember(text, container.node, member.node) : undefined;
  return edit && { edits: [{ file: member.file, ...edit }] };
}

export const armEdits = editBuilder({
  set(intent, unit) {
    const found = lookup(intent.resource, intent.path);
    if (found.state === 'absent') return insertInto(unit, found.parent, found.missing, intent.value);
    // A computed value (no literal behind it) is replaced by a literal where the expression stands.
    return replaceValue(unit, found.value, intent.value);
  },
  remove(intent, unit) {
    if (intent.path.length === 0) return undefined;
    const parent = lookup(intent.resource, intent.path.slice(0, -1));
    const found = lookup(intent.resource, intent.path);
    const container = intent.path.length === 1 ? intent.resource.body : parent.state === 'set' && parent.value.kind === 'object' ? parent.value : undefined;
    return found.state === 'set' && container ? removeProp(unit, container, found.prop) : undefined;
  },
  replaceValue: (intent, unit) => replaceValue(unit, intent.target, intent.value),
  setRef: (intent, unit, ctx) => setRef(unit, intent.resource, intent.path, intent.value, ctx),
  setApiVersion(intent) {
    // Only a literal written in the resource (not a shared parameter or variable).
    const node = member(resourceNode(intent.resource), 'apiVersion');
    if (node?.type !== 'string' || typeof node.value !== 'string' || node.value.startsWith('[')) return undefined;
    return { edits: [{ file: intent.resource.file, span: { start: node.offset, end: node.offset + node.length }, newText: JSON.stringify(intent.apiVersion) }] };
  },
  removeResource: () => undefined, // its dependsOn entries would dangle
  addParameter,
  addResource,
  addChild,
}, bindArgument);

/** A member of an object by key, as ARM reads keys: without regard to case. */
function memberOf(obj: Node | undefined, key: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  const wanted = key.toLowerCase();
  for (const p of obj.children ?? []) if (typeof p.children?.[0]?.value === 'string' && p.children[0].value.toLowerCase() === wanted) return p.children[1];
  return undefined;
}

/** `edit` replaces a linked template parameter's whole `defaultValue`: the same value in the deployment's `parameters` instead. */
function bindArgument(unit: Unit, edit: TextEdit, call: ModuleCall): CallArgument | undefined {
  const moduleText = fileText(unit, edit.file);
  const callerText = fileText(unit, call.file);
  if (moduleText === undefined || callerText === undefined || /[\r\n]/.test(edit.newText)) return undefined;
  let value: Json;
  try {
    value = JSON.parse(edit.newText) as Json;
  } catch {
    return undefined;
  }
  const declared = memberOf(parseArm(edit.file, moduleText).root, 'parameters');
  const param = (declared?.children ?? []).find((p) => {
    const d = memberOf(p.children?.[1], 'defaultValue');
    return d !== undefined && d.offset === edit.span.start && d.offset + d.length === edit.span.end;
  });
  const name = param?.children?.[0]?.value;
  if (typeof name !== 'string') return undefined;
  const deployment = unit.resources.find(
    (r) => !r.viaModule && r.file === call.file && r.symbolicName === call.name && r.kind.toLowerCase() === 'microsoft.resources/deployments',
  );
  const properties = memberOf(deployment && resourceNode(deployment), 'properties');
  const rel = memberOf(memberOf(properties, 'templateLink'), 'relativePath')?.value;
  if (!properties || typeof rel !== 'string' || resolvePath(resolve(dirname(call.file), rel)) !== resolvePath(edit.file)) return undefined;
  // Values come from a parameters file instead: ARM takes one or the other.
  if (memberOf(properties, 'parametersLink')) return undefined;
  const style = styleOf(callerText);
  const params = memberOf(properties, 'parameters');
  const inserted = !params
    ? appendMember(callerText, properties, 'parameters', { [name]: { value } }, style)
    : params.type === 'object' && !memberOf(params, name)
      ? appendMember(callerText, params, name, { value }, style)
      : undefined;
  return inserted && { param: name, edits: [{ file: call.file, ...inserted }] };
}

// ---- Adding parameters and resources ----

function member(obj: Node | undefined, key: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

function resourceNode(r: Resource): Node | undefined {
  return r.handle?.dialect === 'arm' && r.handle.node.type === 'object' ? r.handle.node : undefined;
}

/**
 * The top-level entry holding a resource (its node in the `resources` array, or its symbolic
 * member) and the template, when that template is the file's root (nested templates take no
 * new parameters or resources).
 */
function topLevel(node: Node): { resource: Node; template: Node } | undefined {
  let res = node;
  for (;;) {
    const up = res.parent;
    if (!up) return undefined;
    const anchor = up.type === 'property' ? up : res;
    const container = anchor.parent;
    const prop = container?.parent;
    const owner = prop?.parent;
    if (!container || prop?.type !== 'property' || prop.children?.[0]?.value !== 'resources' || owner?.type !== 'object') return undefined;
    if (member(owner, 'type') !== undefined) {
      res = owner; // a nested child: its parent's entry
      continue;
    }
    return owner.parent === undefined ? { resource: anchor, template: owner } : undefined;
  }
}

/** An ARM expression (without brackets) for a string literal. */
function quoteExpr(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The expression of a model resource's top-level string member (`name` → `parameters('x')`, `'literal'`). */
function memberExprOf(r: Resource, key: string): string | undefined {
  const node = member(resourceNode(r), key);
  if (node?.type !== 'string' || typeof node.value !== 'string') return undefined;
  const v = node.value;
  return v.startsWith('[') && !v.startsWith('[[') && v.endsWith(']') ? v.slice(1, -1).trim() : quoteExpr(v.startsWith('[[') ? v.slice(1) : v);
}

/** The name expression of a model resource (`parameters('x')`, `'literal'`). */
function nameExprOf(r: Resource): string | undefined {
  return memberExprOf(r, 'name');
}

/** `resourceId('type', name…)` for a resource type and its (possibly `a/b`) name expression. */
function resourceIdExpr(type: string, nameExpr: string): string {
  return `resourceId(${quoteExpr(type)}, ${nameExpr})`;
}

function refExpr(ref: Ref, ctx: RenderContext): string {
  if (ref.$ref === 'parameter') {
    const p = ctx.parameter(ref.as);
    if (!p) throw new Unwritable();
    return `parameters(${quoteExpr(p.name)})`;
  }
  if (ref.$ref === 'resource') {
    let type: string;
    let nameExpr: string | undefined;
    let apiVersion: string | undefined;
    if ('as' in ref.resource) {
      const c = ctx.resource(ref.resource.as);
      type = c?.type ?? '';
      nameExpr = c?.nameExpr;
    } else {
      type = ref.resource.kind;
      nameExpr = nameExprOf(ref.resource);
      apiVersion = ref.resource.apiVersion;
    }
    if (!nameExpr) throw new Unwritable();
    if (ref.attribute === 'name') return nameExpr;
    if (ref.attribute === 'location' && !('as' in ref.resource)) {
      // ARM allows reference() in properties only: a location is the resource's own expression.
      const location = memberExprOf(ref.resource, 'location');
      if (!location) throw new Unwritable();
      return location;
    }
    if (ref.attribute === 'id') return resourceIdExpr(type, nameExpr);
    // Other attributes (location, …) from the full resource object.
    return apiVersion ? `reference(${resourceIdExpr(type, nameExpr)}, ${quoteExpr(apiVersion)}, 'Full').${ref.attribute}` : `reference(${resourceIdExpr(type, nameExpr)}).${ref.attribute}`;
  }
  const parts = ref.parts.map((p) => (typeof p === 'string' ? quoteExpr(p) : refExpr(p, ctx)));
  // Literals only (a workspace named by a literal): one literal.
  if (parts.every((p) => /^'(?:[^']|'')*'$/.test(p))) return quoteExpr(parts.map((p) => p.slice(1, -1).replace(/''/g, "'")).join(''));
  return `concat(${parts.join(', ')})`;
}

/** A body value as JSON, references as `[expression]` strings (literal strings starting with `[` escaped). */
function toJson(v: BodyValue, ctx: RenderContext): Json {
  if (typeof v === 'string') return v.startsWith('[') ? `[${v}` : v;
  if (v === null || typeof v !== 'object') return v;
  if (isRef(v)) {
    const expr = refExpr(v, ctx);
    // A reference that comes out as a string literal ('westeurope') is written as one.
    const literal = /^'((?:[^']|'')*)'$/.exec(expr);
    return literal ? toJson(literal[1].replace(/''/g, "'"), ctx) : `[${expr}]`;
  }
  if (isBlocks(v)) throw new Unwritable();
  if (Array.isArray(v)) return v.map((x) => toJson(x, ctx));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x, ctx)]));
}

/** The expression of a name value (`[parameters('x')]` → `parameters('x')`). */
function exprOfJson(name: Json): string | undefined {
  if (typeof name !== 'string') return undefined;
  return name.startsWith('[') && !name.startsWith('[[') ? name.slice(1, -1) : quoteExpr(name);
}

function existingParameterNames(template: Node): string[] {
  return (member(template, 'parameters')?.children ?? []).map((p) => String(p.children?.[0]?.value ?? ''));
}

function addParameter(intent: Extract<FixIntent, { op: 'addParameter' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  const node = resourceNode(intent.near);
  const text = fileText(unit, intent.near.file);
  const top = node && topLevel(node);
  // A linked template's new parameter would need its caller to pass it (as for a Bicep module).
  if (!top || text === undefined || intent.near.viaModule) return undefined;
  const style = styleOf(text);
  const name = ctx.claim(intent.near.file, intent.name, () => existingParameterNames(top.template));
  ctx.created.set(intent.as, { kind: 'parameter', name, file: intent.near.file });
  const entry: Json = { type: intent.type === 'int' ? 'int' : intent.type, metadata: { description: intent.description } };
  const params = member(top.template, 'parameters');
  const edit = params ? appendMember(text, params, name, entry, style) : insertMemberAfter(text, top.template, 'contentVersion', 'parameters', { [name]: entry }, style);
  return edit && { edits: [{ file: intent.near.file, ...edit }] };
}

/** Inserts `"key": value` after the member `afterKey` of an object (else appends it). */
function insertMemberAfter(text: string, obj: Node, afterKey: string, key: string, value: Json, style: JsonStyle): { span: { start: number; end: number }; newText: string } | undefined {
  const prop = obj.children?.find((p) => p.children?.[0]?.value === afterKey);
  if (!prop) return appendMember(text, obj, key, value, style);
  const indent = indentationAt(text, prop.offset);
  const at = prop.offset + prop.length;
  return { span: { start: at, end: at }, newText: `,${style.eol}${indent}${JSON.stringify(key)}: ${jsonBlock(value, indent, style)}` };
}

/** Inserts a resource object right after `after` (a node in a `resources` array, or a symbolic member). */
function insertResourceAfter(text: string, file: string, after: Node, symbol: string | undefined, resource: Json, style: JsonStyle): TextEdit {
  const indent = indentationAt(text, after.offset);
  const at = after.offset + after.length;
  const key = after.type === 'property' ? `${JSON.stringify(symbol ?? 'resource')}: ` : '';
  return { file, span: { start: at, end: at }, newText: `,${style.eol}${indent}${key}${jsonBlock(resource, indent, style, true)}` };
}

function resourceJson(type: string, apiVersion: string, name: Json, body: { [k: string]: BodyValue }, dependsOn: string[], ctx: RenderContext, scope?: string): Json {
  const out: { [k: string]: Json } = { type, apiVersion };
  if (scope !== undefined) out.scope = scope;
  out.name = name;
  for (const [k, v] of Object.entries(body)) out[k] = toJson(v, ctx);
  if (dependsOn.length > 0) out.dependsOn = dependsOn;
  return out;
}

function symbolicNames(template: Node): string[] {
  const res = member(template, 'resources');
  return res?.type === 'object' ? (res.children ?? []).map((p) => String(p.children?.[0]?.value ?? '')) : [];
}

function addResource(intent: Extract<FixIntent, { op: 'addResource' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  return guard(() => {
    const node = resourceNode(intent.after);
    const text = fileText(unit, intent.after.file);
    const top = node && topLevel(node);
    const body = intent.body.arm;
    if (!top || text === undefined || !body) return undefined;
    const style = styleOf(text);
    const symbolic = top.resource.type === 'property';
    const symbol = symbolic ? ctx.claim(`${intent.after.file}#resources`, intent.symbol, () => symbolicNames(top.template)) : undefined;
    const name = toJson(intent.name, ctx);
    const nameExpr = exprOfJson(name);
    const scope = intent.scope;
    const scopeName = scope && scope.file === intent.after.file ? nameExprOf(scope) : undefined;
    if (scope && !scopeName) return undefined;
    const dependsOn = referencedResources(body);
    if (scope && !dependsOn.includes(scope)) dependsOn.push(scope);
    const depends = dependsOn.map((r) => `[${resourceIdExpr(r.kind, nameExprOf(r) ?? quoteExpr(r.symbolicName))}]`);
    // An extension resource's scope: the resource's type and name, as Bicep writes `scope: ws`.
    const scopeExpr = scope && scopeName ? `[format(${quoteExpr(`${scope.kind}/{0}`)}, ${scopeName})]` : undefined;
    const json = resourceJson(intent.kind, intent.apiVersion, name, body, depends, ctx, scopeExpr);
    const edit = insertResourceAfter(text, intent.after.file, top.resource, symbol, json, style);
    ctx.created.set(intent.as, { kind: 'resource', symbol: symbol ?? intent.kind, type: intent.kind, nameExpr, file: intent.after.file, edit });
    return { edits: [edit] };
  });
}

function addChild(intent: Extract<FixIntent, { op: 'addChild' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  return guard(() => {
    const body = intent.body.arm;
    if (!body) return undefined;
    const childName = toJson(intent.name, ctx);
    const childExpr = exprOfJson(childName);
    if (!childExpr) return undefined;
    if ('as' in intent.parent) {
      // A parent added by this fix: a top-level `parent/child` right after it.
      const p = ctx.resource(intent.parent.as);
      const text = p && fileText(unit, p.file);
      if (!p || !p.nameExpr || text === undefined) return undefined;
      const style = styleOf(text);
      const type = `${p.type}/${intent.childType}`;
      const name = `[format('{0}/{1}', ${p.nameExpr}, ${childExpr})]`;
      const json = resourceJson(type, intent.apiVersion, name, body, [`[${resourceIdExpr(p.type, p.nameExpr)}]`], ctx);
      const indent = indentationAt(p.edit.newText, p.edit.newText.length - 1);
      // Symbolic resources (`"resources": { "name": { … } }`): the parent got a symbol (not its type), and so does the child.
      const symbol = p.symbol !== p.type ? ctx.claim(`${p.file}#resources`, intent.symbol, () => []) : undefined;
      const key = symbol ? `${JSON.stringify(symbol)}: ` : '';
      const edit: TextEdit = { file: p.file, span: p.edit.span, newText: `,${style.eol}${indent}${key}${jsonBlock(json, indent, style, true)}` };
      ctx.created.set(intent.as, { kind: 'resource', symbol: symbol ?? type, type, nameExpr: `format('{0}/{1}', ${p.nameExpr}, ${childExpr})`, file: p.file, edit });
      return { edits: [edit] };
    }
    const parent = intent.parent;
    const node = resourceNode(parent);
    const text = fileText(unit, parent.file);
    if (!node || text === undefined) return undefined;
    const style = styleOf(text);
    const parentName = nameExprOf(parent);
    if (!parentName) return undefined;
    const type = `${parent.kind}/${intent.childType}`;
    const nested = member(node, 'resources');
    ctx.created.set(intent.as, { kind: 'resource', symbol: type, type, nameExpr: `format('{0}/{1}', ${parentName}, ${childExpr})`, file: parent.file, edit: { file: parent.file, span: { start: 0, end: 0 }, newText: '' } });
    if (nested?.type === 'array') {
      const json = resourceJson(intent.childType, intent.apiVersion, childName, body, [`[${resourceIdExpr(parent.kind, parentName)}]`], ctx);
      return { edits: [{ file: parent.file, ...appendExpanded(text, nested, json, style) }] };
    }
    const top = topLevel(node);
    if (!top) return undefined;
    const name = `[format('{0}/{1}', ${parentName}, ${childExpr})]`;
    const json = resourceJson(type, intent.apiVersion, name, body, [`[${resourceIdExpr(parent.kind, parentName)}]`], ctx);
    const symbol = top.resource.type === 'property' ? ctx.claim(`${parent.file}#resources`, intent.symbol, () => symbolicNames(top.template)) : undefined;
    return { edits: [insertResourceAfter(text, parent.file, top.resource, symbol, json, style)] };
  });
}

/** Appends an item to an array, one item a line (an empty `[]` is opened up). */
function appendExpanded(text: string, array: Node, value: Json, style: JsonStyle): { span: { start: number; end: number }; newText: string } {
  const items = array.children ?? [];
  if (items.length > 0) {
    const last = items[items.length - 1];
    const indent = indentationAt(text, last.offset);
    const at = last.offset + last.length;
    return { span: { start: at, end: at }, newText: `,${style.eol}${indent}${jsonBlock(value, indent, style, true)}` };
  }
  const outer = indentationAt(text, array.offset);
  const indent = outer + style.indentUnit;
  return { span: { start: array.offset + 1, end: array.offset + array.length - 1 }, newText: `${style.eol}${indent}${jsonBlock(value, indent, style, true)}${style.eol}${outer}` };
}

function setRef(unit: Unit, resource: Resource, path: string[], value: BodyValue, ctx: RenderContext): RenderedFix | undefined {
  const json = guard(() => toJson(value, ctx));
  if (json === undefined) return undefined;
  const found = lookup(resource, path);
  if (found.state === 'absent') return insertInto(unit, found.parent, found.missing, json);
  const at = found.value.loc;
  return at ? { edits: [{ file: at.file, span: at.span, newText: JSON.stringify(json) }] } : undefined;
}
