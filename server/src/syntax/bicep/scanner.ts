// Bicep scanner: turns text into tokens that carry their leading and trailing trivia, so the
// concatenation of every token's trivia and text is the file, byte for byte.
import { quoteToken } from '../quote';

export type TokenKind =
  | 'Identifier'
  | 'Number'
  | 'String' // a complete single-line string without interpolation: 'abc'
  | 'StringLeft' // 'abc${
  | 'StringMiddle' // }abc${
  | 'StringRight' // }abc'
  | 'MultilineString' // '''…''' or $'''…''' without holes
  | 'MultilineStringLeft' // $'''abc${
  | 'MultilineStringMiddle' // }abc${
  | 'MultilineStringRight' // }abc'''
  | '{' | '}' | '[' | ']' | '(' | ')'
  | ',' | ':' | '::' | '.' | '.?' | '...'
  | '=' | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=' | '=>'
  | '+' | '-' | '*' | '/' | '%' | '!' | '&&' | '||' | '??' | '?' | '|' | '@' | '^'
  | 'Unknown'
  | 'EOF';

export type TriviaKind = 'whitespace' | 'newline' | 'lineComment' | 'blockComment' | 'directive' | 'bom';

export interface Trivia {
  kind: TriviaKind;
  start: number;
  end: number;
  text: string;
}

export interface Token {
  tk: TokenKind;
  text: string;
  start: number;
  end: number;
  leading: Trivia[];
  trailing: Trivia[];
  /** A line break occurs in the leading trivia (or the token starts the file). */
  nl: boolean;
  /** The token is the first thing on its line, at column 0. */
  col0: boolean;
}

export interface ScanError {
  span: { start: number; end: number };
  message: string;
}

export interface ScannedComment {
  span: { start: number; end: number };
  text: string;
}

export interface ScanResult {
  tokens: Token[];
  errors: ScanError[];
  comments: ScannedComment[];
}

