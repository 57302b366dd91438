// Hover text: the rule behind a finding, or the security posture of a resource under the cursor.
// User text outside code spans is escaped, code spans are built so that nothing needs escaping,
// and the markdown carries no command links.
import { pathToFileURL } from 'node:url';
import { lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { azurePolicies, policyMarkdown, ruleMeta } from '../rules';
import { LINKS } from '../rules/links';
import type { Span } from '../text';
import type { AnalysisResult, Finding, PostureEntry } from './types';

/** Escapes text for Markdown so that it renders literally (outside code spans only). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/** A Markdown code span showing `text` literally: fenced by more backticks than it contains, never escaped. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space between it and the fence.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Options of the hover renderer that depend on where it runs. */
export interface HoverOptions {
  /** The link to a rule's page (`docs/rules/<id>.md`), when one can be offered. */
  rulePage?: (ruleId: string) => string | undefined;
}

const CODE_LANGUAGE: Record<string, string> = { arm: 'json', bicep: 'bicep', terraform: 'terraform' };
const DIALECT_NAME: Record<string, string> = { arm: 'ARM', bicep: 'Bicep', terraform: 'Terraform' };

// Checklist items no template shows (rules.md, last section). Links other than LINKS are unverified.
const OUTSIDE_TEMPLATE: { label: string; link: string }[] = [
  { label: 'SCIM provisioning', link: 'https://learn.microsoft.com/azure/databricks/admin/users-groups/scim/' },
  { label: 'Entra ID sign-on and Conditional Access', link: 'https://learn.microsoft.com/azure/databricks/security/auth/conditional-access' },
  { label: 'egress through a hub firewall', link: LINKS.vnetInjection },
  { label: 'hardened cluster images', link: 'https://learn.microsoft.com/azure/databricks/security/privacy/enhanced-security-compliance' },
];

/** The first sentence of a rule's explanation: the why, in one line. */
function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(text);
  return (m ? m[0] : text).trim();
}

/** A fence longer than any backtick run in the code. */
function codeBlock(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}

function linksLine(ruleId: string, helpUri: string, options: HoverOptions, see: { title: string; url: string }[] = []): string {
  const links = [`[Guidance](${helpUri})`, ...see.map((l) => `[${l.title}](${l.url})`)];
  const page = options.rulePage?.(ruleId);
  if (page) links.push(`[More](${page})`);
  return links.join(' · ');
}

/** A finding, compactly: what and why in one line, the secure setting in the file's dialect, the links. */
function findingHover(f: Finding, dialect: string, options: HoverOptions): string {
  const meta = ruleMeta(f.ruleId);
  if (!meta) return escapeMarkdown(f.message);
  // meta.title and docs.why are Brickguard's own Markdown; nothing in them comes from the user.
  const parts = [`**${meta.title}.** ${firstSentence(meta.docs.why)}`];
  const secure = meta.docs.secure[dialect as keyof typeof meta.docs.secure];
  if (secure) parts.push(`Secure setting in ${DIALECT_NAME[dialect] ?? dialect}:\n${codeBlock(secure, CODE_LANGUAGE[dialect] ?? '')}`);
  parts.push([linksLine(meta.id, meta.helpUri, options, meta.docs.see), ...azurePolicies(meta.id).map(policyMarkdown)].join(' · '));
  return parts.join('\n\n');
}

/** How a resource stands against each rule that covers it. */
export interface Posture {
  resource: Resource;
  entries: PostureEntry[];
  passed: number;
  /** Rules that apply (all but the not-applicable ones). */
  applicable: number;
  unverified: number;
}

export function postureOf(result: AnalysisResult, r: Resource): Posture | undefined {
  return postureFrom(r, result.posture.filter((p) => p.resourceId === r.id));
}

/** The posture of each resource that rules judged, by resource id (one pass over the entries). */
export function posturesOf(result: AnalysisResult): Map<string, Posture> {
  const byId = new Map<string, PostureEntry[]>();
  for (const p of result.posture) {
    const list = byId.get(p.resourceId);
    if (list) list.push(p);
    else byId.set(p.resourceId, [p]);
  }
  const out = new Map<string, Posture>();
  for (const r of result.unit.resources) {
    const posture = postureFrom(r, byId.get(r.id) ?? []);
    if (posture) out.set(r.id, posture);
  }
  return out;
}

function postureFrom(r: Resource, entries: PostureEntry[]): Posture | undefined {
  if (entries.length === 0) return undefined;
  const count = (state: PostureEntry['state']) => entries.filter((e) => e.state === state).length;
  return { resource: r, entries, passed: count('passed'), applicable: entries.length - count('notApplicable'), unverified: count('unverified') };
}

/** "5 of 9 checks pass", with what could not be verified. */
export function postureSummary(p: Posture): string {
  const base = `${p.passed} of ${p.applicable} ${p.applicable === 1 ? 'check passes' : 'checks pass'}`;
  return p.unverified > 0 ? `${base}, ${p.unverified} not verifiable` : base;
}

const ORDER: PostureEntry['state'][] = ['failed', 'unverified', 'passed', 'notApplicable'];

