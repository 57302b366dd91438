// Hover text: the rule behind a finding, or the security posture of a resource under the cursor.
// Everything taken from user files is escaped; the markdown carries no command links.
import { KIND, type Resource } from '../model/types';
import { ruleMeta } from '../rules';
import { LINKS } from '../rules/links';
import type { AnalysisResult, Finding } from './types';

/** Escapes text for Markdown so that it renders literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

const CODE_LANGUAGE: Record<string, string> = { arm: 'json', bicep: 'bicep', terraform: 'terraform' };

// Checklist items no template shows (rules.md, last section). Links other than LINKS are unverified.
const OUTSIDE_TEMPLATE: { label: string; link: string }[] = [
  { label: 'Users and groups provisioned from Microsoft Entra ID (SCIM)', link: 'https://learn.microsoft.com/azure/databricks/admin/users-groups/scim/' },
  { label: 'Entra ID single sign-on and Conditional Access', link: 'https://learn.microsoft.com/azure/databricks/security/auth/conditional-access' },
  { label: 'Egress through a hub firewall (hub-and-spoke inspection)', link: LINKS.vnetInjection },
  { label: 'Scanned, hardened VM images for clusters', link: 'https://learn.microsoft.com/azure/databricks/security/privacy/enhanced-security-compliance' },
];

function findingHover(f: Finding, dialect: string): string {
  const meta = ruleMeta(f.ruleId);
  if (!meta) return escapeMarkdown(f.message);
  // The diagnostic's message is shown by the editor beside the hover; the hover adds the why and how.
  const parts = [`**${escapeMarkdown(meta.title)}** (\`${meta.id}\`, ${f.severity})`, meta.docs.why];
  const secure = meta.docs.secure[dialect as keyof typeof meta.docs.secure];
  if (secure) parts.push(`Secure setting:\n\n\`\`\`${CODE_LANGUAGE[dialect] ?? ''}\n${secure}\n\`\`\``);
  parts.push(`[Guidance on Microsoft Learn](${meta.helpUri})`);
  return parts.join('\n\n');
}

const STATE_LABEL = { passed: '✅ passed', failed: '❌ failed', unverified: '❔ not verifiable' } as const;

function postureHover(result: AnalysisResult, r: Resource): string | undefined {
  const entries = result.posture.filter((p) => p.resourceId === r.id);
  if (entries.length === 0) return undefined;
  const lines = [`**Brickguard posture of \`${escapeMarkdown(r.symbolicName)}\`** (${escapeMarkdown(r.kind)})`, ''];
  for (const e of entries) {
    const meta = ruleMeta(e.ruleId);
    const reason = e.reason ? ` — ${escapeMarkdown(e.reason)}` : '';
    lines.push(`- ${STATE_LABEL[e.state]}: [${escapeMarkdown(meta?.title ?? e.ruleId)}](${meta?.helpUri ?? ''})${reason}`);
  }
  if (r.kind === KIND.workspace) {
    lines.push('', 'To verify outside the template:');
    for (const o of OUTSIDE_TEMPLATE) lines.push(`- [${o.label}](${o.link})`);
    lines.push('', `[Private Link concepts](${LINKS.privateLinkConcepts})`);
  }
  return lines.join('\n');
}

/** Markdown for a hover at an offset of a file, or undefined when there is nothing to say. */
export function hoverMarkdown(result: AnalysisResult, file: string, offset: number): string | undefined {
  const here = result.findings.filter((f) => f.file === file && f.span.start <= offset && offset <= f.span.end);
  if (here.length > 0) {
    const dialect = result.unit.resources.find((r) => r.id === here[0].resourceId)?.dialect ?? result.unit.dialect;
    return here.map((f) => findingHover(f, dialect)).join('\n\n---\n\n');
  }
  const resource = result.unit.resources.find((r) => r.file === file && r.head.start <= offset && offset <= r.head.end);
  return resource ? postureHover(result, resource) : undefined;
}

