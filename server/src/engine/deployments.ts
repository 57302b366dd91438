// Deployments as trees: a template that another analysed template calls as a module (Bicep
// `module`, Terraform local `module`) is judged inside each caller's deployment, with the caller's
// values, and not also on its own with its defaults. A file nobody calls is a root and is judged
// alone. The CLI and the language server share this policy.
import { basename, dirname } from 'node:path';
import { resolvePath } from '../paths';
import type { Located, Resource, SourceFile, Unit } from '../model/types';
import { lineIndexOf } from '../text';
import { UNUSED_SUPPRESSION } from '../rules/directives';
import { findDirectives, suppressFix, type Directive } from './directives';
import type { FileHost } from '../frontends/types';
import { FRONT_ENDS, frontEndOfDialect } from '../frontends';
import type { AnalysisResult, Finding, ResolvedFix } from './types';

/** calledFiles per unit: the CLI, the rules and the caller judgement each ask for it. */
const calledByUnit = new WeakMap<Unit, readonly string[]>();

/** Template files a unit reads besides its own (called modules), not parameter files. */
export function calledFiles(unit: Unit): readonly string[] {
  let called = calledByUnit.get(unit);
  if (!called) {
    const own = new Set(unit.ownFiles.map((p) => resolvePath(p)));
    called = unit.files
      .filter((f) => (f.dialect === 'bicep' || f.dialect === 'terraform' || f.dialect === 'arm') && !own.has(resolvePath(f.path)))
      .map((f) => resolvePath(f.path));
    calledByUnit.set(unit, called);
  }
  return called;
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
  recordCalls(file: string, files: readonly string[]): void {
    const from = resolvePath(file);
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
    return [...(this.calls.get(resolvePath(file)) ?? [])];
  }

  /** Forgets a file that is gone. */
  forget(file: string): void {
    const from = resolvePath(file);
    for (const called of this.calls.get(from) ?? []) this.callers.get(called)?.delete(from);
    this.calls.delete(from);
  }

  /**
   * The root files whose deployments include `file` (nearest callers that nobody calls, followed
   * up the tree); empty when the file is itself a root. A caller that `file` also reaches (a
   * cycle) does not make it a module.
   */
  rootsOf(file: string): string[] {
    const start = resolvePath(file);
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

/**
 * Where a root calls the module a resource comes from: its `module` declaration (in any of its own
 * files), the ARM deployment resource of that name, else the root file's start.
 */
export function callSite(result: AnalysisResult, moduleName: string | undefined): Located {
  const at: Located = { file: result.path, span: { start: 0, end: 0 } };
  if (!moduleName) return at;
  const own = new Set(result.unit.ownFiles.map((p) => resolvePath(p)));
  const deployment = result.unit.resources.find(
    (r) => !r.viaModule && r.kind.toLowerCase() === 'microsoft.resources/deployments' && r.symbolicName === moduleName && own.has(resolvePath(r.file)),
  );
  if (deployment) return { file: deployment.file, span: deployment.head };
  const escaped = moduleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*module\\s+("?)(${escaped})\\1[\\s{]`, 'm');
  // The analysed file first, then the other files of its unit (a Terraform folder).
  const files = result.unit.files
    .filter((f) => own.has(resolvePath(f.path)) && (f.dialect === 'bicep' || f.dialect === 'terraform'))
    .sort((a, b) => Number(resolvePath(b.path) === resolvePath(result.path)) - Number(resolvePath(a.path) === resolvePath(result.path)));
  for (const file of files) {
    const m = re.exec(file.text);
    if (!m) continue;
    const start = m.index + m[0].indexOf(m[2]);
    return { file: file.path, span: { start, end: start + m[2].length } };
  }
  return at;
}

/**
 * Findings a root reports in the modules it calls say in which deployment they were judged:
 * related information at the root's module declaration.
 */
export function markJudgedIn(result: AnalysisResult): void {
  const own = new Set(result.unit.ownFiles.map((p) => resolvePath(p)));
  const name = `${basename(dirname(result.path))}/${basename(result.path)}`;
  const byId = new Map(result.unit.resources.map((r) => [r.id, r]));
  const site = callSites(result);
  for (const f of result.findings) {
    if (own.has(resolvePath(f.file))) continue;
    const resource = f.resourceId === undefined ? undefined : byId.get(f.resourceId);
    f.related.push({ loc: site(resource?.viaModule?.[0]), message: `Judged in the deployment of ${name}` });
  }
}

/** `callSite` of one root, each module name looked up once. */
function callSites(result: AnalysisResult): (moduleName: string | undefined) => Located {
  const known = new Map<string | undefined, Located>();
  return (moduleName) => {
    let at = known.get(moduleName);
    if (!at) known.set(moduleName, (at = callSite(result, moduleName)));
    return at;
  };
}

/** Adds to `kept` the related places of `other`, the same finding from another deployment. */
function mergeRelated(kept: Finding, other: Finding): void {
  for (const r of other.related) {
    if (kept.related.some((k) => k.loc.file === r.loc.file && k.loc.span.start === r.loc.span.start && k.message === r.message)) continue;
    kept.related.push(r);
  }
}

/** Same finding (place, rule, message) reported by several deployments. */
function findingKey(f: Finding): string {
  return `${resolvePath(f.file)}\0${f.span.start}\0${f.span.end}\0${f.ruleId}\0${f.message}`;
}

/**
 * One finding per place, rule and message, in order, from findings several deployments reported:
 * the first kept, with the others' related information merged into it ("judged in both").
 */
export function oneFindingPerPlace(findings: Iterable<Finding>): Finding[] {
  const seen = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = findingKey(f);
    const same = seen.get(key);
    if (same) {
      mergeRelated(same, f);
      continue;
    }
    seen.set(key, f);
    out.push(f);
  }
  return out;
}

/**
 * The result for a called file: its findings as its roots' deployments judge it (each root
 * analysed with `reportCalled`), on the first root's result so that fixes, hovers and fix-all
 * re-analyse the deployment, not the file alone.
 */
export function judgedByRoots(path: string, rootResults: readonly AnalysisResult[]): AnalysisResult | undefined {
  const [first] = rootResults;
  if (!first) return undefined;
  const file = resolvePath(path);
  const mine = oneFindingPerPlace(rootResults.flatMap((r) => r.findings.filter((f) => resolvePath(f.file) === file)));
  return { ...first, findings: [...first.findings.filter((f) => resolvePath(f.file) !== file), ...mine] };
}

/** A resource of a called file as every deployment that includes it names it: file, kind, name. */
function moduleResourceKey(r: Resource): string {
  return `${resolvePath(r.file)}#${r.kind.toLowerCase()}#${r.symbolicName}`;
}

/**
 * What one root's deployment says about the resources of the files it calls, as plain data (a
 * scan's worker threads send it back): per resource instance and rule, whether it fails and where
 * its findings stand in the module; and where each finding in a module would go if its callers
 * disagreed (`moves`, by index in the result's findings).
 */
export interface CallerJudgement {
  /** `[resource\0rule, fails, places of its findings in the module]`, one per resource instance and rule judged. */
  verdicts: [string, boolean, string[]][];
  moves: CallerMove[];
}

export interface CallerMove {
  /** Index of the finding in the result's findings. */
  index: number;
  /** `resource\0rule`. */
  key: string;
  /** The finding at the root's module declaration; absent when a directive there suppresses it. */
  moved?: Finding;
  /** The directive that suppresses it (its unused-suppression finding goes). */
  directive?: { file: string; start: number };
}

/**
 * The verdicts of a root's deployment on the modules it calls, and where its findings in them
 * would move. Findings about a value a caller passes stand at that caller's argument already and
 * count as failing only.
 */
export function callerJudgement(result: AnalysisResult): CallerJudgement {
  let judgement = judgements.get(result);
  if (!judgement) judgements.set(result, (judgement = judge(result)));
  return judgement;
}

/** Judgements by result: the language server asks for one root's twice (its verdicts, then its moves). */
const judgements = new WeakMap<AnalysisResult, CallerJudgement>();

function judge(result: AnalysisResult): CallerJudgement {
  const own = new Set(result.unit.ownFiles.map((p) => resolvePath(p)));
  const judgement: CallerJudgement = { verdicts: [], moves: [] };
  const byResource = new Map<string, Finding[]>();
  const judged = new Map<string, Set<string>>();
  for (const f of result.findings) {
    if (!f.resourceId) continue;
    const key = `${f.resourceId}\0${f.ruleId}`;
    const list = byResource.get(key);
    if (list) list.push(f);
    else byResource.set(key, [f]);
    judged.set(f.resourceId, (judged.get(f.resourceId) ?? new Set()).add(f.ruleId));
  }
  for (const p of result.posture) judged.set(p.resourceId, (judged.get(p.resourceId) ?? new Set()).add(p.ruleId));
  const inModules = new Map<string, Resource>();
  for (const r of result.unit.resources) {
    if (r.existing || r.noCopies || own.has(resolvePath(r.file))) continue;
    inModules.set(r.id, r);
    for (const rule of judged.get(r.id) ?? []) {
      const found = byResource.get(`${r.id}\0${rule}`) ?? [];
      const placed = found.filter((f) => !own.has(resolvePath(f.file))).map((f) => `${resolvePath(f.file)}\0${f.span.start}\0${f.span.end}\0${f.message}`);
      judgement.verdicts.push([`${moduleResourceKey(r)}\0${rule}`, found.length > 0, placed]);
    }
  }
  const directives = new Map<string, Directive[]>();
  const callSiteOf = callSites(result);
  result.findings.forEach((f, index) => {
    const r = f.resourceId ? inModules.get(f.resourceId) : undefined;
    if (!r || own.has(resolvePath(f.file))) return;
    const key = `${moduleResourceKey(r)}\0${f.ruleId}`;
    const site = callSiteOf(r.viaModule?.[0]);
    const file = result.unit.files.find((x) => resolvePath(x.path) === resolvePath(site.file));
    if (!file) return;
    let list = directives.get(file.path);
    if (!list) directives.set(file.path, (list = findDirectives(file)));
    const line = lineIndexOf(file.text).positionAt(site.span.start).line;
    const directive = list.find((d) => d.ruleIds.includes(f.ruleId) && d.targetLine === line);
    if (directive) judgement.moves.push({ index, key, directive: { file: directive.file, start: directive.span.start } });
    else judgement.moves.push({ index, key, moved: relocated(f, site, file, own, result.unit, r) });
  });
  return judgement;
}

/**
 * The resources of called files and the rules on which their callers disagree, as
 * `resource\0rule` keys: some deployment fails the rule and another passes it, or their findings
 * in the module differ (two messages, or two places).
 */
export function disagreementsOf(verdicts: Iterable<CallerJudgement['verdicts']>): Set<string> {
  const groups = new Map<string, { pass: boolean; fail: boolean; placed: Set<string> }>();
  for (const list of verdicts) {
    for (const [key, fails, placed] of list) {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { pass: false, fail: false, placed: new Set() }));
      if (fails) g.fail = true;
      else g.pass = true;
      for (const p of placed) g.placed.add(p);
    }
  }
  return new Set([...groups].filter(([, g]) => (g.pass && g.fail) || g.placed.size > 1).map(([key]) => key));
}

