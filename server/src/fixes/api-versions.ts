// Properties that an older API version of a resource type lacks (rules.md, *Fix safety*: the Learn
// change log of each type, /azure/templates/<provider>/change-log/<type>). Setting one of them on
// a resource whose apiVersion is older also raises the apiVersion.
import { parseApiVersion } from '../model/query';
import { KIND, type Resource } from '../model/types';
import type { FixIntent } from './intent';

interface Requirement {
  kind: string;
  path: string[];
  /** The first API version that has the property. */
  since: string;
  /** What the fix raises the apiVersion to. */
  raiseTo: string;
}

const REQUIREMENTS: Requirement[] = [
  { kind: KIND.workspace, path: ['properties', 'publicNetworkAccess'], since: '2021-04-01-preview', raiseTo: '2024-05-01' },
  { kind: KIND.workspace, path: ['properties', 'requiredNsgRules'], since: '2021-04-01-preview', raiseTo: '2024-05-01' },
  { kind: KIND.workspace, path: ['properties', 'encryption', 'entities', 'managedDisk'], since: '2022-04-01-preview', raiseTo: '2024-05-01' },
  { kind: KIND.workspace, path: ['properties', 'encryption', 'entities'], since: '2021-04-01-preview', raiseTo: '2024-05-01' },
  { kind: KIND.workspace, path: ['properties', 'computeMode'], since: '2025-10-01-preview', raiseTo: '2026-01-01' },
  // `logs[].categoryGroup` (allLogs) came with 2021-05-01-preview, still the newest version.
  { kind: KIND.diagnosticSetting, path: ['properties', 'logs'], since: '2021-05-01-preview', raiseTo: '2021-05-01-preview' },
  { kind: `${KIND.workspace}/providers/diagnosticSettings`, path: ['properties', 'logs'], since: '2021-05-01-preview', raiseTo: '2021-05-01-preview' },
];

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => k.toLowerCase() === path[i].toLowerCase());
}

/** Whether API version `a` is older than `b` (by date; a preview of a date is older than its release). */
export function olderThan(a: string, b: string): boolean {
  const x = parseApiVersion(a);
  const y = parseApiVersion(b);
  if (!x || !y) return false;
  if (x.date !== y.date) return x.date < y.date;
  return x.preview && !y.preview;
}

/** The apiVersion a set of intents needs on each ARM-schema resource it sets, when the current one is older. */
export function apiVersionRaises(intents: readonly FixIntent[]): { resource: Resource; apiVersion: string }[] {
  const out: { resource: Resource; apiVersion: string }[] = [];
  for (const intent of intents) {
    if (intent.op !== 'set' && intent.op !== 'setRef') continue;
    const r = intent.resource;
    if (r.schema !== 'arm' || !r.apiVersion) continue;
    for (const req of REQUIREMENTS) {
      if (req.kind.toLowerCase() !== r.kind.toLowerCase()) continue;
      if (!startsWith(intent.path, req.path) && !startsWith(req.path, intent.path)) continue;
      if (!olderThan(r.apiVersion, req.since)) continue;
      const known = out.find((x) => x.resource === r);
      if (!known) out.push({ resource: r, apiVersion: req.raiseTo });
      else if (olderThan(known.apiVersion, req.raiseTo)) known.apiVersion = req.raiseTo;
    }
  }
  return out;
}
