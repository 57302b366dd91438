// Renders fix intents as minimal HCL edits: replace the literal where a value comes from (the
// resource, a variable default, a .tfvars value), or insert an attribute / nested blocks with `=`
// aligned the way `terraform fmt` aligns it, keeping the file's indent unit and line breaks.
import { basename, dirname, join, resolve } from 'node:path';
import type { BodyValue, FixIntent, Json, ParameterType, Ref, TfBlocks } from './intent';
import { isBlocks, isRef } from './intent';
import { RenderContext, Unwritable, editBuilder, lineEndAt, removeDeclaration, snakeName } from './common';
import type { ObjectHandle, ObjectValue, Origin, Property, Resource, ResourceHandle, Unit, Value } from '../model/types';
import { detectEol, detectIndentUnit, indentationAt, lineIndexOf, memoByText, type LineIndex, type Span, type TextEdit } from '../text';
import { labelText, literalValue, parseHcl, type Attribute, type Block, type Body, type ObjectExpr, type ObjectItem } from '../syntax/hcl';
import { resolvePath } from '../paths';
import type { CallArgument, ModuleCall, RenderedFix } from '../frontends/types';

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An HCL string literal: escapes quotes, backslashes, control characters and template openers. */
export function hclString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if ((c === '$' || c === '%') && s[i + 1] === '{') out += c + c;
    else out += c;
  }
  return out + '"';
}

/** The HCL text of a JSON value; objects span lines at `indent` with `=` aligned. */
export function hclLiteral(v: Json, indent: string, unit: string, eol: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => hclLiteral(x, indent, unit, eol)).join(', ')}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (IDENT.test(k) ? k : hclString(k)));
  const width = Math.max(...keys.map((k) => k.length));
  const inner = indent + unit;
  const lines = entries.map(([, x], i) => `${inner}${keys[i].padEnd(width)} = ${hclLiteral(x, inner, unit, eol)}`);
  return `{${eol}${lines.join(eol)}${eol}${indent}}`;
}

interface FileCtx {
  path: string;
  text: string;
  lines: LineIndex;
  eol: string;
  unit: string;
}

function fileCtx(unit: Unit, path: string): FileCtx | undefined {
  const f = unit.files.find((s) => s.path === path);
  if (!f) return undefined;
  return { path, text: f.text, lines: lineIndexOf(f.text), eol: detectEol(f.text), unit: detectIndentUnit(f.text) };
}

function whereOf(origin: Origin | undefined, resourceFile: string, editFile: string): string | undefined {
  if (origin?.kind === 'parameter-default' && origin.name) return `default of variable '${origin.name}'`;
  if (origin?.kind === 'parameter-file') return basename(editFile);
  if (origin?.kind === 'variable' && origin.name) return origin.name;
  return editFile !== resourceFile ? basename(editFile) : undefined;
}

/** Replaces the literal behind a value (or, without one, the expression itself). */
function replaceValueEdit(value: Value, json: Json, unit: Unit, resourceFile: string): RenderedFix | undefined {
  const at = value.origin?.at ?? value.loc;
  if (!at) return undefined;
  const f = fileCtx(unit, at.file);
  if (!f) return undefined;
  const indent = indentationAt(f.text, at.span.start);
  const newText = hclLiteral(json, indent, f.unit, f.eol);
  if (f.text.slice(at.span.start, at.span.end) === newText) return { edits: [] };
  return { edits: [{ file: at.file, span: at.span, newText }], where: whereOf(value.origin, resourceFile, at.file) };
}

/** A `name = value` line of a body or an object constructor, for alignment. */
interface AssignLine {
  name: string;
  nameEnd: number;
  sepStart: number;
  startLine: number;
  endLine: number;
}

function assignLines(items: readonly (Attribute | ObjectItem)[], f: FileCtx): AssignLine[] {
  return items.map((i) => {
    const nameNode = i.kind === 'Attribute' ? i.name : i.key;
    const sep = i.kind === 'Attribute' ? i.equals : i.sep;
    return {
      name: f.text.slice(nameNode.span.start, nameNode.span.end),
      nameEnd: nameNode.span.end,
      sepStart: sep.span.start,
      startLine: f.lines.positionAt(i.span.start).line,
      endLine: f.lines.positionAt(i.span.end).line,
    };
  });
}

