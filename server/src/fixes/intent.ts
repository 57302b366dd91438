// What a rule wants changed, independent of dialect. Each dialect's edit builder renders an
// intent as minimal text edits that keep the file's formatting.
import type { Resource, Value } from '../model/types';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type FixIntent =
  /**
   * Make the value at `path` under the resource body equal `value`: replace the literal where it
   * comes from (the resource, a parameter default, a parameters file), or insert the property —
   * creating missing intermediate objects (Terraform: nested blocks).
   */
  | { op: 'set'; resource: Resource; path: string[]; value: Json }
  /** Remove the property at `path` (and nothing else). */
  | { op: 'remove'; resource: Resource; path: string[] }
  /** Replace one evaluated value (with an origin) by a literal, e.g. an array item. */
  | { op: 'replaceValue'; target: Value; value: Json };

/** A fix as a rule proposes it. */
export interface Fix {
  title: string;
  intents: FixIntent[];
  /** The fix that makes the rule pass with the smallest change (at most one per finding). */
  preferred?: boolean;
}
