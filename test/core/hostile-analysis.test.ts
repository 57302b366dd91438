// 3. Deep nesting and huge tokens through the whole analysis (parse, lowering, evaluation, rules,
// fixes) in every dialect, in the analysed file, its parameters file and the module it calls: no
// exception, no rule failure, one "nested too deeply" error, and the declarations after the deep
// one still analysed. (The time of each call is measured by scripts/fuzz.ts, not here.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEEP, DIALECTS, PATHS, WORKSPACE, analyseFiles, filesOf, hostileCase, nested, placedPath, type Dialect, type Place } from '../helpers/hostile';

const EXPECTED = ['databricks-no-public-ip', 'databricks-premium-sku', 'databricks-public-network-access'];

describe('deep nesting through the whole analysis', () => {
  for (const dialect of DIALECTS) {
    for (const [shape, make] of Object.entries(DEEP[dialect])) {
      for (const [place, n] of [['root', 2000], ['root', 5000], ['params', 5000], ['module', 5000]] as [Place, number][]) {
        it(`${dialect}: ${n} nested ${shape} in the ${place === 'root' ? 'analysed file' : place === 'params' ? 'parameters file' : 'module'}`, () => {
          const c = { dialect, place, asValue: true, at: 0, fragment: make(n) };
          const { result } = analyseFiles(dialect, filesOf(c));
          const file = result.files.find((f) => f.path === placedPath(c));
          assert.ok(file, `${placedPath(c)} was read`);
          const deepErrors = file.syntaxErrors.filter((e) => /nested too deeply/i.test(e.message));
          assert.ok(deepErrors.length <= 1, `at most one "nested too deeply": ${deepErrors.length}`);
          assert.ok(file.syntaxErrors.length <= 2, file.syntaxErrors.map((e) => e.message).join(' | '));
          // The declaration after the deep one is still analysed.
          const ids = [...new Set(result.findings.map((f) => f.ruleId))].filter((id) => EXPECTED.includes(id)).sort();
          assert.deepEqual(ids, EXPECTED);
        });
      }
    }
  }

  it('terraform: 3000 nested blocks in one resource, then another resource', () => {
    const files = filesOf({ dialect: 'terraform', place: 'root', asValue: true, at: 0, fragment: '1' });
    const text = `resource "azurerm_databricks_workspace" "deep" {\n${nested('dynamic {\n', '}\n', 3000, '')}}\n${WORKSPACE.terraform('1')}`;
    files.set(PATHS.terraform, text);
    const { result } = analyseFiles('terraform', files);
    const own = result.files.find((f) => f.path === PATHS.terraform)!;
    assert.equal(own.syntaxErrors.filter((e) => /nested too deeply/i.test(e.message)).length, 1);
    assert.ok(result.findings.some((f) => f.ruleId === 'databricks-premium-sku' && f.span.start > text.indexOf('"w"') - 40));
  });
});

describe('fuzz: hostile fragments anywhere in a template, its parameters file or its module, through the whole analysis', () => {
  for (const dialect of DIALECTS as Dialect[]) {
    it(`${dialect}: no exception, no rule failure`, () => {
      fc.assert(
        fc.property(hostileCase(dialect), (c) => {
          analyseFiles(dialect, filesOf(c));
        }),
        { numRuns: 25, seed: 11 },
      );
    });
  }
});
