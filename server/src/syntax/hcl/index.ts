// HCL native syntax: scanner, lossless parser, printer and literal evaluation.
export { parseHcl, type ParseResult } from './parser';
export { printHcl } from './printer';
export { scan } from './scanner';
export * from './nodes';
export type { Token, TokenKind, HclComment, HclError } from './tokens';
export { literalValue, templateLiteralText, labelText, objectKeyText, decodeQuoted, flushHeredoc, type HclLiteral } from './literal';
