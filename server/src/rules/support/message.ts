// Diagnostic messages lead with the fact and end with the action, in at most 120 characters;
// the why and the detail live in the hover.
import { describeVersionSource } from '../../model/origin';
import type { ProviderVersion, Unit } from '../../model/types';
import type { RelatedInfo } from '../../engine/types';

export const MAX_MESSAGE_LENGTH = 120;
/** A quoted user text ('value', `name`) is never cut below this many characters, its quotes included. */
const MIN_QUOTED = 14;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "fact: why. Action." when it fits in 120 characters, else "fact: action.". */
export function message(fact: string, action: string, why?: string): string {
  if (why) {
    const full = `${fact}: ${why}. ${capitalise(action)}.`;
    if (full.length <= MAX_MESSAGE_LENGTH) return full;
  }
  return `${fact}: ${action}.`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The first message that fits in 120 characters, else the last (which the engine shortens). */
export function firstFitting(...candidates: string[]): string {
  return candidates.find((c) => c.length <= MAX_MESSAGE_LENGTH) ?? candidates[candidates.length - 1];
}

/** `text` cut to `length` characters with an ellipsis, never inside a surrogate pair. */
function cut(text: string, length: number): string {
  let end = length - 1;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

// 'value' or `name`: opened at the start, after a space or a parenthesis, closed before the end,
// a space or punctuation (so the apostrophe of "don't" opens nothing).
const QUOTED = /(?<=^|[\s(])(['`])([^'`\n]+)\1(?=$|[\s),.:;])/g;

/** Cuts the longest quoted texts, down to the same length and never below MIN_QUOTED, to save `excess` characters. */
function shortenQuoted(text: string, excess: number): string {
  const quoted = [...text.matchAll(QUOTED)].map((m) => ({ start: m.index + 1, inner: m[2] }));
  let level = Math.max(0, ...quoted.map((q) => q.inner.length));
  const saved = (l: number) => quoted.reduce((n, q) => n + Math.max(0, q.inner.length - l), 0);
  while (level > MIN_QUOTED - 2 && saved(level) < excess) level--;
  if (saved(level) === 0) return text;
  let out = '';
  let at = 0;
  for (const q of quoted) {
    if (q.inner.length <= level) continue;
    out += text.slice(at, q.start) + cut(q.inner, level);
    at = q.start + q.inner.length;
  }
  return out + text.slice(at);
}

/**
 * A message in at most 120 characters. User texts make a message long (names, values, file
 * names): in the fact, before the last ": ", the longest quoted ones are cut first, then the
 * fact loses its end; the action after it stays whole. A message without an action of at most
 * 60 characters is handled as one fact.
 */
export function fitMessage(text: string): string {
  if (text.length <= MAX_MESSAGE_LENGTH) return text;
  const split = text.lastIndexOf(': ');
  const action = split > 0 && text.length - split <= MAX_MESSAGE_LENGTH / 2 ? text.slice(split) : '';
  const budget = MAX_MESSAGE_LENGTH - action.length;
  const fact = action ? text.slice(0, split) : text;
  const shorter = shortenQuoted(fact, fact.length - budget);
  return (shorter.length <= budget ? shorter : cut(shorter, budget)) + action;
}

/** Related information that points at where a provider version was read. */
export function versionRelated(v: ProviderVersion | undefined, unit: Unit): RelatedInfo[] {
  return v?.at ? [{ loc: v.at, message: `The version is read here (${describeVersionSource(unit, v)})` }] : [];
}
