// The one fix-application loop, used by the LSP server (Fix All in File, on-save fix-all),
// `scan --fix` and the tests: applies the preferred fixes of the findings in some files,
// re-analysing between rounds so that fixes which touch the same object don't collide, and
// returns the new text of every changed file plus what is gone after the final analysis.
import { applyEdits, lineIndexOf, minimalEdit, type LineIndex, type TextEdit } from '../text';
import { analyzePath } from './analyze';
import { overlayHost } from './host';
import type { AnalysisResult, Finding, ResolvedFix } from './types';

const MAX_ROUNDS = 8;

export interface FixAllOptions {
  /** Whose findings are fixed (default: the analysed file). */
  files?: readonly string[];
  /**
   * Only fixes that edit existing text (set, remove, replace): what on-save fix-all applies.
   * Fixes that add parameters or resources are left to the quick fix, Fix All in File and scan --fix.
   */
  inPlaceOnly?: boolean;
  /** Files a fix may edit (scan --fix: those under the given paths); a fix that edits another is not applied. */
  editable?: (file: string) => boolean;
  /**
   * Values files (`.tfvars`, `.bicepparam`, ARM parameters) whose findings are fixed too: those
   * standing in a template whose value one of them supplies (a related place in it).
   */
  values?: readonly string[];
}

export interface FixAllOutcome {
  /** Text before and after of every changed file (the fixed files, parameters files, variables.tf…). */
  changes: Map<string, { before: string; after: string }>;
  /** The analysis after the last round (the input when nothing changed). */
  final: AnalysisResult;
  /** Findings of the input in the fixed files that the final analysis no longer has. */
  fixed: Finding[];
  /** Files that preferred fixes would have edited but `editable` refused (those fixes were not applied). */
  refused: Set<string>;
  /** Rounds that changed text (each followed by a re-analysis). */
  rounds: number;
  /** Whether preferred fixes were still pending when the round limit was reached. */
  exhausted: boolean;
}

function wanted(fix: ResolvedFix, inPlaceOnly: boolean): boolean {
  return fix.kind === 'fix' && fix.preferred && (!inPlaceOnly || fix.inPlace);
}

/**
 * Preferred fixes of some files' findings that can be applied together: no two edit the same or
 * neighbouring lines (two insertions into one Terraform block would each align `=` without the
 * other; the next round applies the second on the re-read text).
 */
export function compatibleFixes(
  result: AnalysisResult,
  files: readonly string[],
  inPlaceOnly = false,
  editable?: (file: string) => boolean,
  refused?: Set<string>,
  values: readonly string[] = [],
): ResolvedFix[] {
  const chosen: ResolvedFix[] = [];
  const taken: LineRange[] = [];
  const mine = ownedBy(files, values);
  const indexes = new Map<string, LineIndex | undefined>();
  const linesOf = (e: TextEdit): LineRange => {
    if (!indexes.has(e.file)) {
      const text = result.files.find((f) => f.path === e.file)?.text ?? result.context.host.readFile(e.file);
      indexes.set(e.file, text === undefined ? undefined : lineIndexOf(text));
    }
    const index = indexes.get(e.file);
    if (!index) return { file: e.file, first: e.span.start, last: e.span.end, offsets: true };
    return { file: e.file, first: index.positionAt(e.span.start).line, last: index.positionAt(e.span.end).line, offsets: false };
  };
  for (const finding of result.findings) {
    if (!mine(finding)) continue;
    const fix = finding.fixes.find((f) => wanted(f, inPlaceOnly));
    if (!fix || chosen.includes(fix)) continue;
    const elsewhere = editable ? fix.edits.filter((e) => !editable(e.file)) : [];
    if (elsewhere.length > 0) {
      for (const e of elsewhere) refused?.add(e.file);
      continue;
    }
    const ranges = fix.edits.map(linesOf);
    if (ranges.some((r) => taken.some((t) => near(t, r)))) continue;
    chosen.push(fix);
    taken.push(...ranges);
  }
  return chosen;
}

/** Whether a finding is one of `files`' own: standing in one, or with its value from one of `values`. */
function ownedBy(files: readonly string[], values: readonly string[]): (f: Finding) => boolean {
  const own = new Set(files);
  const supplying = new Set(values);
  return (f) => own.has(f.file) || (supplying.size > 0 && f.related.some((r) => supplying.has(r.loc.file)));
}

