// Which resource a value designates: a reference (symbol, `.id`, `resourceId(...)`, a variable,
// a parameter or module output bound to one), or a resource id / name string.
import { asString, lookup } from '../../model/query';
import type { Resource, Value } from '../../model/types';

/** Whether a value designates a resource: yes, no, or unknown (an expression we can't follow). */
export type Designation = 'yes' | 'no' | 'unknown';

/** The resource's evaluated name (the last segment for child names `parent/child`), if known. */
export function nameOf(r: Resource): string | undefined {
  const n = lookup(r, ['name']);
  const s = n.state === 'set' ? asString(n.value) : undefined;
  return s === undefined ? undefined : s.slice(s.lastIndexOf('/') + 1);
}

/** The full evaluated name as written (`ws/Microsoft.Insights/diag`), if known. */
export function fullNameOf(r: Resource): string | undefined {
  const n = lookup(r, ['name']);
  return n.state === 'set' ? asString(n.value) : undefined;
}

/** The ARM type of a resource id string (`/subscriptions/…/providers/Microsoft.X/y/NAME`) and its name. */
function parseResourceId(id: string): { type: string; name: string } | undefined {
  const m = /\/providers\/([A-Za-z0-9]+\.[A-Za-z0-9.]+)\/([A-Za-z0-9]+)\/([^/]+)\/?$/.exec(id.trim());
  return m ? { type: `${m[1]}/${m[2]}`, name: m[3] } : undefined;
}

/** Whether `v` designates the resource `target` (an id-valued reference, or an id string naming it). */
export function designates(v: Value | undefined, target: Resource): Designation {
  if (!v) return 'no';
  switch (v.kind) {
    case 'ref':
      if (v.target === target) return v.attribute === 'id' || v.attribute === '' ? 'yes' : 'no';
      return 'no';
    case 'string': {
      const id = parseResourceId(v.value);
      if (!id) return 'unknown';
      if (id.type.toLowerCase() !== target.kind.toLowerCase()) return 'no';
      const name = nameOf(target);
      if (name === undefined) return 'unknown';
      return name.toLowerCase() === id.name.toLowerCase() ? 'yes' : 'no';
    }
    case 'unknown':
      return 'unknown';
    default:
      return 'no';
  }
}

/** Whether a child resource named `parent/child` (ARM top-level children) belongs to `parent`. */
export function namedUnder(child: Resource, parent: Resource, separator = '/'): Designation {
  const full = fullNameOf(child);
  const parentName = fullNameOf(parent);
  if (full === undefined || parentName === undefined) return 'unknown';
  return full.toLowerCase().startsWith(parentName.toLowerCase() + separator.toLowerCase()) ? 'yes' : 'no';
}

/** Where a resource is, for posture details and messages: `symbol (file)`. */
export function describeResource(r: Resource): string {
  const file = r.file.slice(r.file.lastIndexOf('/') + 1);
  return `${r.symbolicName} (${file})`;
}

/** How messages name a resource: its symbol in Bicep and Terraform, its evaluated name in ARM. */
export function displayName(r: Resource): string {
  if (r.dialect !== 'arm') return r.symbolicName;
  return fullNameOf(r) ?? r.symbolicName;
}