const NO_TRIVIA: Trivia[] = [];

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Scans Bicep text into tokens with trivia. Never throws; every character lands in a token or trivia. */
export function scanBicep(text: string): ScanResult {
  const tokens: Token[] = [];
  const errors: ScanError[] = [];
  const comments: ScannedComment[] = [];
  const n = text.length;
  let pos = 0;
  // One entry per open interpolation `${`: the number of brackets opened inside it and not yet
  // closed, and the string it belongs to: 0 for a '…' string, n for a multi-line string with n `$`.
  const templates: number[] = [];
  const templateDollars: number[] = [];
  const scratch: Trivia[] = [];

  /** Scans trivia from `pos`; stops before a line break when `sameLine`. */
  function scanTrivia(sameLine: boolean): Trivia[] {
    // Collected in a scratch list and copied at the exact length (most tokens have one or two trivia).
    const out = scratch;
    out.length = 0;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      const start = pos;
      let kind: TriviaKind;
      if (c === 32 || c === 9) {
        pos++;
        while (pos < n) {
          const d = text.charCodeAt(pos);
          if (d !== 32 && d !== 9) break;
          pos++;
        }
        kind = 'whitespace';
      } else if (c === 10 || c === 13) {
        if (sameLine) break;
        pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
        // An interpolation left open at the end of a line (half-typed '${x) is abandoned, so a later
        // `}` is not taken for the rest of that string.
        if (templates.length > 0 && templates[templates.length - 1] === 0 && templateDollars[templateDollars.length - 1] === 0) {
          templates.length = 0;
          templateDollars.length = 0;
        }
        kind = 'newline';
      } else if (c === 47 && text.charCodeAt(pos + 1) === 47) {
        pos += 2;
        while (pos < n) {
          const d = text.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
        kind = 'lineComment';
        comments.push({ span: { start, end: pos }, text: text.slice(start + 2, pos) });
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
        const close = text.indexOf('*/', pos + 2);
        if (close < 0) {
          pos = n;
          errors.push({ span: { start, end: n }, message: 'Unterminated multi-line comment: add */.' });
          comments.push({ span: { start, end: n }, text: text.slice(start + 2, n) });
        } else {
          pos = close + 2;
          comments.push({ span: { start, end: pos }, text: text.slice(start + 2, close) });
        }
        kind = 'blockComment';
      } else if (c === 35 && isIdentStart(text.charCodeAt(pos + 1))) {
        pos++;
        while (pos < n) {
          const d = text.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
        kind = 'directive';
      } else if (c === 0xfeff && pos === 0) {
        pos++;
        kind = 'bom';
      } else break;
      out.push({ kind, start, end: pos, text: text.slice(start, pos) });
    }
    return out.length === 0 ? NO_TRIVIA : out.slice();
  }

  /** Scans the body of a string from `pos` (after `'` or `}`) up to and including `'` or `${`. */
  function scanStringBody(opening: boolean, start: number): TokenKind {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        // Escape: the next character is taken literally (a line break still ends the string).
        const d = text.charCodeAt(pos + 1);
        if (pos + 1 >= n || d === 10 || d === 13) {
          pos++;
          continue;
        }
        pos += 2;
        continue;
      }
      if (c === 39) {
        pos++;
        return opening ? 'String' : 'StringRight';
      }
      if (c === 36 && text.charCodeAt(pos + 1) === 123) {
        pos += 2;
        templates.push(0);
        templateDollars.push(0);
        return opening ? 'StringLeft' : 'StringMiddle';
      }
      if (c === 10 || c === 13) break;
      pos++;
    }
    errors.push({ span: { start, end: pos }, message: "Unterminated string: add the closing '." });
    return opening ? 'String' : 'StringRight';
  }

  /**
   * Scans the body of an interpolated multi-line string (`$'''…'''`, `$$'''…'''`) from `pos` up to
   * and including `'''` or a hole opener: `dollars` or more `$` followed by `{`.
   */
  function scanMultilineBody(opening: boolean, start: number, dollars: number): TokenKind {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 39 && text.charCodeAt(pos + 1) === 39 && text.charCodeAt(pos + 2) === 39) {
        pos += 3;
        while (pos < n && text.charCodeAt(pos) === 39) pos++;
        return opening ? 'MultilineString' : 'MultilineStringRight';
      }
      if (c === 36) {
        let run = 0;
        while (text.charCodeAt(pos + run) === 36) run++;
        if (run >= dollars && text.charCodeAt(pos + run) === 123) {
          pos += run + 1;
          templates.push(0);
          templateDollars.push(dollars);
          return opening ? 'MultilineStringLeft' : 'MultilineStringMiddle';
        }
        pos += run;
        continue;
      }
      pos++;
    }
    errors.push({ span: { start, end: pos }, message: "Unterminated multi-line string: add the closing '''." });
    return opening ? 'MultilineString' : 'MultilineStringRight';
  }

  // Brackets inside an interpolation are counted too, so a hole that spans lines inside a call stays open.
  function openBracket(): void {
    if (templates.length > 0) templates[templates.length - 1]++;
  }
  function closeBracket(): void {
    if (templates.length > 0 && templates[templates.length - 1] > 0) templates[templates.length - 1]--;
  }

  function scanToken(): TokenKind {
    const c = text.charCodeAt(pos);
    const c1 = text.charCodeAt(pos + 1);
    if (isIdentStart(c)) {
      pos++;
      while (pos < n && isIdentPart(text.charCodeAt(pos))) pos++;
      return 'Identifier';
    }
    if (isDigit(c)) {
      pos++;
      while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) === 46 && isDigit(text.charCodeAt(pos + 1))) {
        pos++;
        while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
      }
      return 'Number';
    }
    switch (c) {
      case 39: {
        if (c1 === 39 && text.charCodeAt(pos + 2) === 39) {
          const start = pos;
          const close = text.indexOf("'''", pos + 3);
          if (close < 0) {
            pos = n;
            errors.push({ span: { start, end: n }, message: "Unterminated multi-line string: add the closing '''." });
          } else {
            pos = close + 3;
            // A run of more than three quotes closes at its end: the extra quotes belong to the content.
            while (pos < n && text.charCodeAt(pos) === 39) pos++;
          }
          return 'MultilineString';
        }
        const start = pos;
        pos++;
        return scanStringBody(true, start);
      }
      case 123:
        pos++;
        if (templates.length > 0) templates[templates.length - 1]++;
        return '{';
      case 36: {
        // $'''…''' (or $$'''…''', …): a multi-line string with interpolation.
        let run = 0;
        while (text.charCodeAt(pos + run) === 36) run++;
        if (text.charCodeAt(pos + run) === 39 && text.charCodeAt(pos + run + 1) === 39 && text.charCodeAt(pos + run + 2) === 39) {
          const start = pos;
          pos += run + 3;
          return scanMultilineBody(true, start, run);
        }
        break;
      }
      case 125: {
        if (templates.length > 0 && templates[templates.length - 1] === 0) {
          templates.pop();
          const dollars = templateDollars.pop() ?? 0;
          const start = pos;
          pos++;
          return dollars > 0 ? scanMultilineBody(false, start, dollars) : scanStringBody(false, start);
        }
        if (templates.length > 0) templates[templates.length - 1]--;
        pos++;
        return '}';
      }
      case 91: pos++; openBracket(); return '[';
      case 93: pos++; closeBracket(); return ']';
      case 40: pos++; openBracket(); return '(';
      case 41: pos++; closeBracket(); return ')';
      case 44: pos++; return ',';
      case 58:
        if (c1 === 58) { pos += 2; return '::'; }
        pos++; return ':';
      case 46:
        if (c1 === 63) { pos += 2; return '.?'; }
        if (c1 === 46 && text.charCodeAt(pos + 2) === 46) { pos += 3; return '...'; }
        pos++; return '.';
      case 61:
        if (c1 === 61) { pos += 2; return '=='; }
        if (c1 === 126) { pos += 2; return '=~'; }
        if (c1 === 62) { pos += 2; return '=>'; }
        pos++; return '=';
      case 33:
        if (c1 === 61) { pos += 2; return '!='; }
        if (c1 === 126) { pos += 2; return '!~'; }
        pos++; return '!';
      case 60:
        if (c1 === 61) { pos += 2; return '<='; }
        pos++; return '<';
      case 62:
        if (c1 === 61) { pos += 2; return '>='; }
        pos++; return '>';
      case 43: pos++; return '+';
      case 45: pos++; return '-';
      case 42: pos++; return '*';
      case 47: pos++; return '/';
      case 37: pos++; return '%';
      case 38:
        if (c1 === 38) { pos += 2; return '&&'; }
        break;
      case 124:
        if (c1 === 124) { pos += 2; return '||'; }
        pos++; return '|';
      case 63:
        if (c1 === 63) { pos += 2; return '??'; }
        pos++; return '?';
      case 64: pos++; return '@';
      case 94: pos++; return '^';
    }
    // Unknown character (keep surrogate pairs together).
    const start = pos;
    pos += c >= 0xd800 && c <= 0xdbff && pos + 1 < n ? 2 : 1;
    errors.push({ span: { start, end: pos }, message: `Unexpected character ${quoteToken(text.slice(start, pos))}.` });
    return 'Unknown';
  }

  for (;;) {
    const leading = scanTrivia(false);
    let nl = tokens.length === 0;
    for (const t of leading) if (t.kind === 'newline') { nl = true; break; }
    const start = pos;
    const col0 = start === 0 || text.charCodeAt(start - 1) === 10 || text.charCodeAt(start - 1) === 13 || (start === 1 && text.charCodeAt(0) === 0xfeff);
    if (pos >= n) {
      tokens.push({ tk: 'EOF', text: '', start, end: start, leading, trailing: NO_TRIVIA, nl, col0 });
      break;
    }
    const tk = scanToken();
    const end = pos;
    const trailing = scanTrivia(true);
    tokens.push({ tk, text: text.slice(start, end), start, end, leading, trailing, nl, col0 });
  }
  return { tokens, errors, comments };
}
