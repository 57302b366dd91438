// A small most-recently-used memo of parse results by text: a module that many units use is
// parsed once per run rather than once per caller. Results are never mutated by their users.

export class ParseMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = 16) {}

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
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
