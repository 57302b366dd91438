// Deployments as trees: a template that another analysed template calls as a module (Bicep
// `module`, Terraform local `module`) is judged inside each caller's deployment, with the caller's
// values, and not also on its own with its defaults. A file nobody calls is a root and is judged
// alone. The CLI and the language server share this policy.
import { basename, dirname, resolve } from 'node:path';
import type { Located, Unit } from '../model/types';
import type { FileHost } from '../frontends/types';
import { FRONT_ENDS } from '../frontends';
import type { AnalysisResult, Finding } from './types';

/** Template files a unit reads besides its own (called modules), not parameter files. */
export function calledFiles(unit: Unit): string[] {
  const own = new Set(unit.ownFiles.map((p) => resolve(p)));
  return unit.files
    .filter((f) => (f.dialect === 'bicep' || f.dialect === 'terraform' || f.dialect === 'arm') && !own.has(resolve(f.path)))
    .map((f) => resolve(f.path));
}

/** Who calls whom among analysed units: the files each root file's deployment reaches. */
export class DeploymentIndex {
  /** Called file → the files whose units call it. */
  private readonly callers = new Map<string, Set<string>>();
  /** Analysed file → the files its unit calls. */
  private readonly calls = new Map<string, string[]>();

  /** Records the unit analysed for `file` (replacing what was known of it). */
  record(file: string, unit: Unit): void {
    this.recordCalls(file, calledFiles(unit));
  }

  /** Records the files `file`'s unit calls (replacing what was known of it). */
  recordCalls(file: string, files: string[]): void {
    const from = resolve(file);
    for (const called of this.calls.get(from) ?? []) this.callers.get(called)?.delete(from);
    // Sorted: the same calls found by loading the unit or by following its module declarations compare equal.
    const called = [...new Set(files)].sort();
    this.calls.set(from, called);
    for (const c of called) {
      let set = this.callers.get(c);
      if (!set) this.callers.set(c, (set = new Set()));
      set.add(from);
    }
  }

  /** Every file's calls, to rebuild the index elsewhere (a worker thread). */
  entries(): [string, string[]][] {
    return [...this.calls];
  }

  static fromEntries(entries: [string, string[]][]): DeploymentIndex {
    const index = new DeploymentIndex();
    for (const [file, called] of entries) index.recordCalls(file, called);
    return index;
  }

  /** The files `file`'s unit calls, as last recorded. */
  callsOf(file: string): string[] {
    return [...(this.calls.get(resolve(file)) ?? [])];
  }

  /** Forgets a file that is gone. */
  forget(file: string): void {
    const from = resolve(file);
    for (const called of this.calls.get(from) ?? []) this.callers.get(called)?.delete(from);
    this.calls.delete(from);
  }

  /**
   * The root files whose deployments include `file` (nearest callers that nobody calls, followed
   * up the tree); empty when the file is itself a root. A caller that `file` also reaches (a
   * cycle) does not make it a module.
   */
  rootsOf(file: string): string[] {
    const start = resolve(file);
    const roots = new Set<string>();
    const seen = new Set<string>([start]);
    const reachedFromStart = new Set(this.calls.get(start) ?? []);
    const visit = (f: string): void => {
      const callers = [...(this.callers.get(f) ?? [])].filter((c) => !seen.has(c) && !reachedFromStart.has(c));
      if (callers.length === 0) {
        if (f !== start) roots.add(f);
        return;
      }
      for (const c of callers) {
        seen.add(c);
        visit(c);
      }
    };
    visit(start);
    return [...roots].sort();
  }

  /** Whether the file is judged inside other deployments rather than alone. */
  isCalled(file: string): boolean {
    return this.rootsOf(file).length > 0;
  }
}

/**
 * Whether a template's text may call another template file: a cheap test before loading its unit
 * (Bicep `module`, ARM `relativePath`, Terraform `module` blocks).
 */
