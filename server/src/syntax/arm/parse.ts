// ARM JSON through jsonc-parser: comments, trailing commas, a BOM and CRLF are accepted.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Comment, SyntaxError } from '../../model/types';

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

/** Parses JSON with comments; never throws. */
export function parseArm(file: string, text: string): ArmParse {
  const src = withoutBom(text);
  const rawErrors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(src, rawErrors, PARSE_OPTIONS);
  } catch (e) {
    return { root: undefined, errors: [{ file, span: { start: 0, end: 0 }, message: `cannot parse JSON: ${String(e)}` }], comments: [] };
  }
  const comments = findComments(src);
  const errors = rawErrors.map((e) => ({
    file,
    span: { start: e.offset, end: e.offset + e.length },
    message: describeError(printParseErrorCode(e.error)),
  }));
  return { root, errors, comments };
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

/** Comments of a JSON text, found in one regular-expression pass that skips strings. */
export function findComments(text: string): Comment[] {
  const out: Comment[] = [];
  if (text.indexOf('//') < 0 && text.indexOf('/*') < 0) return out;
  for (const m of text.matchAll(STRING_OR_COMMENT)) {
    const raw = m[0];
    if (raw.charCodeAt(0) === 34) continue;
    const start = m.index!;
    const body = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') && raw.length >= 4 ? -2 : undefined);
    out.push({ span: { start, end: start + raw.length }, text: body });
  }
  return out;
}
