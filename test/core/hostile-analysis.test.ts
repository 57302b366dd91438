// 3. Deep nesting and huge tokens through the whole analysis (parse, lowering, evaluation, rules,
// fixes) in every dialect: no exception, no rule failure, one "nested too deeply" error, and the
// declarations after the deep one still analysed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine/index';
import type { AnalysisResult } from '../../server/src/engine/types';

const WORKSPACE = {
  arm: (deep: string) => `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": { "deep": ${deep} },
  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "properties": { "deep": ${deep} } },
    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2023-02-01",
      "name": "ws",
      "location": "westeurope",
      "sku": { "name": "standard" },
      "properties": { "managedResourceGroupId": "x", "publicNetworkAccess": "Enabled" }
    }
  ]
}
`,
  bicep: (deep: string) => `var deep = ${deep}
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  properties: {
    deep: ${deep}
  }
}
resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: { name: 'standard' }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: 'Enabled'
  }
}
`,
  terraform: (deep: string) => `locals {
  deep = ${deep}
}
resource "azurerm_storage_account" "st" {
  deep = ${deep}
}
resource "azurerm_databricks_workspace" "w" {
  name                = "ws"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "standard"
}
`,
};

const PATHS = { arm: '/w/arm/azuredeploy.json', bicep: '/w/bicep/main.bicep', terraform: '/w/tf/main.tf' } as const;
type Dialect = keyof typeof PATHS;

/** Analyses a text as the file of its dialect; fails on an exception or a rule that failed (logged). */
function analyse(dialect: Dialect, text: string): { result: AnalysisResult; ms: number } {
  const host = overlayHost(diskHost(['/w']), new Map([[PATHS[dialect], text]]));
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' ').slice(0, 300));
  const t0 = performance.now();
  try {
    const result = analyzePath(PATHS[dialect], host);
    assert.ok(result, 'analysed');
    // Fix rendering walks the values too.
    for (const f of result.findings) for (const fix of f.fixes) assert.ok(Array.isArray(fix.edits));
    return { result, ms: performance.now() - t0 };
  } finally {
    console.error = original;
    assert.deepEqual(logged, [], 'no rule or fix failed');
  }
}

const nested = (open: string, close: string, n: number, inner = '1') => open.repeat(n) + inner + close.repeat(n);

const DEEP: Record<Dialect, Record<string, (n: number) => string>> = {
  arm: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{"a":', '}', n),
    'expression calls': (n) => `"[${nested('concat(', ')', n, "'a'")}]"`,
  },
  bicep: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{\na: ', '\n}', n),
    parentheses: (n) => nested('(', ')', n),
    calls: (n) => nested('concat(', ')', n, "'a'"),
    interpolations: (n) => nested("'${", "}'", n),
    negations: (n) => `${'!'.repeat(n)}true`,
  },
  terraform: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{ a = ', ' }', n),
    parentheses: (n) => nested('(', ')', n),
    calls: (n) => nested('concat(', ')', n, '"a"'),
    interpolations: (n) => nested('"${', '}"', n),
    negations: (n) => `${'!'.repeat(n)}true`,
  },
};

const EXPECTED: Record<Dialect, string[]> = {
  arm: ['databricks-no-public-ip', 'databricks-premium-sku', 'databricks-public-network-access'],
  bicep: ['databricks-no-public-ip', 'databricks-premium-sku', 'databricks-public-network-access'],
  terraform: ['databricks-no-public-ip', 'databricks-premium-sku', 'databricks-public-network-access'],
};

