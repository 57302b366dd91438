// databricks-hardcoded-secret: no literal credential (Databricks token, storage key, service
// principal secret, SAS token) written into a template, a variable default, a parameter file or an output.
//
// Provider blocks, variables, outputs and parameters are not resources of the model, so besides the
// cluster configuration that the model exposes, the rule scans the text of the unit's own files for
// credential-shaped literals: those patterns match only literal secrets, never references.
import { asString, getProp } from '../model/query';
import { placeOf } from '../model/origin';
import type { Dialect, ObjectValue, Resource, SourceFile, Span, Unit, Value } from '../model/types';
import type { Located } from '../text';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { clusterSpecs, databricksResources, isSecretReference } from './support/databricks-provider';
import { firstFitting, message } from './support/message';

interface Pattern {
  what: string;
  re: RegExp;
  /** A literal every match ends with, and how far before it a match starts: the regex runs only around it. */
  anchor?: string;
  before?: number;
}

/** Credential shapes; each matches a literal secret only (a reference or placeholder never has this shape). */
const PATTERNS: Pattern[] = [
  { what: 'a Databricks personal access token', re: /(?<![A-Za-z0-9])dapi[0-9a-f]{32}(?:-\d+)?(?![A-Za-z0-9])/g, anchor: 'dapi', before: 0 },
  // A storage account key: 64 bytes in base64 (88 characters ending in ==), alone in a string or after AccountKey=.
  // (The preceding character is matched, not looked behind; the search starts only where `==` occurs.)
  { what: 'a storage account key', re: /["'=]([A-Za-z0-9+/]{86}==)(?=["';\s]|$)/g, anchor: '==', before: 87 },
  // Entra ID client secrets: three characters, a digit, "Q~", then 31–34 characters.
  { what: 'a service principal client secret', re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g, anchor: 'Q~', before: 4 },
  { what: 'a SAS token', re: /(?<![A-Za-z0-9])sv=\d{4}-\d{2}-\d{2}&[^"'\s]*?sig=[A-Za-z0-9%+/=]{30,}/g, anchor: 'sv=', before: 0 },
];

/** spark_conf keys whose value is a storage credential. */
const CREDENTIAL_CONF_KEY = /^(?:spark\.hadoop\.)?fs\.azure\.(?:(account\.oauth2\.client\.secret)|(account\.key)\.|(sas)\.)/i;
/** Environment variable names that carry a credential. */
const CREDENTIAL_ENV_NAME = /(?:^|_)(?:CLIENT_SECRET|ACCOUNT_KEY|ACCESS_KEY|SAS_TOKEN|DATABRICKS_TOKEN|PASSWORD|SECRET)$/i;
/** Values that are clearly not a real credential. */
const PLACEHOLDER = /^\s*$|[<>]|\$\{|\{\{|x{4,}|\*{3,}|changeme|change-me|your[-_ ]|example|placeholder|replace|todo|dummy|fake|redacted|secret-here|^(?:none|null|true|false|n\/a)$/i;

export const rule: Rule = {
  meta: {
    id: 'databricks-hardcoded-secret',
    title: 'Credential written in a template',
    pass: 'No credentials written in the template',
    severity: 'error',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.storageCredentials,
    fixable: false,
    kinds: ['databricks_cluster', 'databricks_job'],
    docs: {
      why:
        'A token, key or secret written into a template is readable by everyone with access to the repository, its history, CI logs and the deployment history, and it cannot be rotated without a code change. ' +
        'Keep secrets in Azure Key Vault or a Databricks secret scope and reference them (`{{secrets/<scope>/<key>}}`, a secure parameter, a sensitive variable without a default); rotate any credential that was committed.',
      secure: {
        terraform: 'spark_conf = {\n  "fs.azure.account.oauth2.client.secret" = "{{secrets/${var.secret_scope}/sp-secret}}"\n}',
        bicep: '@secure()\nparam databricksToken string',
        arm: '"parameters": {\n  "databricksToken": { "type": "securestring" }\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    const reported = new Set<string>();
    if (ctx.unit.dialect === 'terraform') checkClusterConfig(ctx, reported);
    const own = new Set(ctx.unit.ownFiles);
    for (const file of ctx.unit.files) {
      if (own.has(file.path)) scanText(ctx, file, reported);
    }
  },
};

/** The Hadoop setting a Spark configuration key sets (`spark.hadoop.fs.x` and `fs.x` are the same). */
function sameSetting(key: string): string {
  const k = key.trim();
  return k.startsWith('spark.hadoop.') ? k.slice('spark.hadoop.'.length) : k;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function overlaps(reported: Set<string>, file: string, span: Span): boolean {
  for (let i = span.start; i < span.end; i++) if (reported.has(`${file}:${i}`)) return true;
  return false;
}

function markReported(reported: Set<string>, file: string, span: Span): void {
  for (let i = span.start; i < span.end; i++) reported.add(`${file}:${i}`);
}

/** Terraform cluster configuration: credential keys of spark_conf and spark_env_vars holding a literal. */
function checkClusterConfig(ctx: RuleContext, reported: Set<string>): void {
  const own = new Set(ctx.unit.ownFiles);
  for (const kind of ['databricks_cluster', 'databricks_job']) {
    for (const r of databricksResources(ctx, kind)) {
      for (const { spec } of clusterSpecs(r)) {
        for (const [attr, isCredential] of [['spark_conf', confCredential], ['spark_env_vars', envCredential]] as const) {
          const map = getProp(spec, attr, false)?.value;
          if (!map || map.kind !== 'object') continue;
          // `spark.hadoop.X` and `X` set the same Hadoop setting: one secret, one finding.
          const firstOf = new Map<string, Located>();
          for (const entry of (map as ObjectValue).props) {
            const what = isCredential(entry.key);
            if (!what || !isLiteralSecret(entry.value)) continue;
            const at = literalLocation(entry.value, own);
            if (!at || overlaps(reported, at.file, at.span)) continue;
            markReported(reported, at.file, at.span);
            const setting = `${sameSetting(entry.key)}=${asString(entry.value) ?? ''}`;
            const first = firstOf.get(setting);
            if (first) continue;
            firstOf.set(setting, at);
            const twins = (map as ObjectValue).props.filter((o) => o !== entry && `${sameSetting(o.key)}=${asString(o.value) ?? ''}` === setting && o.value.loc);
            ctx.report({
              resource: r,
              at,
              message: firstFitting(
                message(`${capitalise(what)} is a literal in ${attr}${whereFrom(ctx.unit, entry.value)}`, 'use {{secrets/<scope>/<key>}}; rotate it'),
                message(`${capitalise(what)} is a literal in ${attr}${whereFrom(ctx.unit, entry.value)}`, 'use a secret reference; rotate it'),
              ),
              related: twins.map((o) => ({ loc: o.value.loc!, message: `The same secret under '${o.key}'` })),
            });
          }
        }
      }
    }
  }
}

function confCredential(key: string): string | undefined {
  const m = CREDENTIAL_CONF_KEY.exec(key.trim());
  if (!m) return undefined;
  return m[1] ? 'a service principal secret' : m[2] ? 'a storage account key' : 'a SAS token';
}

function envCredential(name: string): string | undefined {
  return CREDENTIAL_ENV_NAME.test(name.trim()) ? 'a credential' : undefined;
}

/** A literal string that looks like a real secret: not a secret-scope reference, not a placeholder. */
function isLiteralSecret(v: Value): boolean {
  const s = asString(v);
  if (s === undefined || !v.origin) return false;
  if (isSecretReference(s) || PLACEHOLDER.test(s)) return false;
  if (/^(.)\1*$/.test(s)) return false; // one repeated character
  return s.trim().length >= 8;
}

/** Where the literal is written (the resource, a variable default or a .tfvars file), when it is one of the unit's own files. */
function literalLocation(v: Value, own: Set<string>): Located | undefined {
  if (v.origin && own.has(v.origin.at.file)) return v.origin.at;
  return v.loc && own.has(v.loc.file) ? v.loc : undefined;
}

function whereFrom(unit: Unit, v: Value): string {
  const o = v.origin;
  if (!o || o.kind === 'literal' || !o.name) return '';
  return o.kind === 'parameter-file' ? ` from ${placeOf(unit, o.at)}` : ` (default of \`${o.name}\`)`;
}

const stickyOf = new WeakMap<RegExp, RegExp>();

/**
 * The next match of `re` from its lastIndex. With an anchor (every match has it `before` characters
 * after its start), the regex is tried only at those starts.
 */
function nextMatch(re: RegExp, text: string, anchor?: string, before = 0): RegExpExecArray | null {
  if (!anchor) return re.exec(text);
  let sticky = stickyOf.get(re);
  if (!sticky) stickyOf.set(re, (sticky = new RegExp(re.source, 'y')));
  for (let at = text.indexOf(anchor, re.lastIndex + before); at >= 0; at = text.indexOf(anchor, at + 1)) {
    sticky.lastIndex = at - before;
    const m = sticky.exec(text);
    if (m) {
      re.lastIndex = m.index + m[0].length;
      return m;
    }
  }
  re.lastIndex = 0;
  return null;
}

/** Credential-shaped literals anywhere in a file's text: provider blocks, variables, outputs, parameters, properties. */
function scanText(ctx: RuleContext, file: SourceFile, reported: Set<string>): void {
  for (const { what, re, anchor, before } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = nextMatch(re, file.text, anchor, before); m; m = nextMatch(re, file.text, anchor, before)) {
      const found = m[1] ?? m[0]; // the credential itself, without a matched leading character
      const start = m.index + m[0].length - found.length;
      const span = { start, end: start + found.length };
      if (/^(.)\1*$/.test(found.replace(/^dapi/, ''))) continue; // dapi000…: an obvious placeholder
      if (overlaps(reported, file.path, span)) continue;
      markReported(reported, file.path, span);
      ctx.report({
        resource: enclosingResource(ctx, file, span),
        at: { file: file.path, span },
        message: message(`${capitalise(what)} is a literal here`, `${advice(ctx.unit.dialect)}; rotate it`),
      });
    }
  }
}

function advice(dialect: Dialect): string {
  if (dialect === 'terraform') {
    return 'move it to a secret scope or a sensitive variable';
  }
  return 'use a secure parameter or a Key Vault reference';
}

/**
 * The resource whose declaration contains the match, for suppression anchors; a literal outside any
 * resource (a provider block, a variable, an output, a parameter) gets a stand-in covering just itself.
 */
function enclosingResource(ctx: RuleContext, file: SourceFile, span: Span): Resource {
  const inside = ctx.unit.resources.filter((r) => r.file === file.path && r.span.start <= span.start && span.end <= r.span.end);
  inside.sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start));
  if (inside.length) return inside[0];
  return {
    id: `${file.path}#literal@${span.start}`,
    kind: 'literal',
    schema: ctx.unit.dialect === 'terraform' ? 'terraform' : 'arm',
    dialect: ctx.unit.dialect,
    symbolicName: 'literal',
    file: file.path,
    head: span,
    span,
    body: { kind: 'object', props: [] },
  };
}
