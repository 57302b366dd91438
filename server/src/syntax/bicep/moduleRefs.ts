// The module declarations of a Bicep file found without building tokens or a tree: a character
// loop that knows comments, strings and interpolation. The deployment index uses it to learn who
// calls whom across a whole repository; anything it is not sure of makes it give up (undefined),
// and the caller parses the file instead.

export interface ModuleRef {
  /** The declaration's symbolic name. */
  name: string;
  /** The path string's value (single-quoted, without escapes or interpolation). */
  path: string;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/**
 * `module <name> '<path>'` declarations at the top level, in order, as the parser reads a file
 * without syntax errors. Undefined when the file holds anything this loop does not settle
 * (unbalanced brackets, an unterminated string or comment, an interpolated multi-line string, a
 * path with escapes or holes, `module` not at the start of a line).
 */
export function bicepModuleRefs(text: string): ModuleRef[] | undefined {
  const n = text.length;
  const refs: ModuleRef[] = [];
  let pos = 0;
  let depth = 0;
  // Bracket depth at each open interpolation `${`: its `}` at that depth resumes the string.
  const holes: number[] = [];
  // Whether only whitespace and comments precede `pos` on its line.
  let lineStart = true;

  /** Scans a '…' string body from `pos`; returns false when it is unterminated. Stops after `'` or `${`. */
  const stringBody = (): 'end' | 'hole' | 'bad' => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        const d = text.charCodeAt(pos + 1);
        if (pos + 1 >= n || d === 10 || d === 13) return 'bad';
        pos += 2;
      } else if (c === 39) {
        pos++;
        return 'end';
      } else if (c === 36 && text.charCodeAt(pos + 1) === 123) {
        pos += 2;
        holes.push(depth);
        return 'hole';
      } else if (c === 10 || c === 13) return 'bad';
      else pos++;
    }
    return 'bad';
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === 10 || c === 13) {
      pos++;
      lineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || (c === 0xfeff && pos === 0)) {
      pos++;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 47) {
      while (pos < n && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
      continue;
    }
    if (c === 47 && text.charCodeAt(pos + 1) === 42) {
      const close = text.indexOf('*/', pos + 2);
      if (close < 0) return undefined;
      // A block comment keeps the line state: the parser counts only real line breaks.
      pos = close + 2;
      continue;
    }
    if (c === 35 && isIdentStart(text.charCodeAt(pos + 1))) {
      // A directive (#disable-next-line …) runs to the end of the line.
      while (pos < n && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (c === 39) {
      if (text.startsWith("'''", pos)) {
        const close = text.indexOf("'''", pos + 3);
        if (close < 0) return undefined;
        pos = close + 3;
        while (pos < n && text.charCodeAt(pos) === 39) pos++;
        continue;
      }
      pos++;
      const r = stringBody();
      if (r === 'bad') return undefined;
      continue;
    }
    if (c === 36) {
      // `$'''` opens an interpolated multi-line string: not settled here.
      let run = 0;
      while (text.charCodeAt(pos + run) === 36) run++;
      if (text.startsWith("'''", pos + run)) return undefined;
      pos += run;
      continue;
    }
    if (c === 123 || c === 91 || c === 40) {
      depth++;
      pos++;
      continue;
    }
    if (c === 125 && holes.length > 0 && holes[holes.length - 1] === depth) {
      // The end of an interpolation: the string goes on.
      holes.pop();
      pos++;
      const r = stringBody();
      if (r === 'bad') return undefined;
      continue;
    }
    if (c === 125 || c === 93 || c === 41) {
      if (depth === 0) return undefined;
      depth--;
      pos++;
      continue;
    }
    if (isIdentStart(c)) {
      const start = pos;
      pos++;
      while (pos < n && isIdentPart(text.charCodeAt(pos))) pos++;
      if (depth !== 0 || holes.length > 0 || pos - start !== 6 || !text.startsWith('module', start)) continue;
      if (!atLineStart) {
        // `x.module`, `param module string`: not a declaration, and never at a line start.
        const prev = previousSignificant(text, start);
        if (prev === 46 || isIdentPart(prev) || prev === 39) continue;
        return undefined;
      }
      const ref = moduleHead(text, pos);
      if (!ref) return undefined;
      refs.push(ref.ref);
      pos = ref.end;
      continue;
    }
    pos++;
  }
  if (depth !== 0 || holes.length > 0) return undefined;
  return refs;
}

/** The character code before `at` on the same line, skipping spaces and tabs (-1 at a line start). */
function previousSignificant(text: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0) return -1;
  const c = text.charCodeAt(i);
  return c === 10 || c === 13 ? -1 : c;
}

/** After `module` at a line start: ` <name> '<path>'`, or undefined when it is anything else. */
function moduleHead(text: string, from: number): { ref: ModuleRef; end: number } | undefined {
  let pos = from;
  const skipSpace = () => {
    while (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9) pos++;
  };
  skipSpace();
  if (pos === from || !isIdentStart(text.charCodeAt(pos))) return undefined;
  const nameStart = pos;
  while (isIdentPart(text.charCodeAt(pos))) pos++;
  const name = text.slice(nameStart, pos);
  skipSpace();
  if (text.charCodeAt(pos) !== 39 || text.startsWith("'''", pos)) return undefined;
  const pathStart = pos + 1;
  pos = pathStart;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (Number.isNaN(c) || c === 10 || c === 13 || c === 92) return undefined;
    if (c === 36 && text.charCodeAt(pos + 1) === 123) return undefined;
    if (c === 39) break;
    pos++;
  }
  return { ref: { name, path: text.slice(pathStart, pos) }, end: pos + 1 };
}