/** The consecutive single-line assignments that `terraform fmt` aligns together with `line`. */
function groupAround(all: AssignLine[], index: number): AssignLine[] {
  const group: AssignLine[] = [all[index]];
  if (all[index].startLine !== all[index].endLine) return group;
  for (let i = index - 1; i >= 0; i--) {
    const a = all[i];
    if (a.startLine !== a.endLine || a.endLine !== group[0].startLine - 1) break;
    group.unshift(a);
  }
  for (let i = index + 1; i < all.length; i++) {
    const a = all[i];
    const last = group[group.length - 1];
    if (a.startLine !== last.endLine + 1) break;
    // A multi-line value's first line still has its `=` in the chain; its later lines end it.
    group.push(a);
    if (a.startLine !== a.endLine) break;
  }
  return group;
}

/** Whether the group's `=` signs stand where fmt puts them (one space after the longest name). */
function isFmtAligned(group: AssignLine[], f: FileCtx): boolean {
  const width = Math.max(...group.map((g) => g.name.length));
  return group.every((g) => f.text.slice(g.nameEnd, g.sepStart) === ' '.repeat(width - g.name.length + 1));
}

/** Edits that pad the names of a group to `width`. */
function realign(group: AssignLine[], width: number, f: FileCtx): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const g of group) {
    const pad = ' '.repeat(width - g.name.length + 1);
    if (f.text.slice(g.nameEnd, g.sepStart) !== pad) edits.push({ file: f.path, span: { start: g.nameEnd, end: g.sepStart }, newText: pad });
  }
  return edits;
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'providers', 'source', 'version']);

/** The assignments after an inserted line move one line down. */
function shiftLine(a: AssignLine): AssignLine {
  return { ...a, startLine: a.startLine + 1, endLine: a.endLine + 1 };
}

/** A value already written in HCL (one line), to insert as it is. */
class HclText {
  constructor(readonly text: string) {}
}

/** The text of `path[0] … = value` to insert at `indent`: an attribute, or nested blocks around it. */
function insertionText(path: string[], value: Json | HclText, indent: string, f: FileCtx, namePad = 0): string {
  if (path.length === 1) {
    const name = IDENT.test(path[0]) ? path[0] : hclString(path[0]);
    return `${indent}${name.padEnd(namePad)} = ${value instanceof HclText ? value.text : hclLiteral(value, indent, f.unit, f.eol)}`;
  }
  const inner = insertionText(path.slice(1), value, indent + f.unit, f);
  return `${indent}${path[0]} {${f.eol}${inner}${f.eol}${indent}}`;
}

/** Inserts `path = value` into a block body. */
function insertIntoBlock(block: Block, path: string[], value: Json | HclText, f: FileCtx): TextEdit[] | undefined {
  if (!block.open || !block.close) return undefined;
  const body: Body = block.body;
  const blockIndent = indentationAt(f.text, block.span.start);
  const openLine = f.lines.positionAt(block.open.span.end).line;
  const closeLine = f.lines.positionAt(block.close.span.start).line;
  const attrs = body.items.filter((i): i is Attribute => i.kind === 'Attribute');
  if (openLine === closeLine) {
    // A single-line block: spread it over lines.
    const indent = blockIndent + f.unit;
    const existing = body.items.map((i) => indent + f.text.slice(i.span.start, i.span.end).trim());
    const newLine = insertionText(path, value, indent, f);
    const lines = path.length === 1 ? [...existing, newLine] : [...existing, newLine];
    return [{ file: f.path, span: { start: block.open.span.end, end: block.close.span.start }, newText: f.eol + lines.join(f.eol) + f.eol + blockIndent }];
  }
  const firstItem = body.items[0];
  const indent = firstItem ? indentationAt(f.text, firstItem.span.start) : blockIndent + f.unit;
  if (path.length > 1 || attrs.length === 0) {
    // Nested blocks go after the last item; a lone attribute goes first.
    const anchor = path.length > 1 ? body.items[body.items.length - 1] : undefined;
    const line = anchor ? f.lines.positionAt(anchor.span.end).line : openLine;
    const at = f.lines.lineEnd(line);
    return [{ file: f.path, span: { start: at, end: at }, newText: f.eol + insertionText(path, value, indent, f) }];
  }
  // Place it after the last ordinary attribute before the nested blocks (meta-arguments such as
  // depends_on stay last), which is where a reader looks for it.
  const ordinary = attrs.filter((a) => !META_ARGUMENTS.has(a.name.text));
  const firstBlock = body.items.find((i) => i.kind === 'Block');
  const beforeBlocks = ordinary.filter((a) => !firstBlock || a.span.start < firstBlock.span.start);
  const anchor = beforeBlocks[beforeBlocks.length - 1] ?? ordinary[ordinary.length - 1] ?? attrs[attrs.length - 1];
  const lines = assignLines(attrs, f);
  const anchorIndex = attrs.indexOf(anchor);
  const lastLine = lines[anchorIndex];
  const at = f.lines.lineEnd(lastLine.endLine);
  const newName = IDENT.test(path[0]) ? path[0] : hclString(path[0]);
  const newAssign: AssignLine = { name: newName, nameEnd: -1, sepStart: -1, startLine: lastLine.endLine + 1, endLine: lastLine.endLine + 1 };
  const withNew = [...lines.slice(0, anchorIndex + 1), newAssign, ...lines.slice(anchorIndex + 1).map(shiftLine)];
  const group = groupAround(withNew, anchorIndex + 1).filter((g) => g !== newAssign);
  let edits: TextEdit[] = [];
  let width = newName.length;
  if (group.length && isFmtAligned(group, f)) {
    width = Math.max(width, ...group.map((g) => g.name.length));
    edits = realign(group, width, f);
  }
  edits.push({ file: f.path, span: { start: at, end: at }, newText: f.eol + insertionText(path, value, indent, f, width) });
  return edits;
}

