// The character-loop reading of module declarations agrees with the parser, and gives up rather
// than guess on what it does not settle.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBicep } from '../../server/src/syntax/bicep/index';
import { bicepModuleRefs } from '../../server/src/syntax/bicep/moduleRefs';
import { literalString } from '../../server/src/frontends/bicep/lower';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';

function parsed(text: string): { name: string; path: string }[] {
  return parseBicep(text).tree.statements.flatMap((s) =>
    s.kind === 'ModuleDecl' && s.name && s.path && literalString(s.path) !== undefined ? [{ name: s.name.text, path: literalString(s.path)! }] : [],
  );
}

describe('bicepModuleRefs', () => {
  it('reads top-level declarations, skipping comments, strings, interpolation and look-alikes', () => {
    const text = [
      "// module c1 'no.bicep' = {}",
      "/* module c2 'no.bicep' = {} */",
      "var s = '''",
      "module m1 'no.bicep' = {}",
      "'''",
      "var t = 'x${ {",
      "  module: 'no'",
      "}.module}y'",
      "param module string",
      "var u = x.module",
      '#disable-next-line no-unused-params',
      '@batchSize(1)',
      "module a 'a.bicep' = [for i in range(0, 2): {",
      "  name: 'a${i}'",
      '}]',
      "module r 'br/public:avm/res/x:1.0' = {",
      "  name: 'r'",
      '}',
      "  module b 'sub/b.bicep' = {",
      "  params: { p: '}' }",
      '}',
    ].join('\n');
    assert.deepEqual(bicepModuleRefs(text), [
      { name: 'a', path: 'a.bicep' },
      { name: 'r', path: 'br/public:avm/res/x:1.0' },
      { name: 'b', path: 'sub/b.bicep' },
    ]);
    assert.deepEqual(bicepModuleRefs(text), parsed(text));
  });

  for (const [why, text] of [
    ['an unterminated string', "var a = 'x\nmodule a 'a.bicep' = {}"],
    ['an unterminated block comment', "/* x\nmodule a 'a.bicep' = {}"],
    ['an unclosed bracket', "var a = {\nmodule a 'a.bicep' = {}"],
    ['a stray closing bracket', "}\nmodule a 'a.bicep' = {}"],
    ['an interpolated multi-line string', "var a = $'''${x}'''\nmodule a 'a.bicep' = {}"],
    ['a path with an escape', "module a 'a\\'b.bicep' = {}"],
    ['a path with a hole', "module a '${p}.bicep' = {}"],
    ['a multi-line path', "module a '''a.bicep''' = {}"],
    ['a decorator on the same line', "@batchSize(1) module a 'a.bicep' = {}"],
    ['a name on the next line', "module\n  a 'a.bicep' = {}"],
  ] as const) {
    it(`gives up on ${why}`, () => assert.equal(bicepModuleRefs(text), undefined));
  }

  it('agrees with the parser on every corpus file it settles', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    let settled = 0;
    let total = 0;
    let declarations = 0;
    for (const f of corpusFiles('', (n) => n.endsWith('.bicep'))) {
      const text = readFileSync(f, 'utf8');
      total++;
      const refs = bicepModuleRefs(text);
      if (!refs) continue;
      settled++;
      declarations += refs.length;
      assert.deepEqual(refs, parsed(text), f);
    }
    // Nearly every real file is settled without the parser.
    assert.ok(settled > total * 0.95, `${settled} of ${total} settled`);
    assert.ok(declarations > 1000, `${declarations} declarations`);
  });
});
