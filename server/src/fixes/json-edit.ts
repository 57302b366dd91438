// Minimal JSON edits that keep the file's formatting: a member appended to an object or array in
// the container's own style (one line or one member a line, trailing comma kept), or removed.
import type { Node } from 'jsonc-parser';
import type { Span } from '../text';
import { indentationAt } from '../text';
import type { Json } from './intent';

export interface JsonStyle {
  indentUnit: string;
  eol: string;
}

/** A value on one line: `{ "value": true }`, `["a", "b"]`. */
export function jsonInline(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(jsonInline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonInline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * A value laid out one member a line, objects nested with `indent` + the unit. Arrays stay on one
 * line unless `expandArrays` and they hold objects or arrays (added resources).
 */
export function jsonBlock(value: Json, indent: string, style: JsonStyle, expandArrays = false): string {
  const inner = indent + style.indentUnit;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonBlock(v, inner, style, expandArrays)}`);
    return `{${style.eol}${lines.join(`,${style.eol}`)}${style.eol}${indent}}`;
  }
  if (expandArrays && Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    return `[${style.eol}${value.map((v) => inner + jsonBlock(v, inner, style, true)).join(`,${style.eol}`)}${style.eol}${indent}]`;
  }
  return jsonInline(value);
}

function skipTrivia(text: string, pos: number): number {
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
    if (text.startsWith('//', pos)) {
      while (pos < text.length && text[pos] !== '\n') pos++;
    } else if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      pos = end < 0 ? text.length : end + 2;
    } else return pos;
  }
}

/** Appends a member (`"key": value` for objects, `value` for arrays) to a container node. */
export function appendMember(text: string, container: Node, key: string | undefined, value: Json, style: JsonStyle): { span: Span; newText: string } | undefined {
  const open = container.offset;
  const close = container.offset + container.length - 1;
  const closer = container.type === 'object' ? '}' : ']';
  if (text[open] !== (container.type === 'object' ? '{' : '[') || text[close] !== closer) return undefined; // unterminated: leave it alone
  const singleLine = !/[\r\n]/.test(text.slice(open, close));
  const member = (indent: string) => (key === undefined ? '' : `${JSON.stringify(key)}: `) + (singleLine ? jsonInline(value) : jsonBlock(value, indent, style));
  const children = container.children ?? [];
  if (children.length > 0) {
    const last = children[children.length - 1];
    const lastEnd = last.offset + last.length;
    const after = skipTrivia(text, lastEnd);
    const trailingComma = text[after] === ',';
    if (singleLine) {
      const at = trailingComma ? after + 1 : lastEnd;
      return { span: { start: at, end: at }, newText: `${trailingComma ? ' ' : ', '}${member('')}${trailingComma ? ',' : ''}` };
    }
    const indent = indentationAt(text, last.offset);
    const at = trailingComma ? after + 1 : lastEnd;
    return { span: { start: at, end: at }, newText: `${trailingComma ? '' : ','}${style.eol}${indent}${member(indent)}${trailingComma ? ',' : ''}` };
  }
  if (container.type === 'array' && singleLine) return { span: { start: open + 1, end: close }, newText: member('') };
  // An empty object (or multi-line array) gets one member a line.
  const outer = indentationAt(text, open);
  const indent = outer + style.indentUnit;
  const body = (key === undefined ? '' : `${JSON.stringify(key)}: `) + jsonBlock(value, indent, style);
  return { span: { start: open + 1, end: close }, newText: `${style.eol}${indent}${body}${style.eol}${outer}` };
}

/** Removes a property node (`"key": value`) with its comma and the line break before it. */
export function removeMember(text: string, container: Node, member: Node): { span: Span; newText: string } | undefined {
  const children = container.children ?? [];
  const i = children.indexOf(member);
  if (i < 0) return undefined;
  const end = member.offset + member.length;
  if (i > 0) {
    const prev = children[i - 1];
    return { span: { start: prev.offset + prev.length, end }, newText: '' };
  }
  if (children.length > 1) return { span: { start: member.offset, end: children[1].offset }, newText: '' };
  const close = container.offset + container.length - 1;
  return { span: { start: container.offset + 1, end: close }, newText: '' };
}
