// Public entry of the Bicep syntax layer: parseBicep (text → lossless tree + errors + comments)
// and printBicep (tree → text).
import { scanBicep } from './scanner';
import type { ScannedComment, ScanError, Token } from './scanner';
import { BicepParser } from './parser';
import type * as N from './nodes';
import { isToken } from './nodes';
import { ParseMemo } from '../memo';

export type { Token, Trivia, TokenKind } from './scanner';
export * from './nodes';

export interface BicepParseResult {
  tree: N.ProgramNode;
  errors: ScanError[];
  comments: ScannedComment[];
}

const memo = new ParseMemo<BicepParseResult>();

/** Parses Bicep (or .bicepparam) text into a lossless syntax tree (shared: never mutate it). Never throws. */
export function parseBicep(text: string): BicepParseResult {
  return memo.get(text, parseBicepUncached);
}

/** Parses without the memo (benchmarks measure the parser itself). */
export function parseBicepUncached(text: string): BicepParseResult {
  const scan = scanBicep(text);
  const parser = new BicepParser(scan.tokens);
  const tree = parser.parseProgram();
  const errors = [...scan.errors, ...parser.errors].sort((a, b) => a.span.start - b.span.start);
  return { tree, errors, comments: scan.comments };
}

/** Prints a tree back to text: every token with its trivia, in order (iterative, so deep trees are fine). */
export function printBicep(tree: N.SyntaxNode): string {
  const parts: string[] = [];
  const stack: N.Child[] = [tree];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (isToken(c)) {
      for (const t of c.leading) parts.push(t.text);
      parts.push(c.text);
      for (const t of c.trailing) parts.push(t.text);
    } else {
      const ch = c.children;
      for (let k = ch.length - 1; k >= 0; k--) stack.push(ch[k]);
    }
  }
  return parts.join('');
}

/** Every token of a subtree in order. */
export function tokensOf(node: N.Child): Token[] {
  const out: Token[] = [];
  const stack: N.Child[] = [node];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (isToken(c)) out.push(c);
    else for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]);
  }
  return out;
}
