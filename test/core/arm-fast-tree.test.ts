// The fast JSON tree builder of the ARM parse: whenever it builds a tree, the tree is the one
// jsonc-parser's parseTree builds (types, offsets, lengths, values, colon offsets, children,
// parent links) and parseTree reports no error; everything else it leaves to parseTree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { fastJsonTree } from '../../server/src/syntax/arm/fast-tree';
import { MAX_JSON_DEPTH, parseArm, withoutBom } from '../../server/src/syntax/arm/parse';
import { isArmTemplateText } from '../../server/src/frontends/arm/lower';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** A node's own fields with children copied the same way, `parent` left out. */
function plain(node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node) as (keyof Node)[]) {
    if (key === 'parent') continue;
    out[key] = key === 'children' ? node.children!.map(plain) : node[key];
  }
  return out;
}

/** Every child's parent is its container, and the root has no `parent` field. */
function assertParents(root: Node): void {
  assert.ok(!('parent' in root), 'the root has no parent field');
  const todo = [root];
  while (todo.length) {
    const node = todo.pop()!;
    for (const c of node.children ?? []) {
      assert.equal(c.parent, node);
      todo.push(c);
    }
  }
}

type Outcome = 'accepted' | 'bailed';

/** Checks the fast builder against parseTree on `text`: it bails, or builds parseTree's tree of an error-free text. */
function check(text: string, maxDepth = MAX_JSON_DEPTH): Outcome {
  const fast = fastJsonTree(text, maxDepth);
  if (!fast) return 'bailed';
  const errors: ParseError[] = [];
  const expected = parseTree(text, errors, OPTIONS);
  assert.deepEqual(errors, [], 'parseTree reported errors on a text the fast builder accepted');
  assert.ok(expected);
  assert.deepStrictEqual(plain(fast), plain(expected));
  assertParents(fast);
  return 'accepted';
}

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('ARM fast tree builder', () => {
  it('builds parseTree\'s tree for every escape, number and blank it accepts', () => {
    const accepted = [
      '{"a": "\\"\\\\\\/\\b\\f\\n\\r\\t"}',
      '["\\u0041\\u00e9\\u20AC\\uffff\\u0000"]',
      '["\\uD83D\\uDE00", "\\uD83D", "\\uDE00x", "a\\uDBFFb"]',
      '["\ud83d\ude00", "\ud83d", "\ude00", "\u2028\u00a0\u007f"]',
      '[0, -0, 1, -1, 1.5E-3, 1e400, -1e400, 1e-400, 12345678901234567890, 0.1, 2.5e+10, 9007199254740993, 123456789012345, 1234567890123456, 80195897689995512, -85480274265765749, 55323589482971303]',
      '{"x": true, "y": false, "z": null, "": ""}',
      ' \t\r\n{\r\n\t"a" \t:\n 1 ,\r"b":[ ]\n, "c" : { } }\n\t ',
      '{"a": [1, 2,], "b": {"c": 1,},}',
      '{"a": 1, "a": 2}',
      '"top"',
      '42',
      'null',
      '[]',
      '{}',
      '[[],[[]],{},{"a":{}}]',
      ' {"a":1}',
    ];
    for (const text of accepted) assert.equal(check(text), 'accepted', text);
  });

  it('leaves errors, comments, odd escapes and numbers, control characters and empty text to parseTree', () => {
    const bailed = [
      '',
      '   \n\t',
      '01',
      '[01]',
      '-',
      '[-]',
      '[1.]',
      '[.5]',
      '[+1]',
      '[1e]',
      '[1e+]',
      '[1.5.3]',
      '[0x10]',
      '[NaN]',
      '[truex]',
      '[tru]',
      '[True]',
      '["\\x41"]',
      '["\\u12"]',
      '["\\u12G4"]',
      '["\\',
      '["a\tb"]',
      '["a\nb"]',
      '["a\u0000b"]',
      '["a',
      '{"a" 1}',
      '{a: 1}',
      "{'a': 1}",
      '{"a": 1 "b": 2}',
      '[1 2]',
      '[,]',
      '[1,,]',
      '{,}',
      '{"a":1,,}',
      '[1]]',
      '[1}',
      '{"a":1]',
      '[1] [2]',
      '[1] x',
      '// c\n{}',
      '{} // c',
      '{"a": /* c */ 1}',
      '{"a": 1}/',
      '\ufeff{}',
      '{}\u000b',
      '{}\u00a0',
      '\f[]',
      '[',
      '{',
      '{"a":',
      '{"a"',
    ];
    for (const text of bailed) assert.equal(check(text), 'bailed', JSON.stringify(text));
  });

  it('builds trees nested exactly as deep as the bound and leaves deeper ones to the masking parse', () => {
    assert.equal(check(nested(MAX_JSON_DEPTH)), 'accepted');
    assert.equal(check(nested(MAX_JSON_DEPTH - 2, '{"a":[]}')), 'accepted');
    assert.equal(check(nested(MAX_JSON_DEPTH - 1, '{"a":[]}')), 'bailed');
    assert.equal(check(nested(MAX_JSON_DEPTH + 1)), 'bailed');
    assert.equal(check(nested(MAX_JSON_DEPTH, '{}')), 'bailed');
    assert.equal(check(nested(100_000)), 'bailed');
    // parseArm: the bound itself parses without error, one past it is masked and reported once.
    assert.deepEqual(parseArm('t.json', nested(MAX_JSON_DEPTH)).errors, []);
    const past = parseArm('t.json', nested(MAX_JSON_DEPTH + 1));
    assert.equal(past.errors.filter((e) => /Nested too deeply/.test(e.message)).length, 1);
  });

  it('parseArm keeps jsonc-parser\'s errors and comments when the fast builder gives up', () => {
    const commented = parseArm('t.json', '{\n  // note\n  "a": 1\n}');
    assert.deepEqual(commented.comments.map((c) => c.text), [' note']);
    assert.deepEqual(commented.errors, []);
    const broken = parseArm('t.json', '{"a": 01}');
    assert.ok(broken.errors.length > 0);
    const bom = parseArm('t.json', '\ufeff{"a": 1}');
    assert.deepEqual(bom.errors, []);
    assert.equal(bom.root?.offset, 1);
    assert.equal(parseArm('t.json', '').root, undefined);
  });

  it('agrees with parseTree on generated JSON with random blanks (fuzz)', () => {
    const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\r\n'), maxLength: 3 });
    let accepted = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(blank, { minLength: 64, maxLength: 64 }), (value, blanks) => {
        let k = 0;
        // Blanks after each structural character of the compact text (outside strings).
        const text = JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"|[[\]{},:]/g, (m) => m + blanks[k++ % blanks.length]);
        if (check(blanks[0] + text) === 'accepted') accepted++;
      }),
      { seed: 11, numRuns: 400 },
    );
    assert.equal(accepted, 400, 'every generated JSON text is built by the fast builder');
  });

  it('bails or agrees on mutated templates: truncations, flips, comments, trailing commas, escapes, nesting, huge tokens (fuzz)', () => {
    const corpus = corpusOrSkip();
    const seeds = [
      '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "parameters": {"n": {"type": "string", "defaultValue": "a\\u00e9"}}, "resources": [{"type": "Microsoft.Databricks/workspaces", "apiVersion": "2024-05-01", "name": "[parameters(\'n\')]", "properties": {"publicNetworkAccess": "Disabled", "x": [1, -2.5e3, true, null]}}]}',
    ];
    if (!('skip' in corpus)) {
      const small = corpusFiles('', (n) => n.endsWith('.json'))
        .map((p) => readFileSync(p, 'utf8'))
        .filter((t) => t.length < 6000 && isArmTemplateText(t))
        .slice(0, 40);
      seeds.push(...small.map(withoutBom));
    }
    const inserts = [
      '// c\n', '/* c */', ',', ',}', ',]', '"\\u', '"\\uD800"', '"\\ud83d\\ude00"', '"\\x"', '\\', '"', '\t', '\r\n', '\u000b', '\u00a0',
      '-', '01', '1e400', '-0', '1.5E-3', '.5', 'tru', 'nul', '{', '}', '[', ']', ':', '"k":', nested(MAX_JSON_DEPTH - 2),
      nested(MAX_JSON_DEPTH + 5), '"' + 'x'.repeat(20000) + '"', '9'.repeat(5000), '"\\n\\t\\/\\\\\\""', '\ufeff',
    ];
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      ops: fc.array(
        fc.oneof(
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), code: fc.integer({ min: 0, max: 0xffff }) }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), what: fc.constantFrom(...inserts) }) },
          // Valid-preserving edits, so that many mutants are still accepted and compared.
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('trailing' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
          { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), what: fc.constantFrom('"\\u00e9\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\uD83D\\uDE00\\uDE00"', '-0', '1e400', '1.5E-3', '-12.75e-2', '123456789012345678', 'true', 'null', '[]', '{}', nested(MAX_JSON_DEPTH - 10), nested(MAX_JSON_DEPTH + 1), '"' + 'y'.repeat(30000) + '"') }) },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    });
    const counts = { accepted: 0, bailed: 0 };
    fc.assert(
      fc.property(mutation, ({ seed, ops }) => {
        let text = seeds[seed];
        for (const op of ops) {
          const at = Math.floor(op.at * text.length);
          if (op.kind === 'truncate') text = text.slice(0, at);
          else if (op.kind === 'flip') text = text.slice(0, at) + String.fromCharCode(op.code) + text.slice(at + 1);
          else if (op.kind === 'insert') text = text.slice(0, at) + op.what + text.slice(at);
          else {
            // The first value position (after a colon or an opening bracket) or closing bracket from `at` on.
            const re = op.kind === 'trailing' ? /[}\]]/g : /(?<=[:[]\s*)(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g;
            re.lastIndex = at;
            const m = re.exec(text);
            if (!m) continue;
            text = op.kind === 'trailing' ? text.slice(0, m.index) + ',' + text.slice(m.index) : text.slice(0, m.index) + op.what + text.slice(m.index + m[0].length);
          }
        }
        counts[check(text)]++;
      }),
      { seed: 1111, numRuns: 500 },
    );
    // Both outcomes must occur often, or the property proves little.
    assert.ok(counts.accepted >= 100, `only ${counts.accepted} mutants accepted`);
    assert.ok(counts.bailed >= 100, `only ${counts.bailed} mutants left to parseTree`);
  });

  it('builds parseTree\'s tree for nearly every ARM template of the corpus', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    const files = corpusFiles('', (n) => n.endsWith('.json') || n.endsWith('.jsonc'));
    let templates = 0;
    let accepted = 0;
    let acceptedTemplates = 0;
    for (const file of files) {
      const text = withoutBom(readFileSync(file, 'utf8'));
      const arm = isArmTemplateText(text);
      if (arm) templates++;
      if (check(text) === 'accepted') {
        accepted++;
        if (arm) acceptedTemplates++;
      }
    }
    assert.ok(templates >= 200, `${templates} ARM templates in the corpus`);
    // Today all but one template (a syntax error) is plain JSON.
    assert.ok(acceptedTemplates >= templates * 0.98, `${acceptedTemplates} of ${templates} templates accepted`);
    assert.ok(accepted >= files.length * 0.95, `${accepted} of ${files.length} JSON files accepted`);
  });
});