/** `disagreementsOf` the deployments of some roots. */
export function disagreements(results: readonly AnalysisResult[]): Set<string> {
  return disagreementsOf(results.map((r) => callerJudgement(r).verdicts));
}

/**
 * Which of a root's findings `moves` replace or drop for the keys its callers disagree on: each
 * moved finding stands at the module declaration once; a suppressed one goes, with the
 * unused-suppression finding of its directive.
 */
export function movedFindings(findings: readonly Finding[], moves: readonly CallerMove[], keys: ReadonlySet<string>): { replace: Map<number, Finding>; drop: Set<number> } {
  const replace = new Map<number, Finding>();
  const drop = new Set<number>();
  const seen = new Set<string>();
  const used: { file: string; start: number }[] = [];
  for (const m of moves) {
    if (!keys.has(m.key)) continue;
    if (!m.moved) {
      drop.add(m.index);
      if (m.directive) used.push(m.directive);
      continue;
    }
    const id = `${resolvePath(m.moved.file)}\0${m.moved.span.start}\0${m.moved.ruleId}\0${m.moved.message}`;
    if (seen.has(id)) drop.add(m.index);
    else replace.set(m.index, m.moved);
    seen.add(id);
  }
  findings.forEach((f, i) => {
    if (f.ruleId === UNUSED_SUPPRESSION.id && used.some((d) => resolvePath(d.file) === resolvePath(f.file) && d.start === f.span.start)) drop.add(i);
  });
  return { replace, drop };
}

