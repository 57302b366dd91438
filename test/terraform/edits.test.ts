// The HCL edit builder: before → after text, terraform fmt alignment, nested blocks, variable
// defaults and tfvars, CRLF and tabs; the result parses and a second application changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terraformFrontEnd } from '../../server/src/frontends/terraform';
import type { Json } from '../../server/src/fixes/intent';
import type { Unit } from '../../server/src/model/types';
import { parseHcl } from '../../server/src/syntax/hcl';
import { applyEdits } from '../../server/src/text';
import { memoryHost } from './memhost';

const MAIN = '/ws/app/main.tf';

function load(files: Record<string, string>): Unit {
  return terraformFrontEnd.loadUnit(MAIN, memoryHost(files));
}

/** Applies a set intent on the first workspace; returns the new files, checking the invariants. */
function set(files: Record<string, string>, path: string[], value: Json, sym = 'azurerm_databricks_workspace.this'): { files: Record<string, string>; where?: string } {
  const unit = load(files);
  const r = unit.resources.find((x) => x.symbolicName === sym)!;
  const fix = terraformFrontEnd.edits.render({ op: 'set', resource: r, path, value }, unit);
  assert.ok(fix, 'a fix is rendered');
  const out = { ...files };
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    out[file] = applyEdits(files[file], fix.edits.filter((e) => e.file === file));
    assert.deepEqual(parseHcl(out[file]).errors, [], 'the result parses');
  }
  // A second application changes nothing.
  const unit2 = load(out);
  const r2 = unit2.resources.find((x) => x.symbolicName === sym)!;
  const again = terraformFrontEnd.edits.render({ op: 'set', resource: r2, path, value }, unit2);
  assert.ok(again);
  for (const e of again.edits) assert.equal(out[e.file].slice(e.span.start, e.span.end), e.newText, 'idempotent');
  return { files: out, where: fix.where };
}

test('replaces a literal in place', () => {
  const before = 'resource "azurerm_databricks_workspace" "this" {\n  sku                           = "standard"\n  public_network_access_enabled = true\n}\n';
  const r = set({ [MAIN]: before }, ['public_network_access_enabled'], false);
  assert.equal(r.files[MAIN], before.replace('= true', '= false'));
  assert.equal(r.where, undefined);
});

test('inserts an attribute after the last one, realigning the group like terraform fmt', () => {
  const before = [
    'resource "azurerm_databricks_workspace" "this" {',
    '  name     = "ws"',
    '  location = "westeurope"',
    '  sku      = "premium"',
    '',
    '  tags = {',
    '    a = "b"',
    '  }',
    '}',
    '',
  ].join('\n');
  const after = [
    'resource "azurerm_databricks_workspace" "this" {',
    '  name     = "ws"',
    '  location = "westeurope"',
    '  sku      = "premium"',
    '',
    '  tags = {',
    '    a = "b"',
    '  }',
    '  public_network_access_enabled = false',
    '}',
    '',
  ].join('\n');
  assert.equal(set({ [MAIN]: before }, ['public_network_access_enabled'], false).files[MAIN], after);

  const grouped = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  sku  = "premium"\n}\n';
  assert.equal(
    set({ [MAIN]: grouped }, ['public_network_access_enabled'], false).files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\n  name                          = "ws"\n  sku                           = "premium"\n  public_network_access_enabled = false\n}\n',
  );
  const shortName = 'resource "azurerm_databricks_workspace" "this" {\n  name     = "ws"\n  location = "x"\n}\n';
  assert.equal(set({ [MAIN]: shortName }, ['sku'], 'premium').files[MAIN], 'resource "azurerm_databricks_workspace" "this" {\n  name     = "ws"\n  location = "x"\n  sku      = "premium"\n}\n');
});

test('inserts before nested blocks and meta-arguments, realigning that group', () => {
  const before = [
    'resource "azurerm_databricks_workspace" "this" {',
    '  count = 1',
    '',
    '  name = "ws"',
    '  sku  = "premium"',
    '  custom_parameters {',
    '    no_public_ip = true',
    '  }',
    '  depends_on = [',
    '    azurerm_subnet.a,',
    '  ]',
    '}',
    '',
  ].join('\n');
  const after = [
    'resource "azurerm_databricks_workspace" "this" {',
    '  count = 1',
    '',
    '  name                          = "ws"',
    '  sku                           = "premium"',
    '  public_network_access_enabled = false',
    '  custom_parameters {',
    '    no_public_ip = true',
    '  }',
    '  depends_on = [',
    '    azurerm_subnet.a,',
    '  ]',
    '}',
    '',
  ].join('\n');
  assert.equal(set({ [MAIN]: before }, ['public_network_access_enabled'], false).files[MAIN], after);
  // The first line of a multi-line value right after the new line belongs to the same group.
  const multi = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  custom_parameters {\n  }\n  tags = {\n    a = "b"\n  }\n}\n';
  const multiAfter = set({ [MAIN]: multi.replace('  custom_parameters {\n  }\n', '') }, ['sku'], 'premium').files[MAIN];
  assert.equal(multiAfter, 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  tags = {\n    a = "b"\n  }\n  sku = "premium"\n}\n');
  // Inserted in the middle of a group, the lines after it are aligned too.
  const middle = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  custom_parameters {}\n  tags = {}\n}\n';
  assert.equal(
    set({ [MAIN]: middle }, ['sku'], 'premium').files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  sku  = "premium"\n  custom_parameters {}\n  tags = {}\n}\n',
  );
});

