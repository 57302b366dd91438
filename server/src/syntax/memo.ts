// A most-recently-used memo of parse results by text: a module that many units use is parsed once
// per run rather than once per caller. Results are never mutated by their users. Entries are kept
// in a short list compared with `===` (RecentByText in ../text says why).
import { RecentByText } from '../text';

/** Entries of a parse memo created without its own capacity. */
const DEFAULT_CAPACITY = 16;
let sharedCapacity = DEFAULT_CAPACITY;

/**
 * Sets how many parse results each parse memo without its own capacity keeps. The language server
 * keeps the default (its memory is bounded); a CLI scan of many templates that share modules keeps
 * more (see SCAN_PARSE_MEMO_ENTRIES).
 */
export function setParseMemoCapacity(entries: number): void {
  sharedCapacity = Math.max(1, Math.floor(entries));
}

export class ParseMemo<T> {
  private readonly recent: RecentByText<T>;

  constructor(capacity?: number) {
    this.recent = new RecentByText(() => capacity ?? sharedCapacity);
  }

  get(text: string, parse: (text: string) => T): T {
    return this.recent.get(text, parse);
  }
}