/** Inserts `key = value` into an object constructor (`tags = { … }`). */
function insertIntoObject(obj: ObjectExpr, key: string, value: Json, f: FileCtx): TextEdit[] | undefined {
  const open = obj.children[0];
  const close = obj.children[obj.children.length - 1];
  if (!('lead' in open) || !('lead' in close) || close.kind !== '}') return undefined;
  const name = IDENT.test(key) ? key : hclString(key);
  const openLine = f.lines.positionAt(open.span.end).line;
  const closeLine = f.lines.positionAt(close.span.start).line;
  if (openLine === closeLine) {
    const lit = hclLiteral(value, '', f.unit, f.eol);
    if (obj.items.length === 0) return [{ file: f.path, span: { start: open.span.end, end: close.span.start }, newText: ` ${name} = ${lit} ` }];
    const lastItem = obj.items[obj.items.length - 1];
    return [{ file: f.path, span: { start: lastItem.span.end, end: lastItem.span.end }, newText: `, ${name} = ${lit}` }];
  }
  const indent = obj.items[0] ? indentationAt(f.text, obj.items[0].span.start) : indentationAt(f.text, obj.span.start) + f.unit;
  if (obj.items.length === 0) {
    const at = f.lines.lineEnd(openLine);
    return [{ file: f.path, span: { start: at, end: at }, newText: `${f.eol}${indent}${name} = ${hclLiteral(value, indent, f.unit, f.eol)}` }];
  }
  const lines = assignLines(obj.items, f);
  const lastLine = lines[lines.length - 1];
  const newAssign: AssignLine = { name, nameEnd: -1, sepStart: -1, startLine: lastLine.endLine + 1, endLine: lastLine.endLine + 1 };
  const group = groupAround([...lines, newAssign], lines.length).filter((g) => g !== newAssign);
  let edits: TextEdit[] = [];
  let width = name.length;
  if (group.length && isFmtAligned(group, f)) {
    width = Math.max(width, ...group.map((g) => g.name.length));
    edits = realign(group, width, f);
  }
  // Keep the object's separator style: commas after items when the last one has a comma.
  const at = f.lines.lineEnd(lastLine.endLine);
  edits.push({ file: f.path, span: { start: at, end: at }, newText: `${f.eol}${indent}${name.padEnd(width)} = ${hclLiteral(value, indent, f.unit, f.eol)}` });
  return edits;
}

function lastProp(obj: ObjectValue, key: string): Property | undefined {
  for (let i = obj.props.length - 1; i >= 0; i--) if (obj.props[i].key === key) return obj.props[i];
  return undefined;
}

