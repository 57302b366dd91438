// The ARM parser's depth bound: a template nested deeper than the bound is masked below it and
// reported once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Node } from 'jsonc-parser';
import { MAX_JSON_DEPTH, parseArm } from '../../server/src/syntax/arm/parse';

function depthOf(node: Node | undefined): number {
  if (!node?.children) return node && (node.type === 'array' || node.type === 'object') ? 1 : 0;
  const inner = Math.max(0, ...node.children.map(depthOf));
  return node.type === 'array' || node.type === 'object' ? inner + 1 : inner;
}

describe('ARM depth bound', () => {
  it('a template nested too deeply is still reported once', () => {
    const deep = '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "x": ' + '['.repeat(300) + ']'.repeat(300) + '}';
    const r = parseArm('t.json', deep);
    assert.equal(r.errors.filter((e) => /Nested too deeply/.test(e.message)).length, 1);
  });

  it('a closer that does not match (a `}` inside arrays, which the parser skips) does not hide a level', () => {
    // Found by the fuzz below (seed -242248042): the mask counted the `}` as a close, the parser did not.
    const r = parseArm('t.json', '['.repeat(MAX_JSON_DEPTH) + '},[' + ']'.repeat(MAX_JSON_DEPTH));
    assert.ok(depthOf(r.root) <= MAX_JSON_DEPTH, `${depthOf(r.root)} deep`);
    assert.equal(r.errors.filter((e) => /Nested too deeply/.test(e.message)).length, 1);
  });

  it('never leaves a tree deeper than the bound, brackets in strings and comments aside (fuzz)', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '"]["', '\\', '/', '*', '\n', ',', ':', '1', '"x"', '//', '/*', '*/', '{"a":');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 100, max: 200 }), (pieces, nesting) => {
        const text = '['.repeat(nesting) + pieces.join('') + ']'.repeat(nesting);
        const r = parseArm('t.json', text);
        assert.ok(depthOf(r.root) <= MAX_JSON_DEPTH, `${depthOf(r.root)} deep`);
        if (nesting > MAX_JSON_DEPTH) assert.equal(r.errors.filter((e) => /Nested too deeply/.test(e.message)).length, 1);
      }),
      { numRuns: 300 },
    );
  });
});
