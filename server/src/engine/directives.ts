// Suppression directives: `// brickguard-disable-next-line RULE-ID[, RULE-ID] reason` (`#` in Terraform).
import type { SourceFile } from '../model/types';
import { detectEol, indentationAt, lineIndexOf, type LineIndex, type Span } from '../text';
import type { ResolvedFix } from './types';

export interface Directive {
  file: string;
  /** The whole comment. */
  span: Span;
  ids: { id: string; span: Span }[];
  ruleIds: string[];
  reason: string;
  /** The line the directive applies to: the next line that is neither blank nor only a comment. */
  targetLine: number;
}

const KEYWORD = 'brickguard-disable-next-line';
const ID = /[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+/y;

/** The directives in a file's comments. */
export function findDirectives(file: SourceFile): Directive[] {
  const out: Directive[] = [];
  let lines: LineIndex | undefined;
  for (const c of file.comments) {
    const at = c.text.indexOf(KEYWORD);
    if (at < 0 || c.text.slice(0, at).trim() !== '') continue;
    const raw = file.text.slice(c.span.start, c.span.end);
    const offsetInRaw = raw.indexOf(KEYWORD);
    if (offsetInRaw < 0) continue;
    const base = c.span.start + offsetInRaw + KEYWORD.length;
    const rest = file.text.slice(base, c.span.end);
    const ids: { id: string; span: Span }[] = [];
    let pos = 0;
    for (;;) {
      while (pos < rest.length && /[ \t]/.test(rest[pos])) pos++;
      ID.lastIndex = pos;
      const m = ID.exec(rest);
      if (!m) break;
      ids.push({ id: m[0], span: { start: base + pos, end: base + pos + m[0].length } });
      pos += m[0].length;
      const comma = /^\s*,/.exec(rest.slice(pos));
      if (!comma) break;
      pos += comma[0].length;
    }
    if (ids.length === 0) continue;
    lines ??= lineIndexOf(file.text);
    out.push({
      file: file.path,
      span: c.span,
      ids,
      ruleIds: ids.map((x) => x.id),
      reason: rest.slice(pos).replace(/\*\/\s*$/, '').trim(),
      targetLine: nextCodeLine(lines, lines.positionAt(c.span.end).line + 1),
    });
  }
  return out;
}

function nextCodeLine(lines: LineIndex, from: number): number {
  for (let line = from; line < lines.lineCount; line++) {
    const t = lines.lineText(line).trim();
    if (t === '' || t.startsWith('//') || t.startsWith('#') || t.startsWith('/*')) continue;
    return line;
  }
  return from;
}

/** The comment marker of a dialect's line comments. */
export function lineCommentMarker(dialect: string): string {
  return dialect === 'terraform' || dialect === 'tfvars' ? '#' : '//';
}

/** Inserts `// brickguard-disable-next-line RULE reason` above the resource declaration (or the caller's argument). */
export function suppressFix(file: SourceFile, at: number, ruleId: string, dialect: string): ResolvedFix {
  const lines = lineIndexOf(file.text);
  const line = lines.positionAt(at).line;
  const start = lines.lineStart(line);
  const indent = indentationAt(file.text, at);
  const newText = `${indent}${lineCommentMarker(dialect)} brickguard-disable-next-line ${ruleId} TODO: explain why this is acceptable${detectEol(file.text)}`;
  return {
    title: `Suppress ${ruleId} for this resource`,
    kind: 'suppress',
    preferred: false,
    inPlace: true,
    edits: [{ file: file.path, span: { start, end: start }, newText }],
  };
}
