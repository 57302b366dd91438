// Where a value comes from, in words and as a place, when it is not written on the resource itself.
import { basename } from 'node:path';
import { lineIndexOf, type Located } from '../text';
import { describeValue } from './query';
import type { ProviderVersion, Resource, Unit, Value } from './types';

export interface ValueSource {
  /** "(default of `x`, main.bicep:14)", "from terraform.tfvars:3". */
  text: string;
  /** The literal that sets the value. */
  loc: Located;
  /** For related information: "Default of parameter `x`". */
  label: string;
  /** "main.bicep:14". */
  place: string;
}

/** `main.bicep:14` for a place in one of the unit's files (just the file name when its text is not at hand). */
export function placeOf(unit: Unit, loc: Located): string {
  const file = unit.files.find((f) => f.path === loc.file);
  const name = basename(loc.file);
  if (!file) return name;
  return `${name}:${lineIndexOf(file.text).positionAt(loc.span.start).line + 1}`;
}

function sameLoc(a: Located, b: Located): boolean {
  return a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end;
}

function within(resource: Resource, loc: Located): boolean {
  return loc.file === resource.file && loc.span.start >= resource.span.start && loc.span.end <= resource.span.end;
}

/**
 * The source of a value that is not written on the resource itself; undefined when it is.
 * `subject` is the property the message names: a parameter of the same name is "its parameter".
 */
export function sourceOf(unit: Unit, resource: Resource, value: Value, subject?: string): ValueSource | undefined {
  const o = value.origin;
  if (!o) {
    // Computed by a caller (`!var.x`): the caller's argument is where it comes from.
    const at = value.passedAt;
    if (!at || at.file === resource.file) return undefined;
    const place = placeOf(unit, at);
    return { text: `from the caller (${place})`, loc: at, place, label: 'Passed by the caller' };
  }
  if (o.kind === 'literal' && within(resource, o.at)) return undefined;
  const place = placeOf(unit, o.at);
  const param = resource.dialect === 'terraform' ? 'variable' : 'parameter';
  const name = o.name ?? '';
  switch (o.kind) {
    case 'parameter-default':
      if (subject !== undefined && subject.toLowerCase() === name.toLowerCase()) {
        return { text: `(${param} default, ${place})`, loc: o.at, place, label: `Default of ${param} \`${name}\`` };
      }
      return { text: `(default of \`${name}\`, ${place})`, loc: o.at, place, label: `Default of ${param} \`${name}\`` };
    case 'parameter-file':
      return { text: `from ${place}`, loc: o.at, place, label: name ? `\`${name}\` is set here` : 'Set here' };
    case 'variable':
      return { text: `from variable \`${name}\` (${place})`, loc: o.at, place, label: `Variable \`${name}\`` };
    case 'literal':
      // A literal a caller passes into the module: the finding stands at it.
      if (value.passedAt && sameLoc(value.passedAt, o.at)) return { text: `from the caller (${place})`, loc: o.at, place, label: 'Passed by the caller' };
      return { text: `from ${place}`, loc: o.at, place, label: 'Set here' };
  }
}

/** A value for a message, with its source when it comes from elsewhere: "false from terraform.tfvars:11". */
export function describeWithSource(unit: Unit, resource: Resource, value: Value, subject?: string): string {
  const source = sourceOf(unit, resource, value, subject);
  return source ? `${describeValue(value)} ${source.text}` : describeValue(value);
}

/** "azurerm `>= 4.0` (providers.tf:5)" / "azurerm 3.104.2 (.terraform.lock.hcl)". */
export function describeVersionSource(unit: Unit, v: ProviderVersion, provider = 'azurerm'): string {
  if (v.source === 'lock-file') return `${provider} ${v.text ?? ''} (${v.at ? basename(v.at.file) : '.terraform.lock.hcl'})`;
  return `${provider} \`${v.text ?? ''}\`${v.at ? ` (${placeOf(unit, v.at)})` : ''}`;
}
