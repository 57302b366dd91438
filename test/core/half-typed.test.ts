// While a file is being typed: values already typed are judged, absent ones are not, and the
// declarations after the half-typed one are analysed as usual.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';

function analyse(name: string, text: string) {
  const dir = scratchDir('bg-half-');
  writeFileSync(join(dir, name), text);
  return analyzePath(join(dir, name), diskHost([dir]))!;
}

test('Terraform: an unclosed block keeps its typed findings; the next block is judged in full', () => {
  const r = analyse(
    'main.tf',
    'resource "azurerm_databricks_workspace" "w" {\n  name = "x"\n  sku  = "standard"\n\nresource "azurerm_databricks_workspace" "v" {\n  name = "y"\n  sku  = "premium"\n}\n',
  );
  assert.ok(r.files[0].syntaxErrors.length > 0);
  const byResource = r.findings.map((f) => `${r.files[0].text.slice(0, f.span.start).split('\n').length}:${f.ruleId}`);
  // Line 3: the typed tier of the half-typed block. Line 5: the complete block's absent public access.
  assert.ok(byResource.includes('3:databricks-premium-sku'), byResource.join(', '));
  assert.ok(byResource.includes('5:databricks-public-network-access'), byResource.join(', '));
  assert.ok(!byResource.includes('1:databricks-public-network-access'), byResource.join(', '));
});

test('ARM: an unterminated resource gets no absence finding', () => {
  const r = analyse(
    'main.json',
    '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [\n    {\n      "type": "Microsoft.Databricks/workspaces",\n      "apiVersion": "2023-02-01",\n      "name": "w",\n      "sku": { "name": "standard" },\n',
  );
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['databricks-premium-sku']);
});

// A string still being typed ('prem' on the way to 'premium') is not judged: no warning flickers
// while the value is typed. Bicep reads an unterminated string as unknown already.
test('Terraform: a string without its closing quote is not judged', () => {
  const head = 'resource "azurerm_databricks_workspace" "w" {\n  name                = "x"\n  resource_group_name = "rg"\n  location            = "westeurope"\n';
  const typing = analyse('main.tf', `${head}  sku                 = "prem\n}\n`);
  assert.ok(typing.files[0].syntaxErrors.length > 0);
  assert.deepEqual(typing.findings.filter((f) => f.ruleId === 'databricks-premium-sku'), []);
  // The same value once closed is judged, and an unclosed heredoc is not.
  const closed = analyse('main.tf', `${head}  sku                 = "prem"\n}\n`);
  assert.equal(closed.findings.filter((f) => f.ruleId === 'databricks-premium-sku').length, 1);
  const heredoc = analyse('main.tf', `${head}  sku = <<EOT\nstandard\n`);
  assert.deepEqual(heredoc.findings.filter((f) => f.ruleId === 'databricks-premium-sku'), []);
});

test('ARM: a string without its closing quote is not judged', () => {
  const head =
    '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [\n    {\n      "type": "Microsoft.Databricks/workspaces",\n      "apiVersion": "2023-02-01",\n      "name": "w",\n';
  const typing = analyse('main.json', `${head}      "sku": { "name": "stan\n`);
  assert.deepEqual(typing.findings.filter((f) => f.ruleId === 'databricks-premium-sku'), []);
  const closed = analyse('main.json', `${head}      "sku": { "name": "stan" }\n`);
  assert.equal(closed.findings.filter((f) => f.ruleId === 'databricks-premium-sku').length, 1);
});
