// Scanner for HCL native syntax. Template strings and heredocs nest inside expressions and
// expressions inside templates, so the scanner keeps a stack of modes, as HashiCorp's does.
import { quoteToken } from '../quote';
import type { HclComment, HclError, Token, TokenKind } from './tokens';

type Frame =
  | { kind: 'brace' }
  /** `depth` counts open ( and [ ; `inQuoted` when the template is a quoted string. */
  | { kind: 'interp'; depth: number; inQuoted: boolean }
  | { kind: 'quoted' }
  | { kind: 'heredoc'; marker: string; lineStart: boolean };

export interface ScanResult {
  tokens: Token[];
  comments: HclComment[];
  errors: HclError[];
}

const THREE = new Set(['...']);
const TWO = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>']);
const ONE = new Set(['[', ']', '(', ')', ',', '.', '=', ':', '?', '!', '<', '>', '+', '-', '*', '/', '%']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '-' || (c > '\x7f' && /[\p{N}\p{Mn}\p{Mc}\p{Pc}]/u.test(c));
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Splits HCL source text into tokens with trivia; never throws. */
export function scan(text: string): ScanResult {
  const tokens: Token[] = [];
  const comments: HclComment[] = [];
  const errors: HclError[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let pos = 0;

  const push = (kind: TokenKind, start: number, end: number, lead: string) => {
    tokens.push({ kind, span: { start, end }, lead, text: text.slice(start, end) });
  };

  const scanTrivia = (): string => {
    const start = pos;
    for (;;) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
        pos++;
      } else if (c === '\r' && text[pos + 1] !== '\n') {
        pos++;
      } else if (c === '#' || (c === '/' && text[pos + 1] === '/')) {
        const markerLen = c === '#' ? 1 : 2;
        const cStart = pos;
        pos += markerLen;
        while (pos < n && text[pos] !== '\n' && !(text[pos] === '\r' && text[pos + 1] === '\n')) pos++;
        comments.push({ span: { start: cStart, end: pos }, text: text.slice(cStart + markerLen, pos) });
      } else if (c === '/' && text[pos + 1] === '*') {
        const cStart = pos;
        const close = text.indexOf('*/', pos + 2);
        if (close < 0) {
          pos = n;
          errors.push({ span: { start: cStart, end: n }, message: 'unterminated comment: add */' });
          comments.push({ span: { start: cStart, end: n }, text: text.slice(cStart + 2, n) });
        } else {
          pos = close + 2;
          comments.push({ span: { start: cStart, end: pos }, text: text.slice(cStart + 2, close) });
        }
      } else break;
    }
    return text.slice(start, pos);
  };

  const scanNormal = () => {
    const lead = scanTrivia();
    const start = pos;
    if (pos >= n) {
      push('EOF', pos, pos, lead);
      return;
    }
    const c = text[pos];
    if (c === '\n' || (c === '\r' && text[pos + 1] === '\n')) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'interp' && top.inQuoted && top.depth <= 0) {
        // A line break in `"${…` outside brackets: the string was left unterminated. Recover
        // here so the rest of the file is not read as part of the template.
        stack.pop();
        if (stack[stack.length - 1]?.kind === 'quoted') stack.pop();
      }
      pos += c === '\n' ? 1 : 2;
      push('Newline', start, pos, lead);
      return;
    }
    if (isIdentStart(c)) {
      pos++;
      while (pos < n && isIdentPart(text[pos])) pos++;
      push('Ident', start, pos, lead);
      return;
    }
    if (isDigit(c)) {
      while (pos < n && isDigit(text[pos])) pos++;
      if (text[pos] === '.' && isDigit(text[pos + 1] ?? '')) {
        pos++;
        while (pos < n && isDigit(text[pos])) pos++;
      }
      if ((text[pos] === 'e' || text[pos] === 'E')) {
        let p = pos + 1;
        if (text[p] === '+' || text[p] === '-') p++;
        if (isDigit(text[p] ?? '')) {
          pos = p;
          while (pos < n && isDigit(text[pos])) pos++;
        }
      }
      push('Number', start, pos, lead);
      return;
    }
    if (c === '"') {
      pos++;
      stack.push({ kind: 'quoted' });
      push('OQuote', start, pos, lead);
      return;
    }
    if (c === '{') {
      pos++;
      stack.push({ kind: 'brace' });
      push('{', start, pos, lead);
      return;
    }
    if (c === '}' || (c === '~' && text[pos + 1] === '}')) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'interp') {
        stack.pop();
        pos += c === '~' ? 2 : 1;
        push('TemplateSeqEnd', start, pos, lead);
        return;
      }
      if (c === '}') {
        if (top?.kind === 'brace') stack.pop();
        pos++;
        push('}', start, pos, lead);
        return;
      }
    }
    if (c === '<' && text[pos + 1] === '<') {
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)(\r?\n)/.exec(text.slice(pos, pos + 260));
      if (m) {
        pos += m[0].length;
        stack.push({ kind: 'heredoc', marker: m[2], lineStart: true });
        push('OHeredoc', start, pos, lead);
        return;
      }
    }
    const three = text.slice(pos, pos + 3);
    if (THREE.has(three)) {
      pos += 3;
      push(three as TokenKind, start, pos, lead);
      return;
    }
    const two = text.slice(pos, pos + 2);
    if (TWO.has(two)) {
      pos += 2;
      push(two as TokenKind, start, pos, lead);
      return;
    }
    if (ONE.has(c)) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'interp') {
        if (c === '(' || c === '[') top.depth++;
        else if (c === ')' || c === ']') top.depth--;
      }
      pos++;
      push(c as TokenKind, start, pos, lead);
      return;
    }
    // One invalid character (a whole surrogate pair counts as one).
    const code = text.codePointAt(pos) ?? 0;
    pos += code > 0xffff ? 2 : 1;
    errors.push({ span: { start, end: pos }, message: `invalid character ${quoteToken(text.slice(start, pos))}` });
    push('Invalid', start, pos, lead);
  };

  /** `${`, `%{` (with optional `~`) at pos; returns true and emits the token when present. */
  const scanTemplateOpen = (): boolean => {
    const c = text[pos];
    if ((c === '$' || c === '%') && text[pos + 1] === '{') {
      const start = pos;
      pos += text[pos + 2] === '~' ? 3 : 2;
      stack.push({ kind: 'interp', depth: 0, inQuoted: stack[stack.length - 1]?.kind === 'quoted' });
      push(c === '$' ? 'TemplateInterp' : 'TemplateControl', start, pos, '');
      return true;
    }
    return false;
  };

  const scanQuoted = () => {
    const start = pos;
    const c = text[pos];
    if (c === '"') {
      pos++;
      stack.pop();
      push('CQuote', start, pos, '');
      return;
    }
    if (pos >= n || c === '\n' || (c === '\r' && text[pos + 1] === '\n')) {
      // Unterminated string: leave template mode; the parser reports the missing quote.
      stack.pop();
      return;
    }
    if (scanTemplateOpen()) return;
    while (pos < n) {
      const d = text[pos];
      if (d === '"' || d === '\n' || (d === '\r' && text[pos + 1] === '\n')) break;
      if (d === '\\') {
        pos += text[pos + 1] === '\n' || text[pos + 1] === undefined ? 1 : 2;
        continue;
      }
      if ((d === '$' || d === '%') && text[pos + 1] === '{') break;
      if ((d === '$' || d === '%') && text[pos + 1] === d && text[pos + 2] === '{') {
        pos += 3;
        continue;
      }
      pos++;
    }
    push('QuotedLit', start, pos, '');
  };

  const scanHeredoc = (frame: { kind: 'heredoc'; marker: string; lineStart: boolean }) => {
    const start = pos;
    if (frame.lineStart) {
      let p = pos;
      while (text[p] === ' ' || text[p] === '\t') p++;
      if (text.startsWith(frame.marker, p)) {
        const after = p + frame.marker.length;
        if (after >= n || text[after] === '\n' || (text[after] === '\r' && text[after + 1] === '\n')) {
          pos = after;
          stack.pop();
          push('CHeredoc', start, pos, '');
          return;
        }
      }
      if (pos >= n) {
        stack.pop();
        errors.push({ span: { start: pos, end: pos }, message: `unterminated heredoc: add a line with ${frame.marker.length <= 20 && /^\w+$/.test(frame.marker) ? frame.marker : 'its closing marker'}` });
        return;
      }
    }
    if (scanTemplateOpen()) {
      frame.lineStart = false;
      return;
    }
    frame.lineStart = false;
    while (pos < n) {
      const d = text[pos];
      if (d === '\n') {
        pos++;
        frame.lineStart = true;
        break;
      }
      if ((d === '$' || d === '%') && text[pos + 1] === '{') break;
      if ((d === '$' || d === '%') && text[pos + 1] === d && text[pos + 2] === '{') {
        pos += 3;
        continue;
      }
      pos++;
    }
    if (pos >= n && !frame.lineStart) frame.lineStart = true;
    if (pos > start) push('StringLit', start, pos, '');
  };

  let guard = 0;
  for (;;) {
    const before = pos;
    const count = tokens.length;
    const top = stack[stack.length - 1];
    if (top?.kind === 'quoted') scanQuoted();
    else if (top?.kind === 'heredoc') scanHeredoc(top);
    else scanNormal();
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'EOF' && tokens.length > count) break;
    // Mode changes may emit nothing; make sure the loop cannot spin.
    if (pos === before && tokens.length === count) {
      if (++guard > 4) {
        stack.length = 0;
      }
    } else guard = 0;
  }
  return { tokens, comments, errors };
}
