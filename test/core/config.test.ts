// brickguard.json: parsing, positions of errors, nearest-file lookup, exclude globs.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { configFindings, effectiveRules, compileGlob, isExcluded, loadConfig, parseConfig } from '../../server/src/config/config';
import { diskHost } from '../../server/src/engine';

test('valid rules and excludes are read', () => {
  const c = parseConfig('/w/brickguard.json', '{\n  // comment\n  "rules": { "databricks-premium-sku": "off", "databricks-no-public-ip": "error" },\n  "exclude": ["legacy/**"],\n}\n');
  assert.deepEqual(c.errors, []);
  assert.deepEqual(c.rules, { 'databricks-premium-sku': 'off', 'databricks-no-public-ip': 'error' });
  assert.deepEqual(c.exclude, ['legacy/**']);
});

test('errors carry 1-based line and column, and valid entries still apply', () => {
  const text = '{\n  "rules": {\n    "databricks-premium-sku": "loud",\n    "no-such-rule": "off",\n    "databricks-no-public-ip": "info"\n  },\n  "exclud": []\n}';
  const c = parseConfig('/w/brickguard.json', text);
  const summary = c.errors.map((e) => `${e.line}:${e.column} ${e.severity} ${e.message}`);
  assert.deepEqual(summary, [
    `3:31 error The severity of 'databricks-premium-sku' must be "off", "info", "warning" or "error".`,
    "4:5 warning Unknown rule 'no-such-rule' in brickguard.json.",
    '7:3 warning Unknown setting "exclud": expected "rules" or "exclude".',
  ]);
  assert.deepEqual(c.rules, { 'databricks-no-public-ip': 'info' });
  assert.deepEqual(c.errors.map((e) => e.ruleId), [undefined, 'brickguard-unknown-rule', undefined]);
});

test('an unknown rule id is a brickguard-unknown-rule finding at its key, with the severity settings and the file give it', () => {
  const text = '{\n  "rules": {\n    "no-such-rule": "off"\n  }\n}\n';
  const c = parseConfig('/w/brickguard.json', text);
  const [f, ...rest] = configFindings(c);
  assert.deepEqual(rest, []);
  assert.equal(f.ruleId, 'brickguard-unknown-rule');
  assert.equal(f.severity, 'warning');
  assert.equal(f.file, '/w/brickguard.json');
  assert.equal(text.slice(f.span.start, f.span.end), '"no-such-rule"');
  assert.match(f.helpUri, /^https:\/\//);
  assert.equal(configFindings(c, { 'brickguard-unknown-rule': 'error' })[0].severity, 'error');
  assert.deepEqual(configFindings(c, { 'brickguard-unknown-rule': 'off' }), []);
  const offInFile = parseConfig('/w/brickguard.json', '{ "rules": { "no-such-rule": "off", "brickguard-unknown-rule": "off" } }');
  assert.deepEqual(configFindings(offInFile, { 'brickguard-unknown-rule': 'error' }), [], 'the file wins over the settings');
});

test('malformed JSON is reported with its position', () => {
  const c = parseConfig('/w/brickguard.json', '{\n  "rules": {\n    "databricks-premium-sku": "off"\n  \n');
  assert.ok(c.errors.length > 0);
  assert.match(c.errors[0].message, /^Invalid JSON: /);
  assert.equal(c.errors[0].file, '/w/brickguard.json');
  assert.ok(c.errors[0].line >= 4);
});

test('the nearest brickguard.json at or above the file wins', () => {
  const root = scratchDir('bg-config-');
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  writeFileSync(join(root, 'brickguard.json'), '{ "rules": { "databricks-premium-sku": "off" } }');
  writeFileSync(join(root, 'a', 'brickguard.json'), '{ "rules": { "databricks-premium-sku": "error" } }');
  const host = diskHost([root]);
  assert.equal(loadConfig(join(root, 'a', 'b', 'main.bicep'), host).rules['databricks-premium-sku'], 'error');
  assert.equal(loadConfig(join(root, 'x.json'), host).rules['databricks-premium-sku'], 'off');
});

test('config severities override settings', () => {
  assert.deepEqual(effectiveRules({ a: 'warning', b: 'off' }, { a: 'error' }), { a: 'error', b: 'off' });
});

test('exclude globs are relative to the config folder, gitignore-like', () => {
  const config = { path: '/w/brickguard.json', rules: {}, exclude: ['legacy/**', '*.generated.json', 'modules/old'], errors: [] };
  assert.equal(isExcluded('/w/legacy/a/main.bicep', config), true);
  assert.equal(isExcluded('/w/deep/x.generated.json', config), true);
  assert.equal(isExcluded('/w/modules/old/main.tf', config), true);
  assert.equal(isExcluded('/w/modules/older/main.tf', config), false);
  assert.equal(isExcluded('/w/main.bicep', config), false);
  assert.equal(isExcluded('/elsewhere/legacy/a.tf', config), false);
  assert.equal(compileGlob('**/*.tf').test('a/b/c.tf'), true);
  assert.equal(compileGlob('a?c').test('abc'), true);
});
