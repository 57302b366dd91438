// Fixture tests with inline expectation markers, for every rule and dialect (test/<dialect>/fixtures).
//
// A marker is a comment line under the line it describes; its carets stand under the finding's
// range (start column; on a one-line range also the end), followed by the rule id and optionally
// the severity:
//
//     "sku": { "name": "standard" },
//     //               ^^^^^^^^^^ databricks-premium-sku
//
// `#` starts markers in Terraform.
//
// A case is one ARM/Bicep file, or one Terraform folder (every `.tf`/`.tfvars` of it: a module).
// It is judged only with the rules of its scope: the nearest `fixture.json` above it
// (`{ "rules": ["rule-id", …] }`), else its top folder under `fixtures/` by convention (rules named
// `FOLDER`, `databricks-FOLDER` or `network-FOLDER`, else every `FOLDER-*` rule); `all/` runs
// every rule. Within its scope a case without markers must yield no finding. A `fixture.json` with
// `"deployments": true` judges its cases as deployment trees, as the CLI and the language server
// do: a case that another case calls as a module is judged inside its callers' deployments.
//
// Every file fix-all changes has its expected text beside it: `case.fixed.ext` for an ARM or Bicep
// case file, `NAME.fixed` for any other file (`main.tf.fixed`, `main.bicepparam.fixed`): a
// `.fixed.tf` would join its module, a second `.bicepparam` would hide the first.
// The whole text is compared, and the fix invariants are checked. Run with
// BRICKGUARD_UPDATE_FIXTURES=1 to rewrite markers and `.fixed` files from the current behaviour
// (or =PATH-SUBSTRING to rewrite only matching cases), then review the diff.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { DeploymentIndex, analyzePath, disagreements, discoverCalls, diskHost, fixAll, judgedByRoots, markJudgedIn, overlayHost, placeDisagreements } from '../../server/src/engine';
import { resourceKey } from '../../server/src/engine/analyze';
import type { FileHost } from '../../server/src/frontends/types';
import { RULES } from '../../server/src/rules';
import type { AnalysisResult, AnalyzeOptions, Finding } from '../../server/src/engine/types';
import { LineIndex, applyEdits, type TextEdit } from '../../server/src/text';
import { repoRoot } from './corpus';

const MARKER = /^(\s*)(\/\/|#)(\s*)(\^+)\s+([a-z0-9]+(?:-[a-z0-9]+)+)(?:\s+(error|warning|information))?\s*$/;
const UPDATE_SETTING = process.env.BRICKGUARD_UPDATE_FIXTURES ?? '';

/** Whether update mode rewrites this fixture. */
function updating(file: string): boolean {
  return UPDATE_SETTING === '1' || (UPDATE_SETTING !== '' && file.includes(UPDATE_SETTING));
}

export interface Expectation {
  line: number; // zero-based, in the text without marker lines
  column: number;
  endColumn?: number;
  ruleId: string;
  severity?: string;
}

/** Splits a fixture into its expectations; marker lines stay in the text (they are comments). */
export function readMarkers(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  let target = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) {
      target = i;
      continue;
    }
    const column = m[1].length + m[2].length + m[3].length;
    out.push({ line: target, column, endColumn: m[4].length > 1 ? column + m[4].length : undefined, ruleId: m[5], severity: m[6] });
  }
  return out;
}

function describe(e: { line: number; column: number; ruleId: string; severity?: string }): string {
  return `${e.line + 1}:${e.column + 1} ${e.ruleId}${e.severity ? ` ${e.severity}` : ''}`;
}

function findingsOf(result: AnalysisResult | undefined, file: string): Finding[] {
  return result ? result.findings.filter((f) => f.file === file) : [];
}

