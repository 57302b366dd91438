// Renders fix intents as minimal Bicep text edits that keep the file's indentation, quotes and
// line endings: replace a literal where the value comes from (resource, param default, var,
// .bicepparam), or insert the missing property inside the right object.
import { basename } from 'node:path';
import type { Json, FixIntent } from '../../fixes/intent';
import type { ObjectValue, Resource, Unit, Value } from '../../model/types';
import type { TextEdit } from '../../text';
import { detectEol, detectIndentUnit, indentationAt } from '../../text';
import type { EditBuilder, RenderedFix } from '../types';
import type * as N from '../../syntax/bicep/nodes';
import { tokensOf } from '../../syntax/bicep/index';
import { asArrayHandle, asObjectHandle, asPropertyHandle } from './handles';

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

function fileText(unit: Unit, file: string): string | undefined {
  return unit.files.find((f) => f.path === file)?.text;
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
    const h = asArrayHandle(allowed.handle);
    if (!present) {
      const atext = h ? fileText(unit, h.file) : undefined;
      if (!h || atext === undefined) return undefined;
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
  const h = asObjectHandle(obj.handle);
  if (!h) return undefined;
  const text = fileText(unit, h.file);
  if (text === undefined) return undefined;
  const node = h.node;
  const close = closeOf(node);
  if (!close) return undefined;
  const style = styleOf(text);
  const value = nestedProperty(path, json);
  const props = node.members.filter((m) => m.kind === 'Property' || m.kind === 'Spread');
  const openIndent = indentationAt(text, node.start);
  const multiline = /[\r\n]/.test(text.slice(node.start, close.start));
  if (node.members.length === 0) {
    const inner = openIndent + style.unit;
    const prop = `${propertyKey(path[0])}: ${bicepLiteral(value, inner, style)}`;
    if (/^\s*$/.test(text.slice(node.start + 1, close.start))) {
      return { edits: [{ file: h.file, span: { start: node.start + 1, end: close.start }, newText: `${style.eol}${inner}${prop}${style.eol}${openIndent}` }] };
    }
    // Only comments inside: keep them, add the property after the last of them.
    let at = close.start;
    while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
    if (text[at - 1] === '\n') at--;
    if (text[at - 1] === '\r') at--;
    if (at <= node.start) at = endOfLineAfter(node.children[0]);
    return { edits: [{ file: h.file, span: { start: at, end: at }, newText: `${style.eol}${inner}${prop}` }] };
  }
  const anchor = props.length > 0 ? props[props.length - 1] : undefined;
  if (!multiline) {
    const last = node.members[node.members.length - 1];
    const newText = `, ${propertyKey(path[0])}: ${bicepInline(value)}`;
    return { edits: [{ file: h.file, span: { start: last.end, end: last.end }, newText }] };
  }
  if (anchor) {
    const ind = indentationAt(text, anchor.start);
    const newText = `${style.eol}${ind}${propertyKey(path[0])}: ${bicepLiteral(value, ind, style)}`;
    const at = endOfLineAfter(anchor);
    return { edits: [{ file: h.file, span: { start: at, end: at }, newText }] };
  }
  // Only nested resources inside: put the property first.
  const first = node.members[0];
  const ind = indentationAt(text, first.start);
  const at = endOfLineAfter(node.children[0]);
  const newText = `${style.eol}${ind}${propertyKey(path[0])}: ${bicepLiteral(value, ind, style)}`;
  return { edits: [{ file: h.file, span: { start: at, end: at }, newText }] };
}

function findProp(obj: ObjectValue, key: string): ObjectValue['props'][number] | undefined {
  return obj.props.find((p) => p.key === key) ?? obj.props.find((p) => p.key.toLowerCase() === key.toLowerCase());
}

function renderSet(unit: Unit, resource: Resource, path: string[], json: Json): RenderedFix | undefined {
  let cur: Value = resource.body;
  for (let k = 0; k < path.length; k++) {
    if (cur.kind !== 'object') return undefined;
    const p = findProp(cur, path[k]);
    if (!p) return insertInto(unit, cur, path.slice(k), json);
    if (k === path.length - 1) {
      if (p.value.kind === 'object' || p.value.kind === 'array') {
        if (!p.value.origin && !p.value.loc) return undefined;
      }
      return replaceValue(unit, p.value, json, resource);
    }
    cur = p.value;
  }
  return undefined;
}

function renderRemove(unit: Unit, resource: Resource, path: string[]): RenderedFix | undefined {
  let cur: Value = resource.body;
  for (let k = 0; k < path.length; k++) {
    if (cur.kind !== 'object') return undefined;
    const p = findProp(cur, path[k]);
    if (!p) return undefined;
    if (k < path.length - 1) {
      cur = p.value;
      continue;
    }
    const h = asPropertyHandle(p.handle);
    if (!h) return undefined;
    const text = fileText(unit, h.file);
    if (text === undefined) return undefined;
    const node = h.node;
    let start = node.start;
    let end = node.end;
    let lineStart = start;
    while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
    const atLineStart = lineStart === 0 || text[lineStart - 1] === '\n' || text[lineStart - 1] === '\r';
    let after = end;
    while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
    if (text[after] === ',') {
      after++;
      while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
    }
    const atLineEnd = after >= text.length || text[after] === '\n' || text[after] === '\r';
    if (atLineStart && atLineEnd) {
      start = lineStart;
      end = after;
      if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
      else if (text[end] === '\n' || text[end] === '\r') end += 1;
    } else {
      end = after;
    }
    return { edits: [{ file: h.file, span: { start, end }, newText: '' }] };
  }
  return undefined;
}

export const bicepEdits: EditBuilder = {
  render(intent: FixIntent, unit: Unit): RenderedFix | undefined {
    try {
      if (intent.op === 'set') return renderSet(unit, intent.resource, intent.path, intent.value);
      if (intent.op === 'remove') return renderRemove(unit, intent.resource, intent.path);
      if (intent.op === 'replaceValue') return replaceValue(unit, intent.target, intent.value, undefined);
      return undefined;
    } catch {
      return undefined;
    }
  },
};