export function mayCallModules(path: string, text: string): boolean {
  if (/\.bicep$/i.test(path)) return /^\s*module\s/m.test(text);
  if (/\.tf$/i.test(path)) return /^\s*module\s+"/m.test(text);
  if (/\.jsonc?$/i.test(path)) return /"relativePath"\s*:/.test(text);
  return false;
}

/**
 * Records in `index` which files `path` calls, loading its unit without running the rules, or
 * forgets it when it calls none. Returns the called files before and after, so a caller can tell
 * which modules' deployments changed.
 */
export function discoverCalls(index: DeploymentIndex, path: string, host: FileHost): { before: string[]; after: string[] } {
  const before = index.callsOf(path);
  const text = host.readFile(path);
  const frontEnd = text === undefined ? undefined : FRONT_ENDS.find((f) => f.accepts(path, text));
  if (text === undefined || !frontEnd || !mayCallModules(path, text)) {
    index.forget(path);
    return { before, after: [] };
  }
  try {
    index.recordCalls(path, frontEnd.calledFiles ? frontEnd.calledFiles(path, host) : calledFiles(frontEnd.loadUnit(path, host)));
  } catch {
    index.forget(path);
  }
  return { before, after: index.callsOf(path) };
}

/** Where a root calls the module a resource comes from: its `module` declaration, else the root file's start. */
function callSite(result: AnalysisResult, moduleName: string | undefined): Located {
  const file = result.unit.files.find((f) => resolve(f.path) === resolve(result.path));
  const at: Located = { file: result.path, span: { start: 0, end: 0 } };
  if (!file || !moduleName) return at;
  const escaped = moduleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^\\s*module\\s+("?)(${escaped})\\1[\\s{]`, 'm').exec(file.text);
  if (!m) return at;
  const start = m.index + m[0].indexOf(m[2]);
  return { file: result.path, span: { start, end: start + m[2].length } };
}

/**
 * Findings a root reports in the modules it calls say in which deployment they were judged:
 * related information at the root's module declaration.
 */
export function markJudgedIn(result: AnalysisResult): void {
  const own = new Set(result.unit.ownFiles.map((p) => resolve(p)));
  const name = `${basename(dirname(result.path))}/${basename(result.path)}`;
  for (const f of result.findings) {
    if (own.has(resolve(f.file))) continue;
    const resource = result.unit.resources.find((r) => r.id === f.resourceId);
    const loc = callSite(result, resource?.viaModule?.[0]);
    f.related.push({ loc, message: `Judged in the deployment of ${name}` });
  }
}

/** Adds to `kept` the related places of `other`, the same finding from another deployment. */
export function mergeRelated(kept: Finding, other: Finding): void {
  for (const r of other.related) {
    if (kept.related.some((k) => k.loc.file === r.loc.file && k.loc.span.start === r.loc.span.start && k.message === r.message)) continue;
    kept.related.push(r);
  }
}

/** Same finding (place, rule, message) reported by several deployments. */
function findingKey(f: Finding): string {
  return `${resolve(f.file)}\0${f.span.start}\0${f.span.end}\0${f.ruleId}\0${f.message}`;
}

/**
 * The result for a called file: its findings as its roots' deployments judge it (each root
 * analysed with `reportCalled`), on the first root's result so that fixes, hovers and fix-all
 * re-analyse the deployment, not the file alone.
 */
export function judgedByRoots(path: string, rootResults: readonly AnalysisResult[]): AnalysisResult | undefined {
  const [first] = rootResults;
  if (!first) return undefined;
  const file = resolve(path);
  const seen = new Map<string, Finding>();
  const mine: Finding[] = [];
  for (const r of rootResults) {
    for (const f of r.findings) {
      if (resolve(f.file) !== file) continue;
      const key = findingKey(f);
      const same = seen.get(key);
      if (same) {
        mergeRelated(same, f);
        continue;
      }
      seen.set(key, f);
      mine.push(f);
    }
  }
  return { ...first, findings: [...first.findings.filter((f) => resolve(f.file) !== file), ...mine] };
}