/** The lines an edit spans (or its offsets, when the file's text is not at hand). */
interface LineRange {
  file: string;
  first: number;
  last: number;
  offsets: boolean;
}

function near(a: LineRange, b: LineRange): boolean {
  if (a.file !== b.file) return false;
  const margin = a.offsets || b.offsets ? 0 : 1;
  return a.first <= b.last + margin && b.first <= a.last + margin;
}

/**
 * The identity of a finding that survives edits elsewhere in the file: rule, file, resource
 * (kind and name, not offset) and property path.
 */
export function findingIdentity(f: Finding): string {
  return [f.ruleId, f.file, f.resourceKey ?? f.resourceId ?? '', f.property ?? f.message].join('\0');
}

/** Applies every preferred fix of the findings in `options.files` (default the analysed file). */
export function fixAll(result: AnalysisResult, options: FixAllOptions = {}): FixAllOutcome {
  const files = options.files ?? [result.path];
  const original = new Map<string, string>();
  const texts = new Map<string, string>();
  let current: AnalysisResult = result;
  const refused = new Set<string>();
  let rounds = 0;
  let exhausted = false;
  for (let round = 0; ; round++) {
    const fixes = compatibleFixes(current, files, options.inPlaceOnly === true, options.editable, refused, options.values);
    if (fixes.length === 0) break;
    if (round === MAX_ROUNDS) {
      exhausted = true;
      break;
    }
    const byFile = new Map<string, TextEdit[]>();
    for (const e of fixes.flatMap((f) => f.edits)) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    let changed = false;
    for (const [path, edits] of byFile) {
      const before = texts.get(path) ?? current.files.find((f) => f.path === path)?.text ?? result.context.host.readFile(path);
      if (before === undefined) continue;
      if (!original.has(path)) original.set(path, before);
      const after = applyEdits(before, edits);
      if (after !== before) changed = true;
      texts.set(path, after);
    }
    if (!changed) break;
    rounds++;
    const next = analyzePath(result.path, overlayHost(result.context.host, texts), result.context.options);
    if (!next) break;
    current = next;
  }
  const changes = new Map<string, { before: string; after: string }>();
  for (const [path, after] of texts) {
    const before = original.get(path)!;
    if (before !== after) changes.set(path, { before, after });
  }
  const mine = ownedBy(files, options.values ?? []);
  const remaining = new Set(current.findings.map(findingIdentity));
  const fixed = changes.size === 0 ? [] : result.findings.filter((f) => mine(f) && !remaining.has(findingIdentity(f)));
  return { changes, final: current, fixed, refused, rounds, exhausted };
}

/** Every preferred fix of `file` as one minimal edit per changed file (the file itself, or a parameters file). */
export function fixAllEdits(result: AnalysisResult, file: string, options: Omit<FixAllOptions, 'files'> = {}): TextEdit[] {
  const { changes } = fixAll(result, { ...options, files: [file] });
  return [...changes].map(([path, { before, after }]) => minimalEdit(path, before, after));
}

/**
 * One fix-all round over several analysed units (`scan --fix`): each unit's preferred fixes for
 * its files, merged into new texts per file. A file two units change differently keeps the first
 * change; the caller re-analyses and runs another round for the rest.
 */
export function fixAllUnits(
  runs: readonly { result: AnalysisResult; files: readonly string[]; values?: readonly string[] }[],
  options: { onError?: (file: string, e: unknown) => void; editable?: (file: string) => boolean; refused?: Set<string> } = {},
): Map<string, string> {
  const { onError, editable, refused } = options;
  const out = new Map<string, string>();
  const base = new Map<string, string>();
  for (const run of runs) {
    let outcome: FixAllOutcome;
    try {
      outcome = fixAll(run.result, { files: run.files, values: run.values, editable });
    } catch (e) {
      onError?.(run.files[0] ?? run.result.path, e);
      continue;
    }
    for (const f of outcome.refused) refused?.add(f);
    for (const [path, { before, after }] of outcome.changes) {
      if (out.has(path) && (base.get(path) !== before || out.get(path) !== after)) continue;
      base.set(path, before);
      out.set(path, after);
    }
  }
  return out;
}
