// Renders fix intents as minimal Bicep text edits that keep the file's indentation, quotes and
// line endings: replace a literal where the value comes from (resource, param default, var,
// .bicepparam), insert the missing property inside the right object, or add a `param`, a
// resource or a child resource (`parent:`) after the one it belongs to.
import { basename, dirname, resolve } from 'node:path';
import type { BodyValue, FixIntent, Json, ParameterType, Ref } from './intent';
import { isBlocks, isRef } from './intent';
import { lookup } from '../model/query';
import type { ObjectValue, Resource, Unit, Value } from '../model/types';
import type { TextEdit } from '../text';
import { detectEol, detectIndentUnit, indentationAt, memoByText } from '../text';
import type { CallArgument, ModuleCall, RenderedFix } from '../frontends/types';
import { literalString } from '../frontends/bicep/lower';
import { resolvePath } from '../paths';
import type * as N from '../syntax/bicep/nodes';
import { parseBicep, tokensOf } from '../syntax/bicep/index';
import { RenderContext, Unwritable, camelName, editBuilder, fileText, lineEndAt, removeDeclaration, wholeLineSpan } from './common';

interface Style {
  eol: string;
  unit: string;
}

function styleOf(text: string): Style {
  return { eol: detectEol(text), unit: detectIndentUnit(text) };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Bicep literal for a JSON value; objects and arrays are written over several lines at `indent`. */
export function bicepLiteral(value: Json, indent: string, style: Style): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = indent + style.unit;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => style.eol + inner + bicepLiteral(v, inner, style)).join('')}${style.eol}${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return `{${keys.map((k) => `${style.eol}${inner}${propertyKey(k)}: ${bicepLiteral(value[k], inner, style)}`).join('')}${style.eol}${indent}}`;
}

/** A Bicep literal on one line (`{ a: 1, b: [1, 2] }`), for single-line objects. */
export function bicepInline(value: Json): string {
  if (value === null || typeof value !== 'object') return bicepLiteral(value, '', { eol: '\n', unit: '' });
  if (Array.isArray(value)) return `[${value.map(bicepInline).join(', ')}]`;
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${propertyKey(k)}: ${bicepInline(value[k])}`).join(', ')} }`;
}

/** The offset after a node's last token and the comments that trail it on the same line. */
function endOfLineAfter(node: N.Child): number {
  const toks = tokensOf(node);
  const last = toks[toks.length - 1];
  if (!last) return node.end;
  let end = last.end;
  for (const t of last.trailing) if (t.kind === 'whitespace' || t.kind === 'lineComment' || (t.kind === 'blockComment' && !/[\r\n]/.test(t.text))) end = t.end;
  return end;
}

function propertyKey(k: string): string {
  return IDENT.test(k) ? k : bicepLiteral(k, '', { eol: '\n', unit: '  ' });
}

function whereOf(v: Value, resource: Resource | undefined): string | undefined {
  const o = v.origin;
  if (!o) return undefined;
  if (o.kind === 'parameter-file') return basename(o.at.file);
  if (o.kind === 'parameter-default') return `default of param '${o.name ?? ''}'`;
  if (o.kind === 'variable') return `var '${o.name ?? ''}'`;
  if (resource && o.at.file !== resource.file) return basename(o.at.file);
  return undefined;
}

