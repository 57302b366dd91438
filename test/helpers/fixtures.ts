// Fixture tests with inline expectation markers, for every rule and dialect (test/<dialect>/fixtures).
//
// A marker is a comment line under the line it describes; its carets stand under the finding's
// range (start column; on a one-line range also the end), followed by the rule id and optionally
// the severity:
//
//     "sku": { "name": "standard" },
//     //               ^^^^^^^^^^ databricks-premium-sku
//
// `#` starts markers in Terraform. A fixture without markers must yield no finding at all.
// Beside `case.ext`, an optional `case.fixed.ext` holds the text after every preferred fix; the
// fix invariants are checked too. Run with BRICKGUARD_UPDATE_FIXTURES=1 to rewrite markers and
// `.fixed` files from the current behaviour (or =PATH-SUBSTRING to rewrite only matching fixtures),
// then review the diff. Terraform fixtures get no `.fixed` file: every `.tf` of a folder belongs to
// the module, so their before → after texts live in test files.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, fixAllEdits, overlayHost } from '../../server/src/engine';
import type { AnalysisResult, Finding } from '../../server/src/engine/types';
import { LineIndex, applyEdits } from '../../server/src/text';
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

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...fixtureFiles(p));
    else if (/\.(bicep|json|jsonc|tf)$/.test(name) && !/\.fixed\.|\.parameters\.json$/.test(name)) out.push(p);
  }
  return out;
}

/** Registers one test per fixture file below `dir` (relative to the repository). */
export function fixtureTests(dir: string): void {
  const root = join(repoRoot, dir);
  for (const file of fixtureFiles(root)) {
    test(`fixture ${relative(join(repoRoot, 'test'), file)}`, () => checkFixture(file));
  }
}

export function fixedPathOf(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.fixed${ext}`);
}

/** Checks one fixture: markers equal findings; the `.fixed` file equals fix-all; fix invariants hold. */
export function checkFixture(file: string): void {
  const host = diskHost([repoRoot]);
  const UPDATE = updating(file);
  if (UPDATE) {
    const plain = stripMarkers(readFileSync(file, 'utf8'));
    const fresh = analyzePath(file, overlayHost(host, new Map([[file, plain]])));
    writeFileSync(file, withMarkers(plain, findingsOf(fresh, file), /\.tf$/.test(file) ? '#' : '//'));
  }
  const text = readFileSync(file, 'utf8');
  const result = analyzePath(file, host);
  assert.ok(result, `${file} is not analysed by any front end`);
  const findings = findingsOf(result, file);
  const expected = expectedWithContentLines(text);
  const actual = actualExpectations(text, findings);
  const matches = (e: Expectation, a: Expectation) =>
    e.line === a.line && e.column === a.column && e.ruleId === a.ruleId && (e.severity === undefined || e.severity === a.severity) && (e.endColumn === undefined || e.endColumn === a.endColumn);
  const missing = expected.filter((e) => !actual.some((a) => matches(e, a)));
  const unexpected = actual.filter((a) => !expected.some((e) => matches(e, a)));
  assert.deepEqual(
    { missing: missing.map(describe), unexpected: unexpected.map(describe) },
    { missing: [], unexpected: [] },
    `findings of ${file} differ from its markers`,
  );
  if (/\.tf$/.test(file)) return;
  const fixedPath = fixedPathOf(file);
  if (!existsSync(fixedPath) && !UPDATE) return;
  // Fixes are checked on the fixture without its marker lines, so the `.fixed` file is clean.
  const plain = stripMarkers(text);
  const plainResult = analyzePath(file, overlayHost(host, new Map([[file, plain]])))!;
  const edits = fixAllEdits(plainResult, file);
  const fixed = applyEdits(plain, edits.filter((e) => e.file === file));
  if (UPDATE && edits.length > 0) writeFileSync(fixedPath, fixed);
  if (!existsSync(fixedPath)) return;
  assert.equal(fixed, readFileSync(fixedPath, 'utf8'), `fix-all of ${file} differs from ${fixedPath}`);
  checkFixInvariants(file, fixed, plainResult);
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
export function checkFixInvariants(file: string, after: string, beforeResult: AnalysisResult): void {
  const host = overlayHost(diskHost([repoRoot]), new Map([[file, after]]));
  const again = analyzePath(file, host);
  assert.ok(again, 'the fixed file is still analysed');
  const errorsBefore = beforeResult.files.find((f) => f.path === file)?.syntaxErrors.length ?? 0;
  const errorsAfter = again.files.find((f) => f.path === file)?.syntaxErrors.length ?? 0;
  assert.ok(errorsAfter <= errorsBefore, `fix-all introduced syntax errors: ${JSON.stringify(again.files.find((f) => f.path === file)?.syntaxErrors)}`);
  const fixable = new Set(beforeResult.findings.filter((f) => f.file === file && f.fixes.some((x) => x.kind === 'fix' && x.preferred)).map((f) => f.ruleId));
  const left = findingsOf(again, file).filter((f) => fixable.has(f.ruleId));
  assert.deepEqual(left.map((f) => `${f.ruleId}: ${f.message}`), [], 'findings with a preferred fix remain after fix-all');
  const beforeKeys = new Set(findingsOf(beforeResult, file).map((f) => f.ruleId));
  const added = findingsOf(again, file).filter((f) => !beforeKeys.has(f.ruleId));
  assert.deepEqual(added.map((f) => f.ruleId), [], 'fix-all produced new findings');
  const second = fixAllEdits(again, file);
  assert.deepEqual(second, [], 'a second fix-all still changes the file');
}