/** Rewrites a fixture's markers from actual findings. */
function withMarkers(text: string, findings: Finding[], commentMarker: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const kept = text.split(/\r?\n/);
  const index = new LineIndex(text);
  const byLine = new Map<number, string[]>();
  for (const f of findings) {
    const s = index.positionAt(f.span.start);
    const e = index.positionAt(f.span.end);
    const width = s.line === e.line ? Math.max(1, e.character - s.character) : 1;
    const pad = Math.max(0, s.character - commentMarker.length - 1);
    const marker = `${' '.repeat(pad)}${commentMarker}${' '.repeat(s.character - pad - commentMarker.length)}${'^'.repeat(width)} ${f.ruleId} ${f.severity}`;
    byLine.set(s.line, [...(byLine.get(s.line) ?? []), marker]);
  }
  const out: string[] = [];
  kept.forEach((l, i) => out.push(l, ...(byLine.get(i) ?? [])));
  return out.join(eol);
}

/** Positions of findings in the text with marker lines removed, so expectations compare by content line. */
function actualExpectations(text: string, findings: Finding[]): Expectation[] {
  const index = new LineIndex(text);
  const rawLines = text.split(/\r?\n/);
  // Map each raw line to its line number among non-marker lines.
  const mapped: number[] = [];
  let n = -1;
  for (const l of rawLines) {
    if (!MARKER.test(l)) n++;
    mapped.push(n);
  }
  return findings.map((f) => {
    const s = index.positionAt(f.span.start);
    const e = index.positionAt(f.span.end);
    return { line: mapped[s.line], column: s.character, endColumn: s.line === e.line ? e.character : undefined, ruleId: f.ruleId, severity: f.severity };
  });
}

function expectedWithContentLines(text: string): Expectation[] {
  const rawLines = text.split(/\r?\n/);
  const mapped: number[] = [];
  let n = -1;
  for (const l of rawLines) {
    if (!MARKER.test(l)) n++;
    mapped.push(n);
  }
  return readMarkers(text).map((e) => ({ ...e, line: e.line >= 0 ? mapped[e.line] : -1 }));
}

const CASE_FILE = /\.(bicep|json|jsonc)$/;
const TF_FILE = /\.(tf|tfvars)$/;

/** A fixture case: the file analysed, the files whose markers and findings it checks, its rule scope. */
export interface FixtureCase {
  entry: string;
  files: string[];
  /** Rule ids judged; undefined for every rule. */
  scope?: string[];
  /**
   * The entries of every case of a `"deployments": true` folder: judged as the CLI and the
   * language server judge them, a case that another calls inside its callers' deployments.
   */
  deployment?: { entry: string; files: string[] }[];
}

function isFixtureSource(name: string): boolean {
  return CASE_FILE.test(name) && name !== 'fixture.json' && !/\.fixed\.|\.parameters\.jsonc?$/.test(name);
}

/** Every case below a fixtures folder: ARM/Bicep files one by one, Terraform folders as modules. */
export function fixtureCases(root: string): FixtureCase[] {
  const out: FixtureCase[] = [];
  const groups = new Map<string, FixtureCase[]>();
  const visit = (dir: string) => {
    const names = readdirSync(dir).sort();
    const group = deploymentFolderOf(dir, root);
    const add = (c: FixtureCase) => {
      out.push(c);
      if (group) groups.set(group, [...(groups.get(group) ?? []), c]);
    };
    const tf = names.filter((n) => TF_FILE.test(n)).map((n) => join(dir, n));
    if (tf.length > 0) {
      const entry = tf.find((p) => p.endsWith('.tf')) ?? tf[0];
      add({ entry, files: tf, scope: scopeOf(dir, root) });
    }
    for (const name of names) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (isFixtureSource(name)) add({ entry: p, files: [p], scope: scopeOf(dir, root) });
    }
  };
  visit(root);
  for (const cases of groups.values()) for (const c of cases) c.deployment = cases.map((x) => ({ entry: x.entry, files: x.files }));
  return out;
}