/** Replaces the literal behind a value (or, lacking one, the expression itself) with `json`. */
function replaceValue(unit: Unit, v: Value, json: Json, resource: Resource | undefined): RenderedFix | undefined {
  const at = v.origin?.at ?? v.loc;
  if (!at) return undefined;
  const text = fileText(unit, at.file);
  if (text === undefined) return undefined;
  const style = styleOf(text);
  const allowed = v.origin?.allowedValues;
  // An allowed value that differs only in case (`'Premium'` for `'premium'`) is used as written there.
  if (allowed && typeof json === 'string') {
    const wanted = json.toLowerCase();
    const same = allowed.items.find((it) => it.kind === 'string' && it.value.toLowerCase() === wanted);
    if (same && same.kind === 'string') json = same.value;
  }
  const edits: TextEdit[] = [{ file: at.file, span: at.span, newText: bicepLiteral(json, indentationAt(text, at.span.start), style) }];
  // Keep @allowed([...]) consistent with the new default.
  if (allowed && (typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean')) {
    const present = allowed.items.some((it) => (it.kind === 'string' || it.kind === 'number' || it.kind === 'bool') && it.value === json);
    const h = allowed.handle;
    if (!present) {
      if (h?.dialect !== 'bicep') return undefined;
      const atext = fileText(unit, h.file);
      if (atext === undefined) return undefined;
      const ins = arrayAppend(h.node, json, atext);
      if (!ins) return undefined;
      edits.push({ file: h.file, ...ins });
    }
  }
  const fix: RenderedFix = { edits };
  const where = whereOf(v, resource);
  if (where) fix.where = where;
  return fix;
}

function closeOf(node: N.ObjectExpr | N.ArrayExpr): { start: number; end: number } | undefined {
  const last = node.children[node.children.length - 1];
  const want = node.kind === 'Object' ? '}' : ']';
  return last && 'tk' in last && last.tk === want ? last : undefined;
}

function arrayAppend(node: N.ArrayExpr, json: Json, text: string): { span: { start: number; end: number }; newText: string } | undefined {
  const close = closeOf(node);
  if (!close) return undefined;
  const style = styleOf(text);
  const items = node.items;
  const open = node.start;
  const multiline = /[\r\n]/.test(text.slice(open, close.start));
  if (items.length === 0) {
    return { span: { start: open + 1, end: close.start }, newText: bicepLiteral(json, '', style) };
  }
  const last = items[items.length - 1];
  if (multiline) {
    const ind = indentationAt(text, last.start);
    const at = endOfLineAfter(last);
    return { span: { start: at, end: at }, newText: style.eol + ind + bicepLiteral(json, ind, style) };
  }
  return { span: { start: last.end, end: last.end }, newText: ', ' + bicepInline(json) };
}

/** Builds `key: value` for a path below an object, nesting objects for the intermediate keys. */
function nestedProperty(path: string[], json: Json): Json {
  let v: Json = json;
  for (let k = path.length - 1; k >= 1; k--) v = { [path[k]]: v };
  return v;
}

/** Inserts `path[0]: …` into an object literal. */
function insertInto(unit: Unit, obj: ObjectValue, path: string[], json: Json): RenderedFix | undefined {
  const h = obj.handle;
  if (h?.dialect !== 'bicep') return undefined;
  const text = fileText(unit, h.file);
  if (text === undefined) return undefined;
  const value = nestedProperty(path, json);
  const style = styleOf(text);
  const edit = insertMember(text, h.file, h.node, path[0], (indent, inline) => (inline ? bicepInline(value) : bicepLiteral(value, indent, style)));
  return edit && { edits: [edit] };
}

/**
 * Inserts `key: value` into an object literal, the way its other members are written: on a line of
 * its own at their indentation, or after them on one line (`inline`). `valueText` writes the value
 * for the indentation of its line.
 */
function insertMember(text: string, file: string, node: N.ObjectExpr, key: string, valueText: (indent: string, inline: boolean) => string): TextEdit | undefined {
  const close = closeOf(node);
  if (!close) return undefined;
  const style = styleOf(text);
  const props = node.members.filter((m) => m.kind === 'Property' || m.kind === 'Spread');
  const openIndent = indentationAt(text, node.start);
  const multiline = /[\r\n]/.test(text.slice(node.start, close.start));
  if (node.members.length === 0) {
    const inner = openIndent + style.unit;
    const prop = `${propertyKey(key)}: ${valueText(inner, false)}`;
    if (/^\s*$/.test(text.slice(node.start + 1, close.start))) {
      return { file, span: { start: node.start + 1, end: close.start }, newText: `${style.eol}${inner}${prop}${style.eol}${openIndent}` };
    }
    // Only comments inside: keep them, add the property after the last of them.
    let at = close.start;
    while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
    if (text[at - 1] === '\n') at--;
    if (text[at - 1] === '\r') at--;
    if (at <= node.start) at = endOfLineAfter(node.children[0]);
    return { file, span: { start: at, end: at }, newText: `${style.eol}${inner}${prop}` };
  }
  const anchor = props.length > 0 ? props[props.length - 1] : undefined;
  if (!multiline) {
    const last = node.members[node.members.length - 1];
    return { file, span: { start: last.end, end: last.end }, newText: `, ${propertyKey(key)}: ${valueText('', true)}` };
  }
  if (anchor) {
    const ind = indentationAt(text, anchor.start);
    const at = endOfLineAfter(anchor);
    return { file, span: { start: at, end: at }, newText: `${style.eol}${ind}${propertyKey(key)}: ${valueText(ind, false)}` };
  }
  // Only nested resources inside: put the property first.
  const first = node.members[0];
  const ind = indentationAt(text, first.start);
  const at = endOfLineAfter(node.children[0]);
  return { file, span: { start: at, end: at }, newText: `${style.eol}${ind}${propertyKey(key)}: ${valueText(ind, false)}` };
}

function renderSet(unit: Unit, resource: Resource, path: string[], json: Json): RenderedFix | undefined {
  const found = lookup(resource, path);
  if (found.state === 'absent') return found.missing.length > 0 ? insertInto(unit, found.parent, found.missing, json) : undefined;
  if (found.state === 'set') return replaceValue(unit, found.value, json, resource);
  // An expression is replaced where it stands, but only at the end of the path.
  const parent = lookup(resource, path.slice(0, -1));
  return parent.state === 'set' && parent.value.kind === 'object' && found.value.loc ? replaceValue(unit, found.value, json, resource) : undefined;
}

function renderRemove(unit: Unit, resource: Resource, path: string[]): RenderedFix | undefined {
  const found = lookup(resource, path);
  if (found.state !== 'set') return undefined;
  const h = found.prop.handle;
  if (h?.dialect !== 'bicep') return undefined;
  const text = fileText(unit, h.file);
  if (text === undefined) return undefined;
  return { edits: [{ file: h.file, span: wholeLineSpan(text, h.node, { trailingComma: true }), newText: '' }] };
}

// ---- Adding parameters and resources ----

const PARAM_TYPES: Record<ParameterType, string> = { string: 'string', bool: 'bool', int: 'int', object: 'object', array: 'array' };

/** Every top-level name of a Bicep file (params, vars, resources, modules, outputs, types, functions). */
/** The names a file declares (parameters, variables, resources…), once per text. */
const declaredNames = memoByText((text: string): readonly string[] => {
  const out: string[] = [];
  for (const st of parseBicep(text).tree.statements) {
    if ('name' in st && st.name && 'text' in st.name) out.push(st.name.text);
  }
  return out;
});

/** A file's last parameter declaration, once per text. */
const lastParamOf = memoByText((text: string): { decl?: N.ParamDecl } => {
  const params = parseBicep(text).tree.statements.filter((st): st is N.ParamDecl => st.kind === 'ParamDecl');
  return { decl: params[params.length - 1] };
});

function lastParam(text: string): N.ParamDecl | undefined {
  return lastParamOf(text).decl;
}

/** The text of a one-line top-level property expression of a resource, e.g. its `location`. */
function ownExpression(r: Resource, key: string): string | undefined {
  const h = r.body.props.find((p) => p.key === key)?.handle;
  const toks = h?.dialect === 'bicep' ? tokensOf(h.node.value) : [];
  let out = '';
  toks.forEach((t, i) => {
    if (i > 0) out += toks[i - 1].trailing.map((x) => x.text).join('') + t.leading.map((x) => x.text).join('');
    out += t.text;
  });
  return out !== '' && !/[\r\n]|\/\/|\/\*/.test(out) ? out : undefined;
}

/** A Bicep expression for a reference, or undefined when it cannot be written in `file`. */
function refText(ref: Ref, ctx: RenderContext, file: string): string | undefined {
  if (ref.$ref === 'parameter') return ctx.parameter(ref.as)?.name;
  if (ref.$ref === 'resource') {
    const symbol = 'as' in ref.resource ? ctx.resource(ref.resource.as)?.symbol : ref.resource.file === file && !ref.resource.viaModule ? ref.resource.symbolicName : undefined;
    // `ws.location` is not known at the start of the deployment (BCP120): the workspace's own expression is.
    if (symbol && ref.attribute === 'location' && !('as' in ref.resource)) return ownExpression(ref.resource, 'location');
    return symbol && `${symbol}.${ref.attribute}`;
  }
  let out = "'";
  for (const p of ref.parts) {
    if (typeof p === 'string') out += bicepLiteral(p, '', { eol: '\n', unit: '' }).slice(1, -1);
    else {
      const inner = refText(p, ctx, file);
      if (inner === undefined) return undefined;
      out += '${' + inner + '}';
    }
  }
  return out + "'";
}

/** A body value in Bicep, objects and arrays over several lines at `indent`. */
function bodyText(v: BodyValue, indent: string, style: Style, ctx: RenderContext, file: string): string {
  if (v === null || typeof v !== 'object') return bicepLiteral(v, indent, style);
  if (isRef(v)) {
    const t = refText(v, ctx, file);
    if (t === undefined) throw new Unwritable();
    return t;
  }
  if (isBlocks(v)) throw new Unwritable();
  const inner = indent + style.unit;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => style.eol + inner + bodyText(x, inner, style, ctx, file)).join('')}${style.eol}${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{${keys.map((k) => `${style.eol}${inner}${propertyKey(k)}: ${bodyText(v[k], inner, style, ctx, file)}`).join('')}${style.eol}${indent}}`;
}

function addParameter(intent: Extract<FixIntent, { op: 'addParameter' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  const file = intent.near.file;
  const text = fileText(unit, file);
  if (text === undefined || intent.near.viaModule) return undefined;
  const style = styleOf(text);
  const name = ctx.claim(file, camelName(intent.near.symbolicName, intent.name), () => declaredNames(text));
  const decl = `@description(${bicepLiteral(intent.description, '', style)})${style.eol}param ${name} ${PARAM_TYPES[intent.type]}`;
  ctx.created.set(intent.as, { kind: 'parameter', name, file });
  const last = lastParam(text);
  if (last) {
    const tokens = tokensOf(last);
    const at = lineEndAt(text, tokens[tokens.length - 1]?.end ?? last.end);
    return { edits: [{ file, span: { start: at, end: at }, newText: `${style.eol}${style.eol}${decl}` }] };
  }
  // No param yet: before the first declaration that is not targetScope/metadata/import.
  const first = parseBicep(text).tree.statements.find((st) => !['TargetScopeDecl', 'MetadataDecl', 'ImportDecl', 'ExtensionDecl'].includes(st.kind));
  const at = first ? firstTokenStart(first) : text.length;
  return { edits: [{ file, span: { start: at, end: at }, newText: `${decl}${style.eol}${style.eol}` }] };
}

function firstTokenStart(node: N.Child): number {
  const first = tokensOf(node)[0];
  return first ? first.start : node.start;
}

/** A resource declaration; `owner` is its `parent:` or `scope:` symbol, written first. */
function resourceText(symbol: string, typeAtVersion: string, members: [string, BodyValue][], style: Style, ctx: RenderContext, file: string, owner?: { key: 'parent' | 'scope'; symbol: string }): string {
  const inner = style.unit;
  const parentLine = owner ? `${style.eol}${inner}${owner.key}: ${owner.symbol}` : '';
  const lines = parentLine + members.map(([k, v]) => `${style.eol}${inner}${propertyKey(k)}: ${bodyText(v, inner, style, ctx, file)}`).join('');
  return `resource ${symbol} ${bicepLiteral(typeAtVersion, '', style)} = {${lines}${style.eol}}`;
}

function addResource(intent: Extract<FixIntent, { op: 'addResource' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  const after = intent.after;
  const body = intent.body.arm;
  const text = fileText(unit, after.file);
  if (!body || text === undefined || after.viaModule) return undefined;
  const scope = intent.scope;
  if (scope && (scope.file !== after.file || scope.viaModule)) return undefined;
  const style = styleOf(text);
  const symbol = ctx.claim(after.file, intent.symbol, () => declaredNames(text));
  const members: [string, BodyValue][] = [['name', intent.name], ...Object.entries(body)];
  const at = lineEndAt(text, after.span.end);
  const edit: TextEdit = { file: after.file, span: { start: at, end: at }, newText: '' };
  ctx.created.set(intent.as, { kind: 'resource', symbol, type: intent.kind, file: after.file, edit });
  edit.newText = `${style.eol}${style.eol}${resourceText(symbol, `${intent.kind}@${intent.apiVersion}`, members, style, ctx, after.file, scope && { key: 'scope', symbol: scope.symbolicName })}`;
  return { edits: [edit] };
}

function addChild(intent: Extract<FixIntent, { op: 'addChild' }>, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  const body = intent.body.arm;
  if (!body) return undefined;
  let file: string;
  let parentSymbol: string;
  let parentType: string;
  let at: number;
  if ('as' in intent.parent) {
    const p = ctx.resource(intent.parent.as);
    if (!p) return undefined;
    ({ file, symbol: parentSymbol, type: parentType } = p);
    at = p.edit.span.start;
  } else {
    const p = intent.parent;
    if (p.viaModule) return undefined;
    file = p.file;
    parentSymbol = p.symbolicName;
    parentType = p.kind;
    const t = fileText(unit, file);
    if (t === undefined) return undefined;
    at = lineEndAt(t, p.span.end);
  }
  const text = fileText(unit, file);
  if (text === undefined) return undefined;
  const style = styleOf(text);
  const symbol = ctx.claim(file, intent.symbol, () => declaredNames(text));
  const type = `${parentType}/${intent.childType}`;
  const edit: TextEdit = { file, span: { start: at, end: at }, newText: '' };
  ctx.created.set(intent.as, { kind: 'resource', symbol, type, file, edit });
  const members: [string, BodyValue][] = [['name', intent.name], ...Object.entries(body)];
  edit.newText = `${style.eol}${style.eol}${resourceText(symbol, `${type}@${intent.apiVersion}`, members, style, ctx, file, { key: 'parent', symbol: parentSymbol })}`;
  return { edits: [edit] };
}

export const bicepEdits = editBuilder({
  set: (intent, unit) => renderSet(unit, intent.resource, intent.path, intent.value),
  remove: (intent, unit) => renderRemove(unit, intent.resource, intent.path),
  replaceValue: (intent, unit) => replaceValue(unit, intent.target, intent.value, undefined),
  setRef: (intent, unit, ctx) => renderSetRef(unit, intent.resource, intent.path, intent.value, ctx),
  setApiVersion: (intent, unit) => setApiVersion(unit, intent.resource, intent.apiVersion),
  removeResource(intent, unit) {
    const text = fileText(unit, intent.resource.file);
    return text === undefined || intent.resource.viaModule ? undefined : { edits: [removeDeclaration(text, intent.resource.file, intent.resource.span)] };
  },
  addParameter,
  addResource,
  addChild,
}, bindArgument);

/** A property's key as written: an identifier or a plain string. */
function keyOf(p: N.PropertyNode): string | undefined {
  if ('tk' in p.key) return p.key.tk === 'Identifier' ? p.key.text : undefined;
  return p.key.kind === 'String' ? literalString(p.key) : undefined;
}

/** The object a resource or module declaration's value configures: `{…}`, `if (c) {…}` or a loop's body. */
function declarationBody(value: N.Expr): N.ObjectExpr | undefined {
  let body = value;
  if (body.kind === 'For') body = body.body;
  if (body.kind === 'If') body = body.body;
  return body.kind === 'Object' ? body : undefined;
}

/** `edit` replaces a module param's whole default: the same value in the call's `params` instead. */
function bindArgument(unit: Unit, edit: TextEdit, call: ModuleCall): CallArgument | undefined {
  const moduleText = fileText(unit, edit.file);
  const callerText = fileText(unit, call.file);
  if (moduleText === undefined || callerText === undefined || /[\r\n]/.test(edit.newText)) return undefined;
  const param = parseBicep(moduleText).tree.statements.find(
    (s): s is N.ParamDecl => s.kind === 'ParamDecl' && s.value !== undefined && s.value.start === edit.span.start && s.value.end === edit.span.end,
  );
  const name = param?.name?.text;
  if (!name) return undefined;
  const decl = parseBicep(callerText).tree.statements.find((s): s is N.ModuleDecl => s.kind === 'ModuleDecl' && s.name?.text === call.name);
  const rel = decl?.path && literalString(decl.path);
  if (!decl || !rel || resolvePath(resolve(dirname(call.file), rel)) !== resolvePath(edit.file)) return undefined;
  const body = declarationBody(decl.value);
  if (!body) return undefined;
  const params = body.members.find((m): m is N.PropertyNode => m.kind === 'Property' && keyOf(m) === 'params');
  const style = styleOf(callerText);
  if (!params) {
    // `params: { name: value }`, written like the declaration's other members.
    const inserted = insertMember(callerText, call.file, body, 'params', (indent, inline) =>
      inline ? `{ ${propertyKey(name)}: ${edit.newText} }` : `{${style.eol}${indent}${style.unit}${propertyKey(name)}: ${edit.newText}${style.eol}${indent}}`,
    );
    return inserted && { param: name, edits: [inserted] };
  }
  // A spread may set it already; a second key of the same name would not compile.
  const object = params.value;
  if (object.kind !== 'Object' || object.members.some((m) => m.kind === 'Spread' || (m.kind === 'Property' && keyOf(m)?.toLowerCase() === name.toLowerCase()))) return undefined;
  const inserted = insertMember(callerText, call.file, object, name, () => edit.newText);
  return inserted && { param: name, edits: [inserted] };
}

/** Rewrites the `@version` of a resource's type string (`'Microsoft.X/y@2018-04-01'`). */
function setApiVersion(unit: Unit, resource: Resource, apiVersion: string): RenderedFix | undefined {
  const h = resource.handle;
  if (h?.dialect !== 'bicep') return undefined;
  const type = h.node.typeString;
  const text = fileText(unit, h.file);
  if (!type || text === undefined || type.exprs.length > 0) return undefined;
  const token = tokensOf(type)[0];
  if (!token) return undefined;
  const at = token.text.lastIndexOf('@');
  if (at < 0 || !token.text.endsWith("'")) return undefined;
  return { edits: [{ file: h.file, span: { start: token.start + at + 1, end: token.end - 1 }, newText: apiVersion }] };
}

/** Sets a property to a value with references: replaces the expression, or inserts the property. */
function renderSetRef(unit: Unit, resource: Resource, path: string[], value: BodyValue, ctx: RenderContext): RenderedFix | undefined {
  const found = lookup(resource, path);
  if (found.state === 'absent') {
    const h = found.parent.handle;
    if (h?.dialect !== 'bicep') return undefined;
    const text = fileText(unit, h.file);
    if (text === undefined || found.missing.length === 0) return undefined;
    // Render with a placeholder literal, then put the reference text in its place.
    const marker = '\u0000ref\u0000';
    const placed = insertInto(unit, found.parent, found.missing, marker);
    if (!placed) return undefined;
    const quoted = bicepLiteral(marker, '', styleOf(text));
    const ind = indentationAt(text, h.node.start) + styleOf(text).unit.repeat(found.missing.length);
    const refTextValue = bodyText(value, ind, styleOf(text), ctx, h.file);
    return { edits: placed.edits.map((e) => ({ ...e, newText: e.newText.replace(quoted, refTextValue) })) };
  }
  const at = found.state === 'set' ? (found.value.loc ?? undefined) : found.value.loc;
  const text = at && fileText(unit, at.file);
  if (!at || text === undefined || at.file !== resource.file) return undefined;
  return { edits: [{ file: at.file, span: at.span, newText: bodyText(value, indentationAt(text, at.span.start), styleOf(text), ctx, at.file) }] };
}