describe('deep nesting through the whole analysis', () => {
  for (const dialect of Object.keys(DEEP) as Dialect[]) {
    for (const [shape, make] of Object.entries(DEEP[dialect])) {
      for (const n of [2000, 5000]) {
        it(`${dialect}: ${n} nested ${shape}`, () => {
          const { result } = analyse(dialect, WORKSPACE[dialect](make(n)));
          const own = result.files.find((f) => f.path === PATHS[dialect])!;
          const deepErrors = own.syntaxErrors.filter((e) => /nested too deeply/i.test(e.message));
          assert.ok(deepErrors.length <= 1, `at most one "nested too deeply": ${deepErrors.length}`);
          assert.ok(own.syntaxErrors.length <= 2, own.syntaxErrors.map((e) => e.message).join(' | '));
          // The declaration after the deep one is still analysed.
          const ids = [...new Set(result.findings.map((f) => f.ruleId))].filter((id) => EXPECTED[dialect].includes(id)).sort();
          assert.deepEqual(ids, EXPECTED[dialect]);
        });
      }
    }
  }

  it('terraform: 3000 nested blocks in one resource, then another resource', () => {
    const text = `resource "azurerm_databricks_workspace" "deep" {\n${nested('dynamic {\n', '}\n', 3000, '')}}\n${WORKSPACE.terraform('1')}`;
    const { result } = analyse('terraform', text);
    const own = result.files.find((f) => f.path === PATHS.terraform)!;
    assert.equal(own.syntaxErrors.filter((e) => /nested too deeply/i.test(e.message)).length, 1);
    assert.ok(result.findings.some((f) => f.ruleId === 'databricks-premium-sku' && f.span.start > text.indexOf('"w"') - 40));
  });
});

/** A hostile fragment: deep random brackets, a huge token, or unbalanced openers. */
const fragment = (dialect: Dialect): fc.Arbitrary<string> => {
  const opens = dialect === 'arm' ? ['[', '{"a":'] : dialect === 'bicep' ? ['[', '(', '{\na: ', "'${", 'f('] : ['[', '(', '{ a = ', '"${', 'f('];
  const closeOf: Record<string, string> = { '[': ']', '(': ')', '{"a":': '}', '{\na: ': '\n}', '{ a = ': ' }', "'${": "}'", '"${': '}"', 'f(': ')' };
  const deep = fc
    .tuple(fc.array(fc.constantFrom(...opens), { minLength: 1, maxLength: 4 }), fc.integer({ min: 50, max: 4000 }), fc.boolean())
    .map(([cycle, n, balanced]) => {
      const seq = Array.from({ length: n }, (_, i) => cycle[i % cycle.length]);
      return seq.join('') + (dialect === 'arm' ? '1' : 'x') + (balanced ? seq.reverse().map((o) => closeOf[o]).join('') : '');
    });
  const huge = fc.tuple(fc.constantFrom('ident', 'string', 'number', 'comment'), fc.integer({ min: 10_000, max: 400_000 })).map(([kind, n]) => {
    if (kind === 'number') return '9'.repeat(n);
    if (kind === 'string') return dialect === 'bicep' ? `'${'s'.repeat(n)}'` : `"${'s'.repeat(n)}"`;
    if (kind === 'comment') return dialect === 'terraform' ? `1 # ${'c'.repeat(n)}` : `1 /* ${'c'.repeat(n)} */`;
    return dialect === 'arm' ? `"[${'a'.repeat(n)}()]"` : 'a'.repeat(n);
  });
  return fc.oneof(deep, huge);
};

describe('fuzz: hostile fragments anywhere in a template, through the whole analysis', () => {
  for (const dialect of Object.keys(DEEP) as Dialect[]) {
    it(`${dialect}: no exception, no rule failure`, (t) => {
      let slowest = 0;
      fc.assert(
        fc.property(fragment(dialect), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (frag, asValue, where) => {
          const base = WORKSPACE[dialect]('1');
          const text = asValue
            ? WORKSPACE[dialect](frag)
            : base.slice(0, Math.floor(where * base.length)) + frag + base.slice(Math.floor(where * base.length));
          const { ms } = analyse(dialect, text);
          slowest = Math.max(slowest, ms);
        }),
        { numRuns: 25, seed: 11 },
      );
      t.diagnostic(`slowest analysis: ${slowest.toFixed(0)} ms`);
    });
  }
});
