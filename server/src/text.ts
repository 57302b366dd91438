// Offsets are UTF-16 code unit offsets into a file's text, as JavaScript strings index them.

/** A half-open range [start, end) of offsets in one file's text. */
export interface Span {
  start: number;
  end: number;
}

/** A span in a named file. */
export interface Located {
  file: string;
  span: Span;
}

/** A zero-based line/character position (LSP convention). */
export interface Position {
  line: number;
  character: number;
}

/** A minimal replacement of text in one file. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

/** Maps offsets to zero-based line/character positions and back. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // Only \n line breaks (the common case): indexOf finds them much faster than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/**
 * Results by text, most recently used first.
 *
 * Entries are kept in a short list compared with `===`, not in a Map: V8 hashes a string longer
 * than 16,383 characters by its length alone, so the versions of one large document an editor sends
 * (one character changed each) all collide in a Map, and an LRU's delete-and-set on every hit made
 * each lookup walk them all (a 5,000-line file: 0.3 s per analysis became 1.2 s after a few edits).
 * The same string object compares in constant time; different lengths at once.
 */
export class RecentByText<T> {
  private readonly texts: string[] = [];
  private readonly values: T[] = [];

  constructor(private readonly capacity: () => number) {}

  get(text: string, compute: (text: string) => T): T {
    const texts = this.texts;
    for (let i = 0; i < texts.length; i++) {
      if (texts[i] !== text) continue;
      const value = this.values[i];
      if (i > 0) {
        texts.splice(i, 1);
        this.values.splice(i, 1);
        texts.unshift(text);
        this.values.unshift(value);
      }
      return value;
    }
    const value = compute(text);
    texts.unshift(text);
    this.values.unshift(value);
    const capacity = this.capacity();
    if (texts.length > capacity) {
      texts.length = capacity;
      this.values.length = capacity;
    }
    return value;
  }
}

/**
 * Facts about a text computed once per text: fixes and suppressions ask for them once per finding,
 * and a large template has many findings. The 16 texts used last are remembered.
 */
export function memoByText<T>(compute: (text: string) => T): (text: string) => T {
  const recent = new RecentByText<T>(() => 16);
  return (text: string) => recent.get(text, compute);
}

/** The line index of a text, shared by every caller that asks for the same text. */
export const lineIndexOf = memoByText((text: string) => new LineIndex(text));

/** The file's dominant line break ("\r\n" when most lines end so, else "\n"). */
export const detectEol = memoByText(computeEol);

function computeEol(text: string): string {
  if (text.indexOf('\r') < 0) return '\n';
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      else lf++;
    }
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The indentation unit the file uses: a tab, or the most common step of leading spaces (default two). */
export const detectIndentUnit = memoByText(computeIndentUnit);

function computeIndentUnit(text: string): string {
  const counts = new Map<number, number>();
  let tabs = 0;
  let spaced = 0;
  let prev = 0;
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim() === '') continue;
    const m = /^[ \t]*/.exec(line)![0];
    if (m.startsWith('\t')) {
      tabs++;
      continue;
    }
    const n = m.length;
    const step = Math.abs(n - prev);
    if (step > 0) {
      counts.set(step, (counts.get(step) ?? 0) + 1);
      spaced++;
    }
    prev = n;
  }
  if (tabs > spaced) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (step <= 8 && count > bestCount) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

/** Applies non-overlapping edits of one file's text; throws on overlap, which is a programming error. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.span.start < pos) throw new Error(`overlapping edits at offset ${e.span.start}`);
    out += text.slice(pos, e.span.start) + e.newText;
    pos = e.span.end;
  }
  return out + text.slice(pos);
}

/** Leading whitespace of the line that contains the offset. */
export function indentationAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  const m = /^[ \t]*/.exec(text.slice(s, s + 200))!;
  return m[0];
}

/** The single replacement that turns `before` into `after`, trimmed to what differs. */
export function minimalEdit(file: string, before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return { file, span: { start, end: endB }, newText: after.slice(start, endA) };
}
