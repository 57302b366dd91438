// Reading the resource model: property lookup with the three value states, and small coercions.
import type { ObjectValue, Property, Resource, UnknownValue, Value } from './types';

/** The state of a checked value (product.md §2). */
export type Lookup =
  | { state: 'set'; value: Exclude<Value, UnknownValue>; prop: Property }
  | { state: 'absent'; /** the deepest object reached on the path */ parent: ObjectValue; missing: string[] }
  | { state: 'unknown'; value: UnknownValue };

function keyEquals(a: string, b: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The last property of an object with this key (later duplicates win, as in JSON). */
export function getProp(obj: ObjectValue, key: string, caseInsensitive: boolean): Property | undefined {
  for (let i = obj.props.length - 1; i >= 0; i--) {
    if (keyEquals(obj.props[i].key, key, caseInsensitive)) return obj.props[i];
  }
  return undefined;
}

/**
 * Follows `path` from an object. A single nested block given as a one-item array (Terraform) is
 * looked through; an unknown value or an ambiguous array on the way makes the result unknown.
 */
export function lookupIn(root: ObjectValue, path: readonly string[], caseInsensitive: boolean): Lookup {
  let current: ObjectValue = root;
  for (let i = 0; i < path.length; i++) {
    const prop = getProp(current, path[i], caseInsensitive);
    if (!prop) return { state: 'absent', parent: current, missing: path.slice(i) };
    let value = prop.value;
    if (value.kind === 'array' && i < path.length - 1) {
      if (value.items.length === 1) value = value.items[0];
      else return { state: 'unknown', value: { kind: 'unknown', reason: `several '${path[i]}' entries`, loc: value.loc } };
    }
    if (value.kind === 'unknown') return { state: 'unknown', value };
    if (i === path.length - 1) return { state: 'set', value, prop };
    if (value.kind !== 'object') {
      return { state: 'unknown', value: { kind: 'unknown', reason: `'${path[i]}' is not an object`, loc: value.loc } };
    }
    current = value;
  }
  return { state: 'absent', parent: current, missing: [] };
}

/** Looks a property path up in a resource body, with the resource's schema's case rules (ARM is case-insensitive). */
export function lookup(resource: Resource, path: readonly string[]): Lookup {
  return lookupIn(resource.body, path, resource.schema === 'arm');
}

/** A string value, or undefined. */
export function asString(v: Value | undefined): string | undefined {
  return v && v.kind === 'string' ? v.value : undefined;
}

/** A boolean value, accepting the strings "true"/"false" as ARM and HCL do. */
export function asBool(v: Value | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'string') {
    const s = v.value.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** Compares ARM API versions (`2024-05-01`, `2024-09-01-preview`) by date, previews after nothing. */
export function parseApiVersion(v: string | undefined): { date: string; preview: boolean } | undefined {
  if (!v) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(-[A-Za-z0-9.]+)?$/.exec(v.trim());
  if (!m) return undefined;
  return { date: m[1], preview: m[2] !== undefined };
}

/** A short, safe rendering of a value for messages. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'string':
      return `'${v.value}'`;
    case 'number':
    case 'bool':
      return String(v.value);
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'ref':
      return `a reference to ${v.target.symbolicName}`;
    case 'unknown':
      return 'an expression';
  }
}

/** Resources of one kind (ARM type names compare case-insensitively). */
export function resourcesOfKind(resources: readonly Resource[], kind: string): Resource[] {
  const k = kind.toLowerCase();
  return resources.filter((r) => r.kind.toLowerCase() === k);
}
