// The ARM parser's quick depth check: it only says "shallow" when no parse tree of the text can
// be deeper than the bound (otherwise the tree itself is checked, as before).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { parseArm, surelyShallow } from '../../server/src/syntax/arm/parse';

function depthOf(node: Node | undefined): number {
  if (!node?.children) return node && (node.type === 'array' || node.type === 'object') ? 1 : 0;
  const inner = Math.max(0, ...node.children.map(depthOf));
  return node.type === 'array' || node.type === 'object' ? inner + 1 : inner;
}

describe('surelyShallow', () => {
  it('is true for paired brackets within the bound, brackets in strings and comments ignored', () => {
    assert.equal(surelyShallow('{"a": [1, {"b": "]}\\"["}], // ]]\n "c": /* [[ */ 2}', 3), true);
    assert.equal(surelyShallow('[[[]]]', 3), true);
  });

  it('is false when unsure: deeper than the bound, unpaired brackets, unclosed strings or comments', () => {
    assert.equal(surelyShallow('[[[[]]]]', 3), false);
    assert.equal(surelyShallow('[}', 3), false);
    assert.equal(surelyShallow('[[]', 3), false);
    assert.equal(surelyShallow(']', 3), false);
    assert.equal(surelyShallow('{"a": "b\n"}', 3), false);
    assert.equal(surelyShallow('{"a": "b\\', 3), false);
    assert.equal(surelyShallow('{} /* [', 3), false);
  });

  it('never says shallow for a text whose parse tree is deeper than the bound (fuzz)', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', '/', '*', '\n', ',', ':', '1', 'a', ' ', '"x"', '//', '/*', '*/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 0, max: 6 }), (pieces, max) => {
        const text = pieces.join('');
        if (!surelyShallow(text, max)) return;
        let root: Node | undefined;
        assert.doesNotThrow(() => (root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true })));
        assert.ok(depthOf(root) <= max, `${JSON.stringify(text)} parses ${depthOf(root)} deep`);
      }),
      { numRuns: 3000 },
    );
  });

  it('a template nested too deeply is still reported once', () => {
    const deep = '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "x": ' + '['.repeat(300) + ']'.repeat(300) + '}';
    const r = parseArm('t.json', deep);
    assert.equal(r.errors.filter((e) => /Nested too deeply/.test(e.message)).length, 1);
  });
});