/** "by `databricks_workspace_conf.this` (`main.tf`, line 12)", the place a link that opens it. */
function satisfiers(result: AnalysisResult, e: PostureEntry): string {
  if (!e.by || e.by.length === 0) return '';
  const where = e.by.map(({ name, loc }) => {
    const text = result.files.find((f) => f.path === loc.file)?.text;
    const line = text === undefined ? undefined : text.slice(0, loc.span.start).split('\n').length;
    const file = loc.file.split(/[\\/]/).pop() ?? loc.file;
    const place = `${codeSpan(file)}${line === undefined ? '' : `, line ${line}`}`;
    return `${codeSpan(name)} ([${place}](<${pathToFileURL(loc.file).href}${line === undefined ? '' : `#L${line}`}>))`;
  });
  return `, by ${where.join(' and ')}`;
}

function postureLine(result: AnalysisResult, e: PostureEntry): string {
  const meta = ruleMeta(e.ruleId);
  const reason = e.reason ? ` (${escapeMarkdown(e.reason)})` : '';
  switch (e.state) {
    case 'failed':
      return `- ✗ ${meta ? `[${meta.title}](${meta.helpUri})` : codeSpan(e.ruleId)}`;
    case 'passed':
      return `- ✓ ${meta?.pass ?? codeSpan(e.ruleId)}${satisfiers(result, e)}`;
    case 'unverified':
      return `- ? Not verifiable: ${meta?.pass ?? codeSpan(e.ruleId)}${reason}`;
    case 'notApplicable':
      return inapplicableLine(e.reason, [e]);
  }
}

/** Rules that do not apply for one reason, on one line: the reason first, said once. */
function inapplicableLine(reason: string | undefined, entries: readonly PostureEntry[]): string {
  const what = entries.map((e) => ruleMeta(e.ruleId)?.pass ?? codeSpan(e.ruleId)).join('; ');
  return `- – Not applicable${reason ? ` (${escapeMarkdown(reason)})` : ''}: ${what}`;
}

function postureHover(result: AnalysisResult, p: Posture): string {
  const r = p.resource;
  const lines = [`**Brickguard posture of ${codeSpan(r.symbolicName)}**: ${postureSummary(p)}`, ''];
  const sorted = [...p.entries].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  // Rules that do not apply for the same reason share a line (on Standard, four encryption rules).
  const inapplicable = new Map<string, PostureEntry[]>();
  for (const e of sorted) {
    if (e.state !== 'notApplicable') lines.push(postureLine(result, e));
    else inapplicable.set(e.reason ?? '', [...(inapplicable.get(e.reason ?? '') ?? []), e]);
  }
  for (const [reason, entries] of inapplicable) lines.push(inapplicableLine(reason, entries));
  if (r.kind === KIND.workspace) {
    const outside = OUTSIDE_TEMPLATE.map((o) => `[${o.label}](${o.link})`).join(', ');
    lines.push('', `Verify outside the template: ${outside}. [Private Link concepts](${LINKS.privateLinkConcepts})`);
  }
  return lines.join('\n');
}

/** Where hovering shows a resource's posture: its declaration head line (keyword, name, type or labels), and an ARM `name`. */
export function postureAnchors(result: AnalysisResult, r: Resource): Span[] {
  const text = result.files.find((f) => f.path === r.file)?.text;
  const lineStart = text === undefined ? r.head.start : text.lastIndexOf('\n', Math.max(0, r.head.start - 1)) + 1;
  const anchors: Span[] = [{ start: Math.max(lineStart, r.span.start), end: r.head.end }];
  if (r.schema === 'arm') {
    const name = lookup(r, ['name']);
    const loc = name.state === 'set' ? name.value.loc : undefined;
    // Only the value written in the resource itself (not a parameter default it evaluates to).
    if (loc && loc.file === r.file && r.span.start <= loc.span.start && loc.span.end <= r.span.end) anchors.push(loc.span);
  }
  return anchors;
}

/** The resource whose posture a hover at this offset shows, if any. */
export function postureAt(result: AnalysisResult, file: string, offset: number): Posture | undefined {
  for (const r of result.unit.resources) {
    if (r.file !== file || r.existing || offset < r.span.start || offset > r.span.end) continue;
    if (!postureAnchors(result, r).some((a) => a.start <= offset && offset <= a.end)) continue;
    const p = postureOf(result, r);
    if (p) return p;
  }
  return undefined;
}

/** Markdown for a hover at an offset of a file, or undefined when there is nothing to say. */
export function hoverMarkdown(result: AnalysisResult, file: string, offset: number, options: HoverOptions = {}): string | undefined {
  const parts: string[] = [];
  const here = result.findings.filter((f) => f.file === file && f.span.start <= offset && offset <= f.span.end);
  for (const f of here) {
    const dialect = result.unit.resources.find((r) => r.id === f.resourceId)?.dialect ?? result.unit.dialect;
    parts.push(findingHover(f, dialect, options));
  }
  const posture = postureAt(result, file, offset);
  if (posture) parts.push(postureHover(result, posture));
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}
