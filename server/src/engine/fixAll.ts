// Fix-all: applies every preferred fix of a file, re-analysing between rounds so that fixes which
// touch the same object don't collide, and returns one minimal edit per changed file.
import { applyEdits, minimalEdit, type TextEdit } from '../text';
import { analyzePath } from './analyze';
import { overlayHost } from './host';
import type { AnalysisResult, ResolvedFix } from './types';

const MAX_ROUNDS = 8;

/** Preferred fixes of a file's findings that can be applied together (no two touch the same text). */
export function compatibleFixes(result: AnalysisResult, file: string): ResolvedFix[] {
  const chosen: ResolvedFix[] = [];
  const taken: TextEdit[] = [];
  for (const finding of result.findings) {
    if (finding.file !== file) continue;
    const fix = finding.fixes.find((f) => f.kind === 'fix' && f.preferred);
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => t.file === e.file && touches(t, e)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return chosen;
}

function touches(a: TextEdit, b: TextEdit): boolean {
  return a.span.start <= b.span.end && b.span.start <= a.span.end;
}

/** Every preferred fix of `file` as one minimal edit per changed file (the file itself, or a parameters file). */
export function fixAllEdits(result: AnalysisResult, file: string): TextEdit[] {
  const original = new Map<string, string>();
  const texts = new Map<string, string>();
  let current: AnalysisResult | undefined = result;
  for (let round = 0; round < MAX_ROUNDS && current; round++) {
    const fixes = compatibleFixes(current, file);
    if (fixes.length === 0) break;
    const byFile = new Map<string, TextEdit[]>();
    for (const e of fixes.flatMap((f) => f.edits)) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [path, edits] of byFile) {
      const before = texts.get(path) ?? current.files.find((f) => f.path === path)?.text ?? result.context.host.readFile(path);
      if (before === undefined) continue;
      if (!original.has(path)) original.set(path, before);
      texts.set(path, applyEdits(before, edits));
    }
    current = analyzePath(result.path, overlayHost(result.context.host, texts), result.context.options);
  }
  const out: TextEdit[] = [];
  for (const [path, after] of texts) {
    const before = original.get(path)!;
    if (before !== after) out.push(minimalEdit(path, before, after));
  }
  return out;
}