/**
 * Moves a root's findings in called modules on which the callers disagree (`disagreements`) to
 * the root's module declaration: each failing caller is told at its call, with related
 * information to the module code. A fix that edits the module would change it for every caller:
 * offered, not preferred. A suppression directive above the declaration suppresses it there.
 * Returns a copy with the keys in its options, so that fix-all's re-analyses place findings the same way.
 */
export function placeDisagreements(result: AnalysisResult, keys: ReadonlySet<string>): AnalysisResult {
  const placed: AnalysisResult = { ...result, context: { ...result.context, options: { ...result.context.options, disagreements: keys } } };
  if (keys.size === 0) return placed;
  const { replace, drop } = movedFindings(result.findings, callerJudgement(result).moves, keys);
  placed.findings = result.findings.flatMap((f, i) => (drop.has(i) ? [] : [replace.get(i) ?? f]));
  return placed;
}

function relocated(f: Finding, site: Located, file: SourceFile, own: ReadonlySet<string>, unit: Unit, resource: Resource): Finding {
  const related = f.related.filter((r) => !r.message.startsWith('Judged in the deployment of'));
  related.unshift({ loc: { file: f.file, span: f.span }, message: 'The module code, as this caller configures it' });
  const fixes = f.fixes.flatMap((fix): ResolvedFix[] => {
    if (fix.kind === 'suppress') return [suppressFix(file, site.span.start, f.ruleId, file.dialect)];
    if (fix.edits.every((e) => own.has(resolvePath(e.file)))) return [fix];
    const inModule = { ...fix, preferred: false, title: `${fix.title} (in the module, for every caller)` };
    // A module param's default that fails for this caller: the caller passes the value instead.
    const argument = callerArgument(unit, resource, site, fix);
    return argument ? [argument, inModule] : [fix.preferred ? inModule : fix];
  });
  return { ...f, file: site.file, span: site.span, related, fixes };
}