test('creates missing nested blocks and inserts into existing ones', () => {
  const before = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n}\n';
  assert.equal(
    set({ [MAIN]: before }, ['custom_parameters', 'no_public_ip'], true).files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  custom_parameters {\n    no_public_ip = true\n  }\n}\n',
  );
  const withBlock = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n\n  custom_parameters {\n    virtual_network_id = "v"\n  }\n}\n';
  assert.equal(
    set({ [MAIN]: withBlock }, ['custom_parameters', 'no_public_ip'], true).files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n\n  custom_parameters {\n    virtual_network_id = "v"\n    no_public_ip       = true\n  }\n}\n',
  );
  const single = 'resource "azurerm_databricks_workspace" "this" {\n  custom_parameters {}\n}\n';
  assert.equal(
    set({ [MAIN]: single }, ['custom_parameters', 'no_public_ip'], true).files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\n  custom_parameters {\n    no_public_ip = true\n  }\n}\n',
  );
});

test('changes the variable default or the tfvars value the attribute comes from', () => {
  const main = 'resource "azurerm_databricks_workspace" "this" {\n  public_network_access_enabled = var.public\n}\nvariable "public" {\n  type    = bool\n  default = true\n}\n';
  const r = set({ [MAIN]: main }, ['public_network_access_enabled'], false);
  assert.equal(r.files[MAIN], main.replace('default = true', 'default = false'));
  assert.equal(r.where, "default of variable 'public'");
  const tfvars = '/ws/app/terraform.tfvars';
  const r2 = set({ [MAIN]: main, [tfvars]: 'public = true # keep\n' }, ['public_network_access_enabled'], false);
  assert.equal(r2.files[tfvars], 'public = false # keep\n');
  assert.equal(r2.files[MAIN], main);
  assert.equal(r2.where, 'terraform.tfvars');
});

test('keeps CRLF line endings and tab indentation', () => {
  const before = 'resource "azurerm_databricks_workspace" "this" {\r\n\tname = "ws"\r\n}\r\n';
  assert.equal(
    set({ [MAIN]: before }, ['custom_parameters', 'no_public_ip'], true).files[MAIN],
    'resource "azurerm_databricks_workspace" "this" {\r\n\tname = "ws"\r\n\tcustom_parameters {\r\n\t\tno_public_ip = true\r\n\t}\r\n}\r\n',
  );
});

test('does not realign a group that is not fmt-aligned (minimal edits)', () => {
  const before = 'resource "azurerm_databricks_workspace" "this" {\n  name = "ws"\n  location    = "x"\n}\n';
  assert.equal(set({ [MAIN]: before }, ['sku'], 'premium').files[MAIN], before.replace('}\n', '  sku = "premium"\n}\n'));
});

test('remove deletes the attribute line and realigns its neighbours', () => {
  const before = 'resource "databricks_cluster" "this" {\n  cluster_name    = "c"\n  ssh_public_keys = ["ssh-rsa AAA"]\n}\n';
  const unit = load({ [MAIN]: before });
  const r = unit.resources[0];
  const fix = terraformFrontEnd.edits.render({ op: 'remove', resource: r, path: ['ssh_public_keys'] }, unit);
  assert.ok(fix);
  assert.equal(applyEdits(before, fix.edits), 'resource "databricks_cluster" "this" {\n  cluster_name = "c"\n}\n');
});

test('replaceValue edits the literal behind a value and escapes strings', () => {
  const before = 'resource "databricks_cluster" "this" {\n  spark_conf = {\n    "k" = "v"\n  }\n}\n';
  const unit = load({ [MAIN]: before });
  const conf = unit.resources[0].body.props[0].value;
  assert.equal(conf.kind, 'object');
  if (conf.kind !== 'object') return;
  const fix = terraformFrontEnd.edits.render({ op: 'replaceValue', target: conf.props[0].value, value: '{{secrets/s/${k}}}' }, unit);
  assert.ok(fix);
  assert.equal(applyEdits(before, fix.edits), before.replace('"v"', () => '"{{secrets/s/$${k}}}"'));
});

test('a new variable is named apart from every variable block, a bare label too, and not from text in a heredoc', () => {
  const before = [
    'variable ws_subnet_id {',
    '  type = string',
    '}',
    '',
    'locals {',
    '  doc = <<EOT',
    'variable "ws_vnet_id" {',
    'EOT',
    '}',
    '',
    'resource "azurerm_databricks_workspace" "ws" {',
    '  sku = "premium"',
    '}',
    '',
  ].join('\n');
  const unit = load({ [MAIN]: before });
  const ws = unit.resources.find((x) => x.symbolicName === 'azurerm_databricks_workspace.ws')!;
  const names = ['subnetId', 'vnetId'].map((name) => {
    const fix = terraformFrontEnd.edits.render({ op: 'addParameter', as: name, near: ws, name, type: 'string', description: 'd' }, unit);
    assert.ok(fix, `a fix adds ${name}`);
    const after = applyEdits(before, fix.edits);
    assert.deepEqual(parseHcl(after).errors, []);
    return /variable "([^"]+)" \{\n  type/.exec(after.slice(fix.edits[0].span.start))?.[1];
  });
  assert.deepEqual(names, ['ws_subnet_id_2', 'ws_vnet_id']);
});