/** The folder whose `fixture.json` says `"deployments": true`, at or above `dir`, if any. */
function deploymentFolderOf(dir: string, root: string): string | undefined {
  for (let d = dir; d.length >= root.length; d = dirname(d)) {
    const config = join(d, 'fixture.json');
    if (existsSync(config)) return (JSON.parse(readFileSync(config, 'utf8')) as { deployments?: unknown }).deployments === true ? d : undefined;
    if (d === root) break;
  }
  return undefined;
}

/**
 * The result a case is checked against: its own analysis, or in a deployments folder what the CLI
 * and the language server report: a root with the findings of the modules it calls, a called file
 * as its roots judge it.
 */
function judge(c: FixtureCase, host: FileHost, options: AnalyzeOptions): AnalysisResult | undefined {
  if (!c.deployment) return analyzePath(c.entry, host, options);
  const index = new DeploymentIndex();
  for (const x of c.deployment) for (const file of x.files) discoverCalls(index, file, host);
  // Every root of the folder is judged: findings its callers disagree on go to their module declarations.
  const roots = new Map<string, AnalysisResult>();
  for (const x of c.deployment) {
    if (x.files.some((f) => index.isCalled(f))) continue;
    const result = analyzePath(x.entry, host, { ...options, reportCalled: true });
    if (!result) continue;
    markJudgedIn(result);
    for (const f of x.files) roots.set(f, result);
  }
  const keys = disagreements([...new Set(roots.values())]);
  const callers = [...new Set(c.files.flatMap((f) => index.rootsOf(f)))].map((f) => roots.get(f));
  if (callers.length === 0) {
    const own = roots.get(c.entry);
    return own && placeDisagreements(own, keys);
  }
  const judged = [...new Set(callers.filter((r): r is AnalysisResult => r !== undefined))];
  return judgedByRoots(c.entry, judged.map((r) => placeDisagreements(r, keys)));
}

/** The rules a case is judged with (see the header). */
export function scopeOf(dir: string, root: string): string[] | undefined {
  for (let d = dir; d.length >= root.length; d = dirname(d)) {
    const config = join(d, 'fixture.json');
    if (existsSync(config)) {
      const rules = (JSON.parse(readFileSync(config, 'utf8')) as { rules?: unknown }).rules;
      assert.ok(Array.isArray(rules) && rules.every((r) => typeof r === 'string'), `${config}: "rules" must be a list of rule ids`);
      for (const id of rules) assert.ok(RULES.some((r) => r.meta.id === id), `${config}: unknown rule ${id}`);
      return rules as string[];
    }
    if (d === root) break;
  }
  const top = relative(root, dir).split(sep)[0];
  if (top === '' || top === 'all') return undefined;
  const ids = RULES.map((r) => r.meta.id);
  const named = ids.filter((id) => id === top || id === `databricks-${top}` || id === `network-${top}`);
  const scope = named.length > 0 ? named : ids.filter((id) => id.startsWith(`${top}-`));
  assert.ok(scope.length > 0, `no rule for fixture folder ${top}: add a fixture.json`);
  return scope;
}

/** Analysis options that turn every rule outside the scope off. */
export function scopeOptions(scope: string[] | undefined): AnalyzeOptions {
  if (!scope) return {};
  return { rules: Object.fromEntries(RULES.map((r) => r.meta.id).filter((id) => !scope.includes(id)).map((id) => [id, 'off' as const])) };
}

/** Registers one test per fixture case below `dir` (relative to the repository). */
export function fixtureTests(dir: string): void {
  const root = join(repoRoot, dir);
  for (const c of fixtureCases(root)) {
    const name = c.files.length === 1 && !TF_FILE.test(c.entry) ? c.entry : dirname(c.entry);
    test(`fixture ${relative(join(repoRoot, 'test'), name)}`, () => checkCase(c));
  }
}