/**
 * `fix` as an argument of the root's call of the module the resource is in, when the fix replaces
 * one default of that module's parameters: it then changes this caller's deployment only, so it is
 * preferred when `fix` was. Deeper modules' defaults are left to the module that calls them.
 */
function callerArgument(unit: Unit, resource: Resource, site: Located, fix: ResolvedFix): ResolvedFix | undefined {
  const name = resource.viaModule?.length === 1 ? resource.viaModule[0] : undefined;
  if (!name || fix.edits.length !== 1) return undefined;
  const edit = fix.edits[0];
  const argument = frontEndOfDialect(unit.dialect)?.edits.bindArgument?.(unit, edit, { file: site.file, name });
  if (!argument) return undefined;
  // The rule's title and its caveats stay; the note on where the module fix lands is replaced.
  const base = fix.title.replace(/ \(default of (?:param|parameter|variable) '[^']*'\)$/, '');
  const passed =
    unit.dialect === 'terraform'
      ? `${argument.param} = ${edit.newText} in module "${name}"`
      : unit.dialect === 'arm'
        ? `parameter '${argument.param}' = ${edit.newText} in deployment '${name}'`
        : `${argument.param}: ${edit.newText} in module '${name}'`;
  const title = `${base} (pass ${passed}, this caller only)`;
  return { title, kind: 'fix', preferred: fix.preferred, inPlace: true, edits: argument.edits };
}
