// How a syntax-error message names the text it stumbled on: a keyword or a bit of punctuation is
// quoted; anything longer, or that could be a credential (a token typed where a string was
// expected), is described by its length only, so a secret never leaks through the error path.

const QUOTABLE = /^(?:[A-Za-z_][A-Za-z_-]{0,11}|[^\w\s'"`]{1,3})$/;

/** `'text'` for a short keyword or punctuation, else a neutral description. */
export function quoteToken(text: string): string {
  if (QUOTABLE.test(text)) return `'${text}'`;
  if (text.length === 0) return 'nothing';
  return text.length === 1 ? 'a character' : `text of ${text.length} characters`;
}
