// Prints a syntax tree (or any node) back to text: the concatenation of its tokens with trivia.
import { isToken, type Child } from './nodes';

/** The exact source text of a node, including the leading trivia of its first token. */
export function printHcl(node: Child): string {
  const out: string[] = [];
  const stack: Child[] = [node];
  while (stack.length) {
    const c = stack.pop()!;
    if (isToken(c)) {
      out.push(c.lead, c.text);
    } else {
      for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]);
    }
  }
  return out.join('');
}
