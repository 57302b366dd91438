// The parse memo keeps the most recently used results; a scan raises how many (setParseMemoCapacity),
// the language server keeps the default.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ParseMemo, setParseMemoCapacity } from '../../server/src/syntax/memo';
import { RecentByText } from '../../server/src/text';

/** How many of `texts` a second pass parses again, after a first pass over all of them. */
function reparsed(memo: ParseMemo<number>, texts: string[]): number {
  let parses = 0;
  const parse = (t: string) => (parses++, t.length);
  for (const t of texts) memo.get(t, parse);
  parses = 0;
  for (const t of texts) memo.get(t, parse);
  return parses;
}

const texts = (n: number, prefix = 'text') => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('ParseMemo', () => {
  afterEach(() => setParseMemoCapacity(16));

  it('keeps 16 results by default: a second pass over 17 texts parses every one again (least recently used goes first)', () => {
    assert.equal(reparsed(new ParseMemo<number>(), texts(16)), 0);
    assert.equal(reparsed(new ParseMemo<number>(), texts(17)), 17);
  });

  it('a hit makes a result the most recently used', () => {
    const memo = new ParseMemo<number>(2);
    let parses = 0;
    const parse = (t: string) => (parses++, t.length);
    memo.get('a', parse);
    memo.get('b', parse);
    memo.get('a', parse); // hit: 'b' is now the oldest
    memo.get('c', parse); // evicts 'b'
    parses = 0;
    memo.get('a', parse);
    memo.get('b', parse);
    assert.equal(parses, 1);
  });

  it('setParseMemoCapacity raises the capacity of memos without their own, at once, and shrinks it back', () => {
    const shared = new ParseMemo<number>();
    const own = new ParseMemo<number>(4);
    setParseMemoCapacity(64);
    assert.equal(reparsed(shared, texts(64)), 0);
    assert.equal(reparsed(own, texts(5)), 5);
    setParseMemoCapacity(16);
    assert.equal(reparsed(shared, texts(17, 'other')), 17);
  });
});

describe('RecentByText', () => {
  it('finds a text by content (another string object with the same characters is a hit)', () => {
    const recent = new RecentByText<number>(() => 4);
    let computed = 0;
    const compute = (t: string) => (computed++, t.length);
    const big = 'x'.repeat(20_000);
    recent.get(big, compute);
    // The same characters built again: a different string object.
    recent.get(['x'.repeat(10_000), 'x'.repeat(10_000)].join(''), compute);
    assert.equal(computed, 1);
  });

  it('tells apart texts of one length that differ only at the end (an editor sending versions of one file)', () => {
    const recent = new RecentByText<string>(() => 16);
    const base = 'resource x\n'.repeat(3_000);
    const versions = Array.from({ length: 20 }, (_, v) => `${base}// edit ${String(v).padStart(2, '0')}\n`);
    assert.ok(versions.every((t) => t.length === versions[0].length));
    for (const t of versions) assert.equal(recent.get(t, (x) => x.slice(-9)), t.slice(-9));
    // The 16 most recent are kept, the oldest are computed again.
    let computed = 0;
    for (const t of versions.slice(4)) recent.get(t, () => (computed++, ''));
    assert.equal(computed, 0);
    recent.get(versions[0], () => (computed++, ''));
    assert.equal(computed, 1);
  });
});
