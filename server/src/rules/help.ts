// A rule's help, rendered from its metadata and cross-references: SARIF `help` and the rule pages.
import type { Dialect } from '../model/types';
import { azurePolicies, cweIds, policyMarkdown, policyPortalUri, policyText } from './crossrefs';
import type { RuleMeta } from './types';

export const DIALECT_LABEL: Record<Dialect, string> = { arm: 'ARM JSON', bicep: 'Bicep', terraform: 'Terraform' };
const FENCE: Record<Dialect, string> = { arm: 'json', bicep: 'bicep', terraform: 'terraform' };
const DIALECTS: readonly Dialect[] = ['bicep', 'arm', 'terraform'];

/** The secure setting in each dialect that has one, in a stable order. */
export function secureSettings(meta: RuleMeta): { dialect: Dialect; code: string }[] {
  return DIALECTS.filter((d) => meta.docs.secure[d]).map((d) => ({ dialect: d, code: meta.docs.secure[d] ?? '' }));
}

/** `help.text` of a SARIF rule: plain text. */
export function helpText(meta: RuleMeta): string {
  const parts = [meta.title, meta.docs.why];
  for (const s of secureSettings(meta)) parts.push(`Secure setting (${DIALECT_LABEL[s.dialect]}):\n${s.code}`);
  parts.push(`Guidance: ${meta.helpUri}`);
  for (const p of azurePolicies(meta.id)) parts.push(policyText(p));
  return parts.join('\n\n');
}

/** Markdown body shared by SARIF `help.markdown` and the rule page; `heading` is the level of its headings. */
export function helpMarkdown(meta: RuleMeta, heading = '###'): string {
  const parts = [meta.docs.why];
  const secure = secureSettings(meta);
  if (secure.length > 0) {
    parts.push(`${heading} Secure setting`);
    for (const s of secure) parts.push(`${DIALECT_LABEL[s.dialect]}:\n\n\`\`\`${FENCE[s.dialect]}\n${s.code}\n\`\`\``);
  }
  parts.push(`${heading} Guidance`, [`[Microsoft Learn](${meta.helpUri})`, ...(meta.docs.see ?? []).map((l) => `[${l.title}](${l.url})`)].join(' · '));
  const policies = azurePolicies(meta.id);
  if (policies.length > 0) {
    parts.push(`${heading} Azure Policy`);
    parts.push(policies.map((p) => `- ${policyMarkdown(p)} — definition [\`${p.id}\`](${policyPortalUri(p)})`).join('\n'));
  }
  const cwes = cweIds(meta.id);
  if (cwes.length > 0) parts.push(`Weakness: ${cwes.map((n) => `[CWE-${n}](https://cwe.mitre.org/data/definitions/${n}.html)`).join(', ')}`);
  return parts.join('\n\n');
}
