// Small most-recently-used memos of results by text: a module that many units use is parsed once
// per run rather than once per caller, and facts about a text (its line index) are computed once
// per text rather than once per finding. Results are never mutated by their users.
//
// Entries are kept in a short list compared with `===`, not in a Map: V8 hashes a string longer
// than 16,383 characters by its length alone, so the versions of one large document an editor sends
// (one character changed each) all collide in a Map, and an LRU's delete-and-set on every hit made
// each lookup walk them all (a 5,000-line file: 0.3 s per analysis became 1.2 s after a few edits).
// The same string object compares in constant time; different lengths at once.

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

/** Results by text, most recently used first. */
export class RecentByText<T> {
  private readonly texts: string[] = [];
  private readonly values: T[] = [];

  constructor(private readonly capacity: () => number) {}

  get(text: string, compute: (text: string) => T): T {
    const texts = this.texts;
    for (let i = 0; i < texts.length; i++) {
      if (texts[i] !== text) continue;
      const value = this.values[i];
      if (i > 0) {
        texts.splice(i, 1);
        this.values.splice(i, 1);
        texts.unshift(text);
        this.values.unshift(value);
      }
      return value;
    }
    const value = compute(text);
    texts.unshift(text);
    this.values.unshift(value);
    const capacity = this.capacity();
    if (texts.length > capacity) {
      texts.length = capacity;
      this.values.length = capacity;
    }
    return value;
  }
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
