// Renders fix intents for ARM JSON as minimal edits that keep the file's formatting.
import type { Node } from 'jsonc-parser';
import { lookup } from '../model/query';
import type { ObjectValue, Origin, Property, Unit, Value } from '../model/types';
import { detectEol, detectIndentUnit, type TextEdit } from '../text';
import type { EditBuilder, RenderedFix } from '../frontends/types';
import type { FixIntent, Json } from './intent';
import { appendMember, removeMember, type JsonStyle } from './json-edit';

function fileText(unit: Unit, file: string): string | undefined {
  return unit.files.find((f) => f.path === file)?.text;
}

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
    const node = allowed.handle as Node | undefined;
    const file = allowed.loc?.file;
    const text = file && fileText(unit, file);
    const edit = node && text ? appendMember(text, node, undefined, value, styleOf(text)) : undefined;
    if (!edit || !file) return undefined;
    edits.push({ file, ...edit });
  }
  return { edits, where: originLabel(origin) };
}

function replaceValue(unit: Unit, target: Value, value: Json): RenderedFix | undefined {
  if (target.origin) return replaceAtOrigin(unit, target.origin, value);
  if (target.loc) return { edits: [{ file: target.loc.file, span: target.loc.span, newText: JSON.stringify(value) }] };
  return undefined;
}

function insertInto(unit: Unit, parent: ObjectValue, missing: string[], value: Json): RenderedFix | undefined {
  const node = parent.handle as Node | undefined;
  const file = parent.loc?.file;
  const text = file && fileText(unit, file);
  if (!node || !file || !text || missing.length === 0) return undefined;
  let nested: Json = value;
  for (let i = missing.length - 1; i >= 1; i--) nested = { [missing[i]]: nested };
  const edit = appendMember(text, node, missing[0], nested, styleOf(text));
  return edit && { edits: [{ file, ...edit }] };
}

function removeProp(unit: Unit, parent: ObjectValue, prop: Property): RenderedFix | undefined {
  const container = parent.handle as Node | undefined;
  const member = prop.handle as Node | undefined;
  const file = prop.keyLoc?.file;
  const text = file && fileText(unit, file);
  const edit = container && member && text ? removeMember(text, container, member) : undefined;
  return edit && file ? { edits: [{ file, ...edit }] } : undefined;
}

export const armEdits: EditBuilder = {
  render(intent: FixIntent, unit: Unit): RenderedFix | undefined {
    switch (intent.op) {
      case 'set': {
        const found = lookup(intent.resource, intent.path);
        if (found.state === 'absent') return insertInto(unit, found.parent, found.missing, intent.value);
        // A computed value (no literal behind it) is replaced by a literal where the expression stands.
        return replaceValue(unit, found.value, intent.value);
      }
      case 'remove': {
        if (intent.path.length === 0) return undefined;
        const parent = lookup(intent.resource, intent.path.slice(0, -1));
        const found = lookup(intent.resource, intent.path);
        const container = intent.path.length === 1 ? intent.resource.body : parent.state === 'set' && parent.value.kind === 'object' ? parent.value : undefined;
        return found.state === 'set' && container ? removeProp(unit, container, found.prop) : undefined;
      }
      case 'replaceValue':
        return replaceValue(unit, intent.target, intent.value);
    }
  },
};