function renderSet(resource: Resource, path: string[], value: Json, unit: Unit): RenderedFix | undefined {
  if (path.length === 0) return undefined;
  let current: ObjectValue = resource.body;
  let container: ResourceHandle | ObjectHandle | undefined = resource.handle;
  for (let i = 0; i < path.length; i++) {
    const prop = lastProp(current, path[i]);
    if (!prop) {
      if (container?.dialect !== 'terraform') return undefined;
      const f = fileCtx(unit, container.file);
      if (!f) return undefined;
      const node = container.node;
      let edits: TextEdit[] | undefined;
      if (node.kind === 'Block') edits = insertIntoBlock(node, path.slice(i), value, f);
      else {
        // An object constructor (an azapi `body`): the missing keys below the first become nested objects.
        let nested: Json = value;
        for (let k = path.length - 1; k > i; k--) nested = { [path[k]]: nested };
        edits = insertIntoObject(node, path[i], nested, f);
      }
      if (!edits) return undefined;
      return { edits, where: container.file !== resource.file ? basename(container.file) : undefined };
    }
    let v = prop.value;
    if (i === path.length - 1) return replaceValueEdit(v, value, unit, resource.file);
    if (v.kind === 'array' && v.items.length === 1) v = v.items[0];
    if (v.kind !== 'object') return undefined;
    current = v;
    container = v.handle;
  }
  return undefined;
}

/** Deletes a whole attribute or block, with its line when it stands alone on it. */
function renderRemove(resource: Resource, path: string[], unit: Unit): RenderedFix | undefined {
  let current: ObjectValue = resource.body;
  for (let i = 0; i < path.length; i++) {
    const prop = lastProp(current, path[i]);
    if (!prop) return { edits: [] };
    if (i < path.length - 1) {
      let v = prop.value;
      if (v.kind === 'array' && v.items.length === 1) v = v.items[0];
      if (v.kind !== 'object') return undefined;
      current = v;
      continue;
    }
    const h = prop.handle;
    if (h?.dialect !== 'terraform') return undefined;
    if (h.node.kind === 'Block' && prop.value.kind === 'array') return removeBlocks(prop.value.items, path[i], unit, resource.file);
    const node = h.node;
    const f = fileCtx(unit, h.file);
    if (!f) return undefined;
    const lines = ownLines(f, node.span, { comment: true, blankBefore: node.kind === 'Block' });
    const edits: TextEdit[] = [{ file: f.path, span: lines ?? node.span, newText: '' }];
    // Realign the neighbours fmt aligned with the removed attribute.
    if (node.kind === 'Attribute') {
      const siblings = siblingsOf(resource, path, current);
      if (siblings) {
        const lines = assignLines(siblings, f);
        const idx = siblings.indexOf(node);
        if (idx >= 0) {
          const group = groupAround(lines, idx);
          if (group.length > 1 && isFmtAligned(group, f)) {
            const rest = group.filter((g) => g !== lines[idx]);
            edits.push(...realign(rest, Math.max(...rest.map((g) => g.name.length)), f));
          }
        }
      }
    }
    return { edits, where: h.file !== resource.file ? basename(h.file) : undefined };
  }
  return undefined;
}

/**
 * The whole lines `span` stands on, line break included, when nothing else shares them (a trailing
 * comment may when `comment`); with `blankBefore`, the blank line that set it apart goes too.
 */
