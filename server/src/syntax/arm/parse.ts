// ARM JSON: plain JSON through the fast tree builder (./fast-tree), anything else (comments, errors) through
// jsonc-parser, which gives the same tree; comments, trailing commas, a BOM and CRLF are accepted.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Comment, SyntaxError } from '../../model/types';
import { fastJsonTree } from './fast-tree';

export interface ArmParse {
  root: Node | undefined;
  errors: SyntaxError[];
  comments: Comment[];
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** The text with a leading BOM blanked out (same length, so offsets stay valid). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

/** Deepest nesting of arrays and objects that is parsed; deeper values are blanked out. */
export const MAX_JSON_DEPTH = 128;

/**
 * The text with every array or object nested deeper than `maxDepth` replaced by `0` and spaces
 * (line breaks kept, so offsets and lines stay valid), and where the first one started. The
 * parser, lowering and rules then never recurse deeper than the bound.
 */
export function maskTooDeep(text: string, maxDepth = MAX_JSON_DEPTH): { text: string; at?: number } {
  // The open brackets: a closer that does not match the innermost one closes nothing here, so the
  // count never falls below the parser's (jsonc-parser skips a `}` inside an array).
  const open: number[] = [];
  let at: number | undefined;
  const ranges: [number, number][] = [];
  const re = new RegExp(STRUCTURAL.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ || c === 47 /* / */) re.lastIndex = skipStringOrComment(text, i) + 1;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (open.length === maxDepth) {
        const end = skipGroup(text, i);
        ranges.push([i, end]);
        at ??= i;
        re.lastIndex = end + 1;
      } else open.push(c);
    } else if (open.length > 0 && open[open.length - 1] === (c === 93 /* ] */ ? 91 : 123)) open.pop();
  }
  if (ranges.length === 0) return { text };
  let out = '';
  let last = 0;
  for (const [start, end] of ranges) {
    const blank = text.slice(start, end + 1).replace(/[^\r\n]/g, ' ');
    out += text.slice(last, start) + '0' + blank.slice(1);
    last = end + 1;
  }
  return { text: out + text.slice(last), at };
}

// Characters that matter for nesting: quotes and slashes (strings and comments are skipped) and brackets.
const STRUCTURAL = /["/[\]{}]/;

const STRING_OR_COMMENT_AT = /"(?:[^"\\\n\r]|\\.)*"?|\/\/[^\n\r]*|\/\*[\s\S]*?(?:\*\/|$)/y;

/** The last offset of the string or comment starting at `i` (`i` itself for a lone slash). */
function skipStringOrComment(text: string, i: number): number {
  STRING_OR_COMMENT_AT.lastIndex = i;
  const m = STRING_OR_COMMENT_AT.exec(text);
  return m ? i + Math.max(m[0].length, 1) - 1 : i;
}

/** The offset of the bracket closing the group opened at `open` (or the last offset), skipping strings and comments. */
function skipGroup(text: string, start: number): number {
  const open: number[] = [];
  const re = new RegExp(STRUCTURAL.source, 'g');
  re.lastIndex = start;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 34 || c === 47) re.lastIndex = skipStringOrComment(text, i) + 1;
    else if (c === 91 || c === 123) open.push(c);
    else if (open[open.length - 1] === (c === 93 ? 91 : 123)) {
      open.pop();
      if (open.length === 0) return i;
    }
  }
  return text.length - 1;
}

/** Parses JSON with comments; never throws. */
export function parseArm(file: string, text: string): ArmParse {
  let src = withoutBom(text);
  // Plain JSON (the usual template) is built by the fast builder: no errors and no comments by construction.
  const fast = fastJsonTree(src, MAX_JSON_DEPTH);
  if (fast) return { root: fast, errors: [], comments: [] };
  let rawErrors: ParseError[] = [];
  let root: Node | undefined;
  let at: number | undefined;
  // Parse first; only a text nested too deeply (the parser overflows, or the tree is too deep) is masked and parsed again.
  let tooDeep = false;
  try {
    root = parseTree(src, rawErrors, PARSE_OPTIONS);
    tooDeep = deeperThan(root, MAX_JSON_DEPTH);
  } catch {
    tooDeep = true;
  }
  if (tooDeep) {
    const masked = maskTooDeep(src);
    src = masked.text;
    at = masked.at;
    rawErrors = [];
    try {
      root = parseTree(src, rawErrors, PARSE_OPTIONS);
    } catch (e) {
      return { root: undefined, errors: [{ file, span: { start: 0, end: 0 }, message: `cannot parse JSON: ${String(e)}` }], comments: [] };
    }
    // The bound holds whatever the text: a tree the mask could not bring within it is not analysed.
    if (deeperThan(root, MAX_JSON_DEPTH)) {
      const start = at ?? 0;
      return { root: undefined, errors: [{ file, span: { start, end: start + 1 }, message: `Nested too deeply (more than ${MAX_JSON_DEPTH} levels): the file is not analysed.` }], comments: [] };
    }
  }
  const comments = findComments(src);
  const errors = rawErrors.map((e) => ({
    file,
    span: { start: e.offset, end: e.offset + e.length },
    message: describeError(printParseErrorCode(e.error)),
  }));
  if (at !== undefined) {
    errors.unshift({ file, span: { start: at, end: at + 1 }, message: `Nested too deeply (more than ${MAX_JSON_DEPTH} levels): the part below is not analysed.` });
  }
  return { root, errors, comments };
}

/** Whether arrays and objects nest deeper than `max` in a tree (the recursion stops at `max`). */
function deeperThan(node: Node | undefined, max: number): boolean {
  if (!node) return false;
  const children = node.children;
  if (!children) return false;
  const container = node.type === 'array' || node.type === 'object';
  if (container && max === 0) return true;
  const next = container ? max - 1 : max;
  for (let i = 0; i < children.length; i++) if (children[i].children && deeperThan(children[i], next)) return true;
  return false;
}

function describeError(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A property's value node of an object node (case-insensitive, last one wins). */
export function child(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.type !== 'object' || !node.children) return undefined;
  const k = key.toLowerCase();
  let found: Node | undefined;
  for (const prop of node.children) {
    const name = prop.children?.[0];
    if (name && typeof name.value === 'string' && name.value.toLowerCase() === k) found = prop.children?.[1];
  }
  return found;
}

/** The string value of a node, or undefined. */
export function stringOf(node: Node | undefined): string | undefined {
  return node && node.type === 'string' ? (node.value as string) : undefined;
}

// Strings are matched (and skipped) so that `//` inside a URL is not taken for a comment.
const STRING_OR_COMMENT = /"(?:[^"\\\n\r]|\\.)*"?|\/\/[^\n\r]*|\/\*[\s\S]*?(?:\*\/|$)/g;

const MAYBE_COMMENT = /(?<!:)\/\/|\/\*/;

/** Comments of a JSON text, found in one regular-expression pass that skips strings. */
export function findComments(text: string): Comment[] {
  const out: Comment[] = [];
  // `//` right after a colon is a URL (`https://`), not a comment: a text with only those has none.
  if (!MAYBE_COMMENT.test(text)) return out;
  for (const m of text.matchAll(STRING_OR_COMMENT)) {
    const raw = m[0];
    if (raw.charCodeAt(0) === 34) continue;
    const start = m.index!;
    const body = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') && raw.length >= 4 ? -2 : undefined);
    out.push({ span: { start, end: start + raw.length }, text: body });
  }
  return out;
}
