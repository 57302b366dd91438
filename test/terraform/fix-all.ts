// Fix-all of a Terraform fixture folder for before → after tests (expected texts live in the test
// files: a .fixed.tf beside a fixture would join its module).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePath, diskHost, fixAllEdits, overlayHost } from '../../server/src/engine';
import type { AnalysisResult, AnalyzeOptions } from '../../server/src/engine/types';
import { parseHcl } from '../../server/src/syntax/hcl';
import { applyEdits } from '../../server/src/text';
import { repoRoot } from '../helpers/corpus';
import { stripMarkers } from '../helpers/fixtures';
import { withoutCrossResource } from '../helpers/cross-resource';

export const FIXTURES = join(repoRoot, 'test', 'terraform', 'fixtures');

export interface FixAllOutcome {
  /** Changed files by name inside the fixture folder (marker lines removed from main.tf first). */
  files: Map<string, { before: string; after: string }>;
  /** main.tf before and after (the same text twice when nothing changed). */
  main: { before: string; after: string };
  /** The analysis before and after fix-all. */
  result: AnalysisResult;
  again: AnalysisResult;
}

/**
 * Runs fix-all on a fixture's main.tf and checks what holds for every fix: each changed file
 * parses, a second fix-all changes nothing. The fixtures hold a bare workspace, so the
 * cross-resource rules (judged in their own folders) are off.
 */
export function fixAllOf(dir: string): FixAllOutcome {
  const file = join(FIXTURES, dir, 'main.tf');
  const plain = stripMarkers(readFileSync(file, 'utf8'));
  // The fixtures hold a bare workspace: the cross-resource rules are judged in their own folders (diagnostic-logs/ judges its rule).
  const options: AnalyzeOptions = { rules: withoutCrossResource(dir.startsWith('diagnostic-logs/') ? { 'databricks-diagnostic-logs': 'warning' } : {}) };
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, plain]])), options);
  assert.ok(result);
  const edits = fixAllEdits(result, file);
  const files = new Map<string, { before: string; after: string }>();
  for (const path of new Set(edits.map((e) => e.file))) {
    const before = path === file ? plain : readFileSync(path, 'utf8');
    const after = applyEdits(before, edits.filter((e) => e.file === path));
    assert.deepEqual(parseHcl(after).errors, []);
    files.set(path.slice(FIXTURES.length + 1 + dir.length + 1), { before, after });
  }
  const texts = new Map([...files].map(([name, t]) => [join(FIXTURES, dir, name), t.after]));
  if (!texts.has(file)) texts.set(file, plain);
  const again = analyzePath(file, overlayHost(diskHost([repoRoot]), texts), options);
  assert.ok(again);
  assert.deepEqual(fixAllEdits(again, file), [], 'a second fix-all changes nothing');
  return { files, main: files.get('main.tf') ?? { before: plain, after: plain }, result, again };
}

/** main.tf before and after fix-all, asserting that no other file changed. */
export function mainOnly(outcome: FixAllOutcome): { before: string; after: string } {
  assert.ok([...outcome.files.keys()].every((name) => name === 'main.tf'), 'only main.tf changes');
  return outcome.main;
}
