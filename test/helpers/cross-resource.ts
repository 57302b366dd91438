// The rules that judge a workspace by the resources around it (endpoints, diagnostic settings).
// Tests about something else turn them off, so a bare workspace is judged on its own properties.
import type { SeveritySetting } from '../../server/src/engine/types';

export const CROSS_RESOURCE_RULES = [
  'databricks-vnet-injection',
  'databricks-private-endpoint',
  'databricks-browser-auth-endpoint',
  'databricks-private-dns-zone',
  'databricks-diagnostic-logs',
] as const;

/** Severity settings that turn the cross-resource rules off (merged over `rules`). */
export function withoutCrossResource(rules: Record<string, SeveritySetting> = {}): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = { ...rules };
  for (const id of CROSS_RESOURCE_RULES) if (!(id in out)) out[id] = 'off';
  return out;
}
