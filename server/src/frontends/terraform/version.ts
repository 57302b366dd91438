// The azurerm provider version of a module: from `.terraform.lock.hcl`, else from the
// `required_providers` constraints (rules.md, "Version-dependent defaults").
import type { Located, ProviderVersion, VersionTriple } from '../../model/types';
import { compareVersions } from '../../model/version';
import { labelText, literalValue, type Body, type ConfigFile, type Expr } from '../../syntax/hcl';
import type { Span } from '../../text';

type Triple = VersionTriple;

function parseVersion(s: string): { v: Triple; parts: number } | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(s);
  if (!m) return undefined;
  const parts = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

/** The version a lock file selected for a provider (`registry.terraform.io/hashicorp/azurerm`). */
export function versionFromLockFile(tree: ConfigFile, provider: string, path?: string): ProviderVersion | undefined {
  for (const item of tree.body.items) {
    if (item.kind !== 'Block' || item.type.text !== 'provider' || item.labels.length !== 1) continue;
    const address = labelText(item.labels[0]);
    if (address !== provider && !address.endsWith(`/${provider}`)) continue;
    for (const a of item.body.items) {
      if (a.kind === 'Attribute' && a.name.text === 'version') {
        const v = literalValue(a.expr);
        const p = typeof v === 'string' ? parseVersion(v) : undefined;
        if (!p) continue;
        const at = path !== undefined ? { file: path, span: a.expr.span } : undefined;
        return { ...withShared(p.v, { version: p.v, inclusive: true }), source: 'lock-file', text: v as string, ...(at ? { at } : {}) };
      }
    }
  }
  return undefined;
}

/** The bounds of a range plus the major, minor and patch that all its versions share. */
function withShared(lo: Triple, hi: { version: Triple; inclusive: boolean } | undefined): Pick<ProviderVersion, 'min' | 'max' | 'major' | 'minor' | 'patch'> {
  const out: Pick<ProviderVersion, 'min' | 'max' | 'major' | 'minor' | 'patch'> = { min: lo, ...(hi ? { max: hi } : {}) };
  if (!hi) return out;
  const upper = hi.version;
  const sameMajor = hi.inclusive ? upper[0] === lo[0] : compareVersions(upper, [lo[0] + 1, 0, 0]) <= 0;
  if (!sameMajor) return out;
  out.major = lo[0];
  const sameMinor = hi.inclusive ? upper[1] === lo[1] : compareVersions(upper, [lo[0], lo[1] + 1, 0]) <= 0;
  if (!sameMinor) return out;
  out.minor = lo[1];
  if (hi.inclusive && compareVersions(upper, lo) === 0) out.patch = lo[2];
  return out;
}

/**
 * The range of versions a constraint (`~> 3.90`, `>= 4.0, < 5.0`, `= 3.104.0`) allows; undefined
 * when a part cannot be read.
 */
export function versionFromConstraint(constraint: string): ProviderVersion | undefined {
  let lo: Triple = [0, 0, 0];
  let hi: { version: Triple; inclusive: boolean } | undefined;
  let bounded = false;
  const raiseLo = (v: Triple) => {
    bounded = true;
    if (compareVersions(v, lo) > 0) lo = v;
  };
  const lowerHi = (v: Triple, inclusive: boolean) => {
    bounded = true;
    if (!hi || compareVersions(v, hi.version) < 0 || (compareVersions(v, hi.version) === 0 && !inclusive)) hi = { version: v, inclusive };
  };
  for (const raw of constraint.split(',')) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(.+?)\s*$/.exec(raw);
    if (!m) continue;
    const op = m[1] ?? '=';
    const parsed = parseVersion(m[2]);
    if (!parsed) return undefined;
    const { v, parts } = parsed;
    switch (op) {
      case '=':
        raiseLo(v);
        lowerHi(v, true);
        break;
      case '>=':
        raiseLo(v);
        break;
      case '>':
        raiseLo([v[0], v[1], v[2] + 1]);
        break;
      case '<':
        lowerHi(v, false);
        break;
      case '<=':
        lowerHi(v, true);
        break;
      case '~>':
        raiseLo(v);
        if (parts === 3) lowerHi([v[0], v[1] + 1, 0], false);
        else if (parts === 2) lowerHi([v[0] + 1, 0, 0], false);
        break; // `~> 3` allows 3 and everything later
      default:
        break; // != excludes one version; it does not narrow the range
    }
  }
  if (!bounded) return undefined;
  return { ...withShared(lo, hi), source: 'constraint', text: constraint.trim() };
}

/** A constraint string and where it is written. */
export interface Constraint {
  text: string;
  at?: Located;
}

/** The constraints given for a provider in `terraform { required_providers { … } }` blocks. */
export function requiredProviderConstraints(files: readonly { tree: ConfigFile; path?: string }[], provider: string): Constraint[] {
  const out: Constraint[] = [];
  for (const { tree, path } of files) {
    for (const tf of tree.body.items) {
      if (tf.kind !== 'Block' || tf.type.text !== 'terraform') continue;
      for (const rp of tf.body.items) {
        if (rp.kind !== 'Block' || rp.type.text !== 'required_providers') continue;
        collectConstraints(rp.body, provider, out, path);
      }
    }
  }
  return out;
}

function collectConstraints(body: Body, provider: string, out: Constraint[], path: string | undefined): void {
  const push = (text: string, span: Span) => out.push(path !== undefined ? { text, at: { file: path, span } } : { text });
  for (const a of body.items) {
    if (a.kind !== 'Attribute') continue;
    const v = literalValue(a.expr);
    if (typeof v === 'string') {
      // Legacy form: `azurerm = "~> 3.0"`.
      if (a.name.text === provider) push(v, a.expr.span);
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      // The object may hold non-literal entries; read its version entry directly.
      if (a.expr.kind !== 'Object') continue;
      let source: string | undefined;
      let version: string | undefined;
      let versionSpan: Span | undefined;
      for (const item of a.expr.items) {
        const key = item.key.kind === 'Variable' ? item.key.name.text : undefined;
        const val = literalValue(item.value);
        if (key === 'source' && typeof val === 'string') source = val;
        if (key === 'version' && typeof val === 'string') {
          version = val;
          versionSpan = item.value.span;
        }
      }
      if (version && versionSpan && isProvider(a.name.text, source, provider)) push(version, versionSpan);
      continue;
    }
    const source = typeof v.source === 'string' ? v.source : undefined;
    if (typeof v.version === 'string' && isProvider(a.name.text, source, provider)) push(v.version, versionSpanOf(a.expr) ?? a.expr.span);
  }
}

function isProvider(localName: string, source: string | undefined, provider: string): boolean {
  if (source) return source === provider || source.endsWith(`/${provider}`);
  return localName === provider;
}

/** The `version = "…"` value inside a provider requirement object. */
function versionSpanOf(expr: Expr): Span | undefined {
  if (expr.kind !== 'Object') return undefined;
  for (const item of expr.items) {
    if (item.key.kind === 'Variable' && item.key.name.text === 'version') return item.value.span;
  }
  return undefined;
}

/** Combines constraints (all must hold); the first one's place is where the version was read. */
export function versionFromConstraints(constraints: readonly Constraint[]): ProviderVersion | undefined {
  if (constraints.length === 0) return undefined;
  const v = versionFromConstraint(constraints.map((c) => c.text).join(','));
  if (!v) return undefined;
  const at = constraints[0].at;
  return { ...v, text: [...new Set(constraints.map((c) => c.text.trim()))].join(', '), ...(at ? { at } : {}) };
}