function ownLines(f: FileCtx, span: Span, options: { comment: boolean; blankBefore: boolean }): Span | undefined {
  const startLine = f.lines.positionAt(span.start).line;
  const endLine = f.lines.positionAt(span.end).line;
  let start = f.lines.lineStart(startLine);
  const after = f.text.slice(span.end, f.lines.lineEnd(endLine));
  if (f.text.slice(start, span.start).trim() !== '') return undefined;
  if (after.trim() !== '' && !(options.comment && /^\s*(#|\/\/)/.test(after))) return undefined;
  if (options.blankBefore && startLine > 0 && f.lines.lineText(startLine - 1).trim() === '') start = f.lines.lineStart(startLine - 1);
  const end = endLine + 1 < f.lines.lineCount ? f.lines.lineStart(endLine + 1) : f.text.length;
  return { start, end };
}

/** Removes every block of a repeated nested block (`enabled_log { … }` twice); not blocks a `dynamic` generates. */
function removeBlocks(items: Value[], name: string, unit: Unit, resourceFile: string): RenderedFix | undefined {
  const edits: TextEdit[] = [];
  for (const item of items) {
    const h = item.kind === 'object' ? item.handle : undefined;
    if (h?.dialect !== 'terraform' || h.node.kind !== 'Block' || h.node.type.text !== name) return undefined;
    const f = fileCtx(unit, h.file);
    if (!f) return undefined;
    const lines = ownLines(f, h.node.span, { comment: false, blankBefore: true });
    if (!lines) return undefined;
    edits.push({ file: f.path, span: lines, newText: '' });
  }
  const file = edits[0]?.file;
  return { edits, where: file && file !== resourceFile ? basename(file) : undefined };
}

function siblingsOf(resource: Resource, path: string[], parent: ObjectValue): Attribute[] | undefined {
  const h = path.length === 1 ? resource.handle : parent.handle;
  if (h?.dialect !== 'terraform' || h.node.kind !== 'Block') return undefined;
  return h.node.body.items.filter((i): i is Attribute => i.kind === 'Attribute');
}

// ---- Adding variables, resources and nested blocks ----

const TF_TYPES: Record<ParameterType, string> = { string: 'string', bool: 'bool', int: 'number', object: 'map(string)', array: 'list(string)' };

/** The `.tf` files of the module folder that holds `file`. */
function moduleFiles(unit: Unit, file: string): { path: string; text: string }[] {
  const dir = dirname(file);
  return unit.files.filter((f) => f.dialect === 'terraform' && dirname(f.path) === dir && f.path.endsWith('.tf'));
}

/**
 * A file's top-level blocks, once per text (every fix of a large file asks): the names of its
 * variables and of its resources by type, and where its last `variable` block starts.
 */
const blocksOf = memoByText((text: string): { names: Map<string, string[]>; lastVariable?: number } => {
  const names = new Map<string, string[]>();
  let lastVariable: number | undefined;
  const add = (key: string, name: string) => {
    const list = names.get(key);
    if (list) list.push(name);
    else names.set(key, [name]);
  };
  for (const item of parseHcl(text).tree.body.items) {
    if (item.kind !== 'Block') continue;
    const labels = item.labels.map(labelText);
    if (item.type.text === 'variable' && labels.length === 1) {
      add('variable', labels[0]);
      lastVariable = item.span.start;
    } else if (item.type.text === 'resource' && labels.length === 2) add(`resource\0${labels[0]}`, labels[1]);
  }
  return { names, lastVariable };
});

const NO_NAMES: readonly string[] = [];

/** The names of the `variable` blocks (no type) or of the resources of `type` in `file`'s module folder. */
function labelsOf(unit: Unit, file: string, keyword: 'variable' | 'resource', type?: string): readonly string[] {
  const key = type ? `${keyword}\0${type}` : keyword;
  const lists = moduleFiles(unit, file).map((f) => blocksOf(f.text).names.get(key) ?? NO_NAMES);
  // One file: its memoised list itself, so a fix-all over many findings does not copy it each time.
  return lists.length === 1 ? lists[0] : lists.flat();
}

/** The HCL expression of a reference, or Unwritable. */
function refExpr(ref: Ref, ctx: RenderContext, file: string): string {
  if (ref.$ref === 'parameter') {
    const p = ctx.parameter(ref.as);
    if (!p) throw new Unwritable();
    return `var.${p.name}`;
  }
  if (ref.$ref === 'resource') {
    if ('as' in ref.resource) {
      const c = ctx.resource(ref.resource.as);
      if (!c) throw new Unwritable();
      return ref.attribute ? `${c.symbol}.${ref.attribute}` : c.symbol;
    }
    const r = ref.resource;
    if (r.viaModule || dirname(r.file) !== dirname(file)) throw new Unwritable();
    // An azapi_resource has no resource_group_name: its parent_id is the resource group's id.
    if (r.sourceType === 'azapi_resource' && ref.attribute === 'resource_group_name') return `split("/", ${r.symbolicName}.parent_id)[4]`;
    return ref.attribute ? `${r.symbolicName}.${ref.attribute}` : r.symbolicName;
  }
  const inner = ref.parts.map((p) => (typeof p === 'string' ? hclString(p).slice(1, -1) : '${' + refExpr(p, ctx, file) + '}')).join('');
  return `"${inner}"`;
}

/** An expression for a body value; objects span lines at `indent` with `=` aligned. */
function hclValue(v: BodyValue, indent: string, f: FileCtx, ctx: RenderContext): string {
  if (v === null || typeof v !== 'object') return hclLiteral(v, indent, f.unit, f.eol);
  if (isRef(v)) return refExpr(v, ctx, f.path);
  if (isBlocks(v)) throw new Unwritable();
  if (Array.isArray(v)) return `[${v.map((x) => hclValue(x, indent, f, ctx)).join(', ')}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const inner = indent + f.unit;
  return `{${f.eol}${alignedItems(entries, inner, f, ctx).join(f.eol)}${f.eol}${indent}}`;
}

/**
 * The lines of a body (attributes, then `$blocks` where they stand), `=` aligned the way
 * `terraform fmt` aligns a run of consecutive single-line attributes (a multi-line value ends it).
 */
function alignedItems(entries: [string, BodyValue][], indent: string, f: FileCtx, ctx: RenderContext): string[] {
  type Item = { name: string; value: string } | { block: string };
  const items: Item[] = [];
  for (const [k, v] of entries) {
    const name = IDENT.test(k) ? k : hclString(k);
    if (isBlocks(v)) {
      for (const b of v.$blocks) {
        const inner = alignedItems(Object.entries(b), indent + f.unit, f, ctx);
        items.push({ block: `${indent}${name} {${f.eol}${inner.join(f.eol)}${inner.length ? f.eol : ''}${indent}}` });
      }
    } else items.push({ name, value: hclValue(v, indent, f, ctx) });
  }
  const out: string[] = [];
  let run: { name: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((r) => r.name.length));
    for (const r of run) out.push(`${indent}${r.name.padEnd(width)} = ${r.value}`);
    run = [];
  };
  for (const it of items) {
    if ('block' in it) {
      flush();
      if (out.length > 0) out.push(''); // a blank line between attributes and a nested block
      out.push(it.block);
      continue;
    }
    run.push(it);
    if (/[\r\n]/.test(it.value)) flush();
  }
  flush();
  return out;
}

function addVariable(unit: Unit, intent: Extract<FixIntent, { op: 'addParameter' }>, ctx: RenderContext): RenderedFix | undefined {
  const near = intent.near;
  if (near.viaModule) return undefined;
  const dir = dirname(near.file);
  const label = near.symbolicName.slice(near.symbolicName.lastIndexOf('.') + 1);
  const stem = ['this', 'main', 'default', 'example', 'current'].includes(label) ? '' : `${label}_`;
  const name = ctx.claim(dir, `${stem}${snakeName(intent.name)}`, () => labelsOf(unit, near.file, 'variable'), '_');
  ctx.created.set(intent.as, { kind: 'parameter', name, file: near.file });
  const variables = moduleFiles(unit, near.file).find((x) => x.path === join(dir, 'variables.tf'));
  const target = variables ?? moduleFiles(unit, near.file).find((x) => x.path === near.file);
  const f = target && fileCtx(unit, target.path);
  if (!f) return undefined;
  const body = alignedItems([['type', { $ref: 'concat', parts: [] }], ['description', intent.description]], f.unit, f, ctx);
  body[0] = body[0].replace(/""$/, TF_TYPES[intent.type]);
  const decl = `variable ${hclString(name)} {${f.eol}${body.join(f.eol)}${f.eol}}`;
  const lastVar = blocksOf(f.text).lastVariable;
  if (variables || lastVar !== undefined) {
    // After the last variable block (or at the end of variables.tf).
    let at = f.text.trimEnd().length;
    if (!variables && lastVar !== undefined) at = blockEnd(f.text, lastVar);
    return { edits: [{ file: f.path, span: { start: at, end: at }, newText: `${f.eol}${f.eol}${decl}` }], where: variables ? 'variables.tf' : undefined };
  }
  const at = f.lines.lineStart(f.lines.positionAt(near.span.start).line);
  return { edits: [{ file: f.path, span: { start: at, end: at }, newText: `${decl}${f.eol}${f.eol}` }] };
}

/** The offset after the `}` that closes the block opened on the line at `start`. */
function blockEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

function addTfResource(unit: Unit, intent: Extract<FixIntent, { op: 'addResource' }>, ctx: RenderContext): RenderedFix | undefined {
  const after = intent.after;
  const body = intent.body.terraform;
  const f = fileCtx(unit, after.file);
  if (!body || !intent.terraformType || !f || after.viaModule) return undefined;
  const label = ctx.claim(`${dirname(after.file)}#${intent.terraformType}`, snakeName(intent.symbol), () => labelsOf(unit, after.file, 'resource', intent.terraformType), '_');
  const symbol = `${intent.terraformType}.${label}`;
  const at = lineEndAt(f.text, after.span.end);
  const edit: TextEdit = { file: f.path, span: { start: at, end: at }, newText: '' };
  ctx.created.set(intent.as, { kind: 'resource', symbol, type: intent.terraformType, file: f.path, edit });
  const lines = alignedItems(Object.entries(body), f.unit, f, ctx);
  edit.newText = `${f.eol}${f.eol}resource ${hclString(intent.terraformType)} ${hclString(label)} {${f.eol}${lines.join(f.eol)}${f.eol}}`;
  return { edits: [edit] };
}

function addNestedBlock(unit: Unit, intent: Extract<FixIntent, { op: 'addChild' }>, ctx: RenderContext): RenderedFix | undefined {
  const body = intent.body.terraform;
  const blockName = intent.terraformBlock;
  if (!body || !blockName) return undefined;
  if ('as' in intent.parent) {
    const p = ctx.resource(intent.parent.as);
    const f = p && fileCtx(unit, p.file);
    if (!p || !f) return undefined;
    const text = alignedItems([[blockName, { $blocks: [body] }]], f.unit, f, ctx).join(f.eol);
    const close = p.edit.newText.lastIndexOf('}');
    p.edit.newText = `${p.edit.newText.slice(0, close)}${f.eol}${text}${f.eol}}`;
    return { edits: [] };
  }
  const h = intent.parent.handle;
  if (h?.dialect !== 'terraform' || intent.parent.viaModule) return undefined;
  return appendBlocks(h.node, h.file, blockName, { $blocks: [body] }, unit, ctx);
}

/** Appends nested blocks after the last item of a block's body. */
function appendBlocks(block: Block, file: string, name: string, blocks: TfBlocks, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  const f = fileCtx(unit, file);
  if (!f || !block.close) return undefined;
  const items = block.body.items;
  const indent = items[0] ? indentationAt(f.text, items[0].span.start) : indentationAt(f.text, block.span.start) + f.unit;
  const text = alignedItems([[name, blocks]], indent, f, ctx).join(f.eol);
  const last = items[items.length - 1];
  const at = last ? f.lines.lineEnd(f.lines.positionAt(last.span.end).line) : block.open ? block.open.span.end : block.close.span.start;
  return { edits: [{ file: f.path, span: { start: at, end: at }, newText: `${last ? f.eol : ''}${f.eol}${text}` }] };
}

/** Adds nested blocks (`custom_parameters { … }`) where the path's last block is absent. */
function renderSetBlocks(resource: Resource, path: string[], blocks: TfBlocks, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  let current: ObjectValue = resource.body;
  let container: ResourceHandle | ObjectHandle | undefined = resource.handle;
  for (let i = 0; i < path.length - 1; i++) {
    let v = lastProp(current, path[i])?.value;
    if (v?.kind === 'array' && v.items.length === 1) v = v.items[0];
    if (v?.kind !== 'object') return undefined;
    current = v;
    container = v.handle;
  }
  if (lastProp(current, path[path.length - 1]) || container?.dialect !== 'terraform' || container.node.kind !== 'Block' || resource.viaModule) return undefined;
  const placed = appendBlocks(container.node, container.file, path[path.length - 1], blocks, unit, ctx);
  return placed && { ...placed, where: container.file !== resource.file ? basename(container.file) : undefined };
}

/** Sets a property to a value with references: replaces the expression, or inserts the attribute. */
function renderSetRef(resource: Resource, path: string[], value: BodyValue, unit: Unit, ctx: RenderContext): RenderedFix | undefined {
  if (isBlocks(value)) return renderSetBlocks(resource, path, value, unit, ctx);
  const marker = '\u0000ref\u0000';
  const placed = renderSet(resource, path, marker, unit);
  if (!placed) return undefined;
  const f = placed.edits[0] && fileCtx(unit, placed.edits[0].file);
  if (!f) return undefined;
  const quoted = hclString(marker);
  return {
    ...placed,
    edits: placed.edits.map((e) => {
      const at = e.newText.indexOf(quoted);
      if (at < 0) return e;
      // Objects in the value are indented from the line the marker stands on.
      const lineStart = e.newText.lastIndexOf('\n', at);
      const indent = lineStart >= 0 ? /^[ \t]*/.exec(e.newText.slice(lineStart + 1))![0] : indentationAt(f.text, e.span.start);
      return { ...e, newText: e.newText.replace(quoted, hclValue(value, indent, f, ctx)) };
    }),
  };
}

/** Rewrites the `@version` of an azapi resource's literal `type` ("Microsoft.X/y@2023-02-01"). */
function setAzapiVersion(resource: Resource, apiVersion: string, unit: Unit): RenderedFix | undefined {
  const h = resource.handle;
  if (h?.dialect !== 'terraform' || h.node.kind !== 'Block' || resource.viaModule) return undefined;
  const type = h.node.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name.text === 'type');
  const f = type && fileCtx(unit, h.file);
  if (!type || !f) return undefined;
  const text = f.text.slice(type.expr.span.start, type.expr.span.end);
  const m = /^"([A-Za-z0-9.]+\/[^@"$]+)@([^"$]+)"$/.exec(text);
  if (!m) return undefined;
  const start = type.expr.span.start + 1 + m[1].length + 1;
  return { edits: [{ file: f.path, span: { start, end: start + m[2].length }, newText: apiVersion }] };
}

export const terraformEdits = editBuilder({
  set: (intent, unit) => renderSet(intent.resource, intent.path, intent.value, unit),
  remove: (intent, unit) => renderRemove(intent.resource, intent.path, unit),
  replaceValue: (intent, unit) => replaceValueEdit(intent.target, intent.value, unit, intent.target.loc?.file ?? ''),
  setRef: (intent, unit, ctx) => renderSetRef(intent.resource, intent.path, intent.value, unit, ctx),
  setApiVersion: (intent, unit) => setAzapiVersion(intent.resource, intent.apiVersion, unit), // azurerm resources have none
  removeResource(intent, unit) {
    const f = fileCtx(unit, intent.resource.file);
    return !f || intent.resource.viaModule ? undefined : { edits: [removeDeclaration(f.text, f.path, intent.resource.span)] };
  },
  addParameter: (intent, unit, ctx) => addVariable(unit, intent, ctx),
  addResource: (intent, unit, ctx) => addTfResource(unit, intent, ctx),
  addChild: (intent, unit, ctx) => addNestedBlock(unit, intent, ctx),
}, bindArgument);

/** `edit` replaces a module variable's whole default: the same value as an argument of the `module` block instead. */
function bindArgument(unit: Unit, edit: TextEdit, call: ModuleCall): CallArgument | undefined {
  const mod = fileCtx(unit, edit.file);
  const f = fileCtx(unit, call.file);
  if (!mod || !f || /[\r\n]/.test(edit.newText)) return undefined;
  let name: string | undefined;
  for (const item of parseHcl(mod.text).tree.body.items) {
    if (item.kind !== 'Block' || item.type.text !== 'variable' || item.labels.length !== 1) continue;
    const def = item.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name.text === 'default');
    if (def && def.expr.span.start === edit.span.start && def.expr.span.end === edit.span.end) name = labelText(item.labels[0]);
  }
  if (!name) return undefined;
  const block = parseHcl(f.text).tree.body.items.find(
    (i): i is Block => i.kind === 'Block' && i.type.text === 'module' && i.labels.length === 1 && labelText(i.labels[0]) === call.name,
  );
  const source = block?.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name.text === 'source');
  const path = source && literalValue(source.expr);
  if (!block || typeof path !== 'string' || resolvePath(resolve(dirname(call.file), path)) !== resolvePath(dirname(edit.file))) return undefined;
  if (block.body.items.some((i) => i.kind === 'Attribute' && i.name.text === name)) return undefined;
  const edits = insertIntoBlock(block, [name], new HclText(edit.newText), f);
  return edits && { param: name, edits };
}
