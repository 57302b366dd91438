// A small most-recently-used memo of parse results by text: a module that many units use is
// parsed once per run rather than once per caller. Results are never mutated by their users.

/** Entries of a parse memo created without its own capacity. */
const DEFAULT_CAPACITY = 16;
let sharedCapacity = DEFAULT_CAPACITY;

/**
 * Sets how many parse results each parse memo without its own capacity keeps. The language server
 * keeps the default (its memory is bounded); a CLI scan of many templates that share modules keeps
 * more (with 16, a corpus scan parsed 37% of its Bicep text twice; with 64, 3%).
 */
export function setParseMemoCapacity(entries: number): void {
  sharedCapacity = Math.max(1, Math.floor(entries));
}

export class ParseMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity?: number) {}

  get(text: string, parse: (text: string) => T): T {
    const hit = this.entries.get(text);
    if (hit !== undefined) {
      // Most recently used last.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const value = parse(text);
    this.entries.set(text, value);
    const capacity = this.capacity ?? sharedCapacity;
    while (this.entries.size > capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
