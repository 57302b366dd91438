// The azurerm provider version of a module: from `.terraform.lock.hcl`, else from the
// `required_providers` constraints (rules.md, "Version-dependent defaults").
import type { ProviderVersion } from '../../model/types';
import { labelText, literalValue, type Body, type ConfigFile } from '../../syntax/hcl';

type Triple = [number, number, number];

function parseVersion(s: string): { v: Triple; parts: number } | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(s);
  if (!m) return undefined;
  const parts = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

function cmp(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The version a lock file selected for a provider (`registry.terraform.io/hashicorp/azurerm`). */
export function versionFromLockFile(tree: ConfigFile, provider: string): ProviderVersion | undefined {
  for (const item of tree.body.items) {
    if (item.kind !== 'Block' || item.type.text !== 'provider' || item.labels.length !== 1) continue;
    const address = labelText(item.labels[0]);
    if (address !== provider && !address.endsWith(`/${provider}`)) continue;
    for (const a of item.body.items) {
      if (a.kind === 'Attribute' && a.name.text === 'version') {
        const v = literalValue(a.expr);
        const p = typeof v === 'string' ? parseVersion(v) : undefined;
        if (p) return { major: p.v[0], minor: p.v[1], patch: p.v[2], source: 'lock-file' };
      }
    }
  }
  return undefined;
}

/**
 * What a version constraint (`~> 3.90`, `>= 4.0, < 5.0`, `= 3.104.0`) guarantees: the major when
 * every allowed version shares it, the minor when every allowed version shares that too.
 */
export function versionFromConstraint(constraint: string): ProviderVersion | undefined {
  let lo: Triple | undefined;
  let hi: { v: Triple; inclusive: boolean } | undefined;
  const raiseLo = (v: Triple) => {
    if (!lo || cmp(v, lo) > 0) lo = v;
  };
  const lowerHi = (v: Triple, inclusive: boolean) => {
    if (!hi || cmp(v, hi.v) < 0 || (cmp(v, hi.v) === 0 && !inclusive)) hi = { v, inclusive };
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
        else lowerHi([v[0] + 1, 0, 0], false);
        break;
      default:
        break; // != excludes one version; it does not narrow the range
    }
  }
  if (!lo || !hi) return undefined;
  const upper = hi.v;
  const sameMajor = hi.inclusive ? upper[0] === lo[0] : cmp(upper, [lo[0] + 1, 0, 0]) <= 0;
  if (!sameMajor) return undefined;
  const sameMinor = hi.inclusive ? upper[0] === lo[0] && upper[1] === lo[1] : cmp(upper, [lo[0], lo[1] + 1, 0]) <= 0;
  if (!sameMinor) return { major: lo[0], source: 'constraint' };
  const exact = hi.inclusive && cmp(upper, lo) === 0;
  return exact ? { major: lo[0], minor: lo[1], patch: lo[2], source: 'constraint' } : { major: lo[0], minor: lo[1], source: 'constraint' };
}

/** The constraint strings given for a provider in `terraform { required_providers { … } }` blocks. */
export function requiredProviderConstraints(trees: readonly ConfigFile[], provider: string): string[] {
  const out: string[] = [];
  for (const tree of trees) {
    for (const tf of tree.body.items) {
      if (tf.kind !== 'Block' || tf.type.text !== 'terraform') continue;
      for (const rp of tf.body.items) {
        if (rp.kind !== 'Block' || rp.type.text !== 'required_providers') continue;
        collectConstraints(rp.body, provider, out);
      }
    }
  }
  return out;
}

function collectConstraints(body: Body, provider: string, out: string[]): void {
  for (const a of body.items) {
    if (a.kind !== 'Attribute') continue;
    const v = literalValue(a.expr);
    if (typeof v === 'string') {
      // Legacy form: `azurerm = "~> 3.0"`.
      if (a.name.text === provider) out.push(v);
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      // The object may hold non-literal entries; read its version entry directly.
      if (a.expr.kind !== 'Object') continue;
      let source: string | undefined;
      let version: string | undefined;
      for (const item of a.expr.items) {
        const key = item.key.kind === 'Variable' ? item.key.name.text : undefined;
        const val = literalValue(item.value);
        if (key === 'source' && typeof val === 'string') source = val;
        if (key === 'version' && typeof val === 'string') version = val;
      }
      if (version && isProvider(a.name.text, source, provider)) out.push(version);
      continue;
    }
    const source = typeof v.source === 'string' ? v.source : undefined;
    if (typeof v.version === 'string' && isProvider(a.name.text, source, provider)) out.push(v.version);
  }
}

function isProvider(localName: string, source: string | undefined, provider: string): boolean {
  if (source) return source === provider || source.endsWith(`/${provider}`);
  return localName === provider;
}

/** Combines constraints (all must hold). */
export function versionFromConstraints(constraints: readonly string[]): ProviderVersion | undefined {
  if (constraints.length === 0) return undefined;
  return versionFromConstraint(constraints.join(','));
}
