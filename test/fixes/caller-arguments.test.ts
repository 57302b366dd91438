// A module parameter's default that fails for one caller is fixed in that caller: each dialect's
// `bindArgument` turns the edit of the default into an argument of the caller's module call, or
// declines when the call cannot take it as written.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diskHost } from '../../server/src/engine';
import { frontEndOfDialect } from '../../server/src/frontends';
import type { TextEdit } from '../../server/src/text';
import { applyEdits } from '../../server/src/text';
import { scratchProject } from '../helpers/scratch';

const project = (files: Record<string, string>) => scratchProject('brickguard-args-', files);

/**
 * The caller's text after binding the edit that replaces `oldValue` (the first occurrence after
 * `after` in `moduleFile`) by `newText`; undefined when the dialect declines.
 */
function bind(dialect: 'bicep' | 'terraform' | 'arm', files: Record<string, string>, rootFile: string, call: string, moduleFile: string, after: string, oldValue: string, newText: string): string | undefined {
  const root = project(files);
  const fe = frontEndOfDialect(dialect)!;
  const unit = fe.loadUnit(join(root, rootFile), diskHost([root]));
  const text = files[moduleFile];
  const start = text.indexOf(oldValue, text.indexOf(after));
  const edit: TextEdit = { file: join(root, moduleFile), span: { start, end: start + oldValue.length }, newText };
  const argument = fe.edits.bindArgument!(unit, edit, { file: join(root, rootFile), name: call });
  if (!argument) return undefined;
  assert.ok(argument.edits.every((e) => e.file === join(root, rootFile)), 'only the caller is edited');
  return `${argument.param}\n${applyEdits(files[rootFile], argument.edits)}`;
}

const MODULE = `@allowed([
  'Enabled'
  'Disabled'
])
param access string = 'Enabled'
param other string = 'Enabled'
var fromVar = 'Enabled'
param viaVar string = fromVar

output a string = '\${access}\${other}\${viaVar}'
`;

describe('Bicep: a module param passed in the call', () => {
  const bicep = (root: string, after = 'param access', oldValue = "'Enabled'") =>
    bind('bicep', { 'main.bicep': root, 'mod.bicep': MODULE }, 'main.bicep', 'm', 'mod.bicep', after, oldValue, "'Disabled'");

  it('is added after the last argument', () => {
    assert.equal(bicep("module m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    other: 'x'\n  }\n}\n"), "access\nmodule m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    other: 'x'\n    access: 'Disabled'\n  }\n}\n");
  });

  it('adds `params` when the call has none, indented like the declaration (tabs kept)', () => {
    assert.equal(bicep("module m 'mod.bicep' = {\n\tname: 'm'\n}\n"), "access\nmodule m 'mod.bicep' = {\n\tname: 'm'\n\tparams: {\n\t\taccess: 'Disabled'\n\t}\n}\n");
  });

  it('keeps a one-line declaration on one line, and follows a loop or condition to its body', () => {
    assert.equal(bicep("module m 'mod.bicep' = { name: 'm' }\n"), "access\nmodule m 'mod.bicep' = { name: 'm', params: { access: 'Disabled' } }\n");
    assert.equal(
      bicep("module m 'mod.bicep' = [for i in range(0, 2): if (true) {\n  name: 'm\${i}'\n  params: {}\n}]\n"),
      "access\nmodule m 'mod.bicep' = [for i in range(0, 2): if (true) {\n  name: 'm\${i}'\n  params: {\n    access: 'Disabled'\n  }\n}]\n",
    );
  });

  it('declines when the arguments are not a literal object, hold a spread, or already name it', () => {
    assert.equal(bicep("var p = {}\nmodule m 'mod.bicep' = {\n  name: 'm'\n  params: p\n}\n"), undefined);
    assert.equal(bicep("var p = {}\nmodule m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    ...p\n  }\n}\n"), undefined);
    assert.equal(bicep("module m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    Access: 'Enabled'\n  }\n}\n"), undefined);
  });

  it('declines an edit that is not a whole param default (a variable behind it), or another module', () => {
    const call = "module m 'mod.bicep' = {\n  name: 'm'\n}\n";
    assert.equal(bicep(call, 'var fromVar'), undefined);
    assert.equal(bicep("module n 'mod.bicep' = {\n  name: 'n'\n}\n"), undefined, 'no call named m');
    assert.ok(bicep(call));
  });
});

describe('Terraform: a module variable passed in the module block', () => {
  const MOD = 'variable "public" {\n  type    = bool\n  default = true\n}\n\noutput "p" {\n  value = var.public\n}\n';
  const tf = (root: string) => bind('terraform', { 'root/main.tf': root, 'mod/variables.tf': MOD }, 'root/main.tf', 'adb', 'mod/variables.tf', 'default', 'true', 'false');

  it('is added after the last argument, `=` aligned as terraform fmt aligns it', () => {
    assert.equal(tf('module "adb" {\n  source = "../mod"\n  count  = 1\n}\n'), 'public\nmodule "adb" {\n  source = "../mod"\n  count  = 1\n  public = false\n}\n');
    assert.equal(tf('module "adb" {\n  source = "../mod"\n  name = "x"\n}\n'), 'public\nmodule "adb" {\n  source = "../mod"\n  name = "x"\n  public = false\n}\n');
  });

  it('declines a block that already sets it, or a call of another folder', () => {
    assert.equal(tf('module "adb" {\n  source = "../mod"\n  public = var.p\n}\n'), undefined);
    assert.equal(tf('module "adb" {\n  source = "../other"\n}\n'), undefined);
  });
});

describe('ARM: a linked template parameter passed in the deployment', () => {
  const LINKED = '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",\n  "parameters": {\n    "access": { "type": "string", "defaultValue": "Enabled" }\n  },\n  "resources": []\n}\n';
  const deployment = (properties: string) =>
    `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",\n  "resources": [\n    {\n      "type": "Microsoft.Resources/deployments",\n      "apiVersion": "2022-09-01",\n      "name": "ws",\n      "properties": {\n${properties}\n      }\n    }\n  ]\n}\n`;
  const arm = (properties: string) =>
    bind('arm', { 'main.json': deployment(properties), 'nested/ws.json': LINKED }, 'main.json', 'ws', 'nested/ws.json', 'defaultValue', '"Enabled"', '"Disabled"');

  it('is added to `parameters`, which is created when absent', () => {
    const link = '        "mode": "Incremental",\n        "templateLink": { "relativePath": "nested/ws.json" }';
    assert.equal(arm(link), `access\n${deployment(`${link},\n        "parameters": {\n          "access": {\n            "value": "Disabled"\n          }\n        }`)}`);
    const withParams = `${link},\n        "parameters": {\n          "other": { "value": 1 }\n        }`;
    assert.equal(arm(withParams), `access\n${deployment(`${link},\n        "parameters": {\n          "other": { "value": 1 },\n          "access": {\n            "value": "Disabled"\n          }\n        }`)}`);
  });

  it('declines a parameters file link, a parameter already passed (any case) or another template', () => {
    const link = '        "templateLink": { "relativePath": "nested/ws.json" }';
    assert.equal(arm(`${link},\n        "parametersLink": { "uri": "https://example.com/p.json" }`), undefined);
    assert.equal(arm(`${link},\n        "parameters": { "ACCESS": { "value": "Enabled" } }`), undefined);
    assert.equal(arm('        "templateLink": { "relativePath": "nested/other.json" }'), undefined);
  });
});
