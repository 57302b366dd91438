// Tokens of HCL native syntax. Every token carries its leading trivia (whitespace, comments) as
// text, so concatenating `lead + text` of all tokens in order reproduces the file exactly.
import type { Span } from '../../text';

export type Punct =
  | '{' | '}' | '[' | ']' | '(' | ')' | ',' | '.' | '...' | '=' | ':' | '?' | '!'
  | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '&&' | '||' | '=>';

export type TokenKind =
  | Punct
  | 'Ident'
  | 'Number'
  /** `"` opening a quoted template. */
  | 'OQuote'
  /** `"` closing a quoted template. */
  | 'CQuote'
  /** Literal text inside a quoted template (escapes not yet decoded). */
  | 'QuotedLit'
  /** `<<EOT` or `<<-EOT` including the line break after the marker. */
  | 'OHeredoc'
  /** The closing marker of a heredoc, with the indentation before it. */
  | 'CHeredoc'
  /** Literal text inside a heredoc (line breaks included). */
  | 'StringLit'
  /** `${` or `${~`. */
  | 'TemplateInterp'
  /** `%{` or `%{~`. */
  | 'TemplateControl'
  /** `}` or `~}` closing an interpolation or directive. */
  | 'TemplateSeqEnd'
  | 'Newline'
  | 'Invalid'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  /** Span of the token's own text (trivia excluded). */
  span: Span;
  /** Leading trivia: whitespace, comments and (where newlines are insignificant) line breaks. */
  lead: string;
  text: string;
}

export interface HclComment {
  span: Span;
  /** Comment text without its markers. */
  text: string;
}

export interface HclError {
  span: Span;
  message: string;
}