/** Where the text after fix-all of a file is kept. */
export function fixedPathOf(file: string): string {
  if (!isFixtureSource(basename(file))) return `${file}.fixed`;
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.fixed${ext}`);
}

/** Checks one ARM/Bicep fixture file, or the Terraform folder it belongs to, with its folder's scope. */
export function checkFixture(file: string): void {
  const dialectRoot = fixturesRootOf(file);
  const c = fixtureCases(dialectRoot).find((x) => x.files.includes(file));
  assert.ok(c, `${file} is not a fixture case`);
  checkCase(c);
}

function fixturesRootOf(file: string): string {
  let d = dirname(file);
  while (basename(d) !== 'fixtures' && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Checks a case: markers equal findings; each changed file equals its `.fixed` file; fix invariants hold. */
export function checkCase(c: FixtureCase): void {
  const host = diskHost([repoRoot]);
  const options = scopeOptions(c.scope);
  const update = c.files.some(updating);
  if (update) {
    const plain = new Map(c.files.map((f) => [f, stripMarkers(readFileSync(f, 'utf8'))]));
    const fresh = judge(c, overlayHost(host, plain), options);
    for (const f of c.files) writeFileSync(f, withMarkers(plain.get(f)!, findingsOf(fresh, f), /\.(tf|tfvars)$/.test(f) ? '#' : '//'));
  }
  const result = judge(c, host, options);
  assert.ok(result, `${c.entry} is not analysed by any front end`);
  for (const file of c.files) {
    const text = readFileSync(file, 'utf8');
    const expected = expectedWithContentLines(text);
    const actual = actualExpectations(text, findingsOf(result, file));
    const matches = (e: Expectation, a: Expectation) =>
      e.line === a.line && e.column === a.column && e.ruleId === a.ruleId && (e.severity === undefined || e.severity === a.severity) && (e.endColumn === undefined || e.endColumn === a.endColumn);
    const missing = expected.filter((e) => !actual.some((a) => matches(e, a)));
    const unexpected = actual.filter((a) => !expected.some((e) => matches(e, a)));
    assert.deepEqual(
      { missing: missing.map(describe), unexpected: unexpected.map(describe) },
      { missing: [], unexpected: [] },
      `findings of ${file} differ from its markers (scope: ${c.scope?.join(', ') ?? 'every rule'})`,
    );
  }
  // Fixes are checked on the case without its marker lines, so the `.fixed` files are clean.
  const plain = new Map(c.files.map((f) => [f, stripMarkers(readFileSync(f, 'utf8'))]));
  const plainHost = overlayHost(host, plain);
  const plainResult = judge(c, plainHost, options)!;
  const outcome = fixAll(plainResult, { files: c.files });
  const stale = c.files.filter((f) => existsSync(fixedPathOf(f)) && !outcome.changes.has(f)).map(fixedPathOf);
  for (const [path, { after }] of outcome.changes) {
    const fixedPath = fixedPathOf(path);
    if (update) writeFileSync(fixedPath, after);
    assert.ok(existsSync(fixedPath), `fix-all changes ${path}: its expected text belongs in ${fixedPath} (run with BRICKGUARD_UPDATE_FIXTURES)`);
    assert.equal(after, readFileSync(fixedPath, 'utf8'), `fix-all of ${path} differs from ${fixedPath}`);
  }
  if (update) for (const p of stale) unlinkSync(p);
  else assert.deepEqual(stale, [], 'these .fixed files are stale: fix-all changes nothing there');
  if (outcome.changes.size > 0) checkFixInvariants(c, plainHost, plainResult, options);
}

/** The text without marker lines. */
export function stripMarkers(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(/\r?\n/)
    .filter((l) => !MARKER.test(l))
    .join(eol);
}

/** After fix-all: no new syntax error, no finding that has a preferred fix is left, nothing new, idempotent. */
export function checkFixInvariants(c: FixtureCase, host: FileHost, beforeResult: AnalysisResult, options: AnalyzeOptions): void {
  const outcome = fixAll(beforeResult, { files: c.files });
  const texts = new Map([...outcome.changes].map(([p, t]) => [p, t.after]));
  const again = judge(c, overlayHost(host, texts), options);
  assert.ok(again, 'the fixed case is still analysed');
  for (const path of texts.keys()) {
    const errorsBefore = beforeResult.files.find((f) => f.path === path)?.syntaxErrors.length ?? 0;
    const errorsAfter = again.files.find((f) => f.path === path)?.syntaxErrors ?? [];
    assert.ok(errorsAfter.length <= errorsBefore, `fix-all introduced syntax errors in ${path}: ${JSON.stringify(errorsAfter)}`);
  }
  const own = (r: AnalysisResult) => r.findings.filter((f) => c.files.includes(f.file));
  const fixable = new Set(own(beforeResult).filter((f) => f.fixes.some((x) => x.kind === 'fix' && x.preferred)).map((f) => f.ruleId));
  const left = own(again).filter((f) => fixable.has(f.ruleId));
  assert.deepEqual(left.map((f) => `${f.ruleId}: ${f.message}`), [], 'findings with a preferred fix remain after fix-all');
  const beforeKeys = new Set(own(beforeResult).map((f) => f.ruleId));
  // A fix may bring in a rule that did not apply to the resource before (Premium brings in the
  // encryption rules; public access off, browser authentication): that is a check revealed, not a
  // problem made. Any other new finding is.
  const revealed = revealedBy(beforeResult);
  const added = own(again).filter((f) => !beforeKeys.has(f.ruleId) && !revealed(f));
  assert.deepEqual(added.map((f) => f.ruleId), [], 'fix-all produced new findings');
  assert.deepEqual([...fixAll(again, { files: c.files }).changes.keys()], [], 'a second fix-all still changes the case');
}

/**
 * Whether a finding after a fix is of a rule that did not apply to its resource before it (the
 * posture of `before` said so; resources compared by their offset-free key, since the fix may move them).
 */
export function revealedBy(before: AnalysisResult): (f: Finding) => boolean {
  const keys = new Map(before.unit.resources.map((r) => [r.id, resourceKey(r)]));
  const inapplicable = new Set(before.posture.filter((p) => p.state === 'notApplicable').map((p) => `${keys.get(p.resourceId)}\0${p.ruleId}`));
  return (f) => f.resourceKey !== undefined && inapplicable.has(`${f.resourceKey}\0${f.ruleId}`);
}

/** The text of every file a fix edits, after its edits. */
export function applyFixEdits(fix: { edits: readonly TextEdit[] }): Map<string, string> {
  const after = new Map<string, string>();
  for (const file of new Set(fix.edits.map((e) => e.file))) after.set(file, applyEdits(readFileSync(file, 'utf8'), fix.edits.filter((e) => e.file === file)));
  return after;
}

/**
 * Each changed file equals its `.fixed` file beside it (rewritten in update mode); with `dir`, no
 * `.fixed` file there belongs to a file the fix leaves alone.
 */
export function expectFixedFiles(after: Map<string, string>, dir?: string): void {
  const update = process.env.BRICKGUARD_UPDATE_FIXTURES ?? '';
  for (const [file, text] of after) {
    const expected = fixedPathOf(file);
    if (update === '1' || (update !== '' && file.includes(update))) writeFileSync(expected, text);
    assert.ok(existsSync(expected), `${expected} is missing (run with BRICKGUARD_UPDATE_FIXTURES=1 and review)`);
    assert.equal(text, readFileSync(expected, 'utf8'), `${file} after the fix differs from ${expected}`);
  }
  if (dir === undefined) return;
  for (const name of readdirSync(dir).filter((n) => n.includes('.fixed'))) {
    assert.ok([...after.keys()].some((f) => fixedPathOf(f) === join(dir, name)), `${name} is stale`);
  }
}
