// The module model: a folder of .tf files, tfvars, locals, references, local modules with bound
// inputs, dynamic blocks, count/for_each and the azurerm version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terraformFrontEnd } from '../../server/src/frontends/terraform';
import { versionFromConstraint } from '../../server/src/frontends/terraform/version';
import { decideOverVersions, describePieces } from '../../server/src/model/version';
import { lookup } from '../../server/src/model/query';
import type { Resource, Unit, Value } from '../../server/src/model/types';
import { memoryHost } from './memhost';

function res(unit: Unit, symbolicName: string, via?: string): Resource {
  const r = unit.resources.find((x) => x.symbolicName === symbolicName && (via === undefined || x.viaModule?.join('.') === via));
  assert.ok(r, `resource ${symbolicName}`);
  return r;
}
function val(r: Resource, ...path: string[]): Value {
  const l = lookup(r, path);
  assert.notEqual(l.state, 'absent', `${path.join('.')} absent`);
  return l.state === 'absent' ? { kind: 'null' } : l.value;
}

const WS = `resource "azurerm_databricks_workspace" "this" {
  name                          = "\${local.prefix}-ws"
  sku                           = var.sku
  public_network_access_enabled = var.public_access
  location                      = azurerm_resource_group.rg.location

  custom_parameters {
    no_public_ip = false
  }
}
`;

test('a module split over several files, with a variable default overridden in terraform.tfvars', () => {
  const host = memoryHost({
    '/ws/app/main.tf': WS,
    '/ws/app/variables.tf': 'variable "sku" {\n  default = "standard"\n}\nvariable "public_access" {\n  type    = bool\n  default = true\n}\n',
    '/ws/app/locals.tf': 'locals {\n  prefix = "dbx"\n}\nresource "azurerm_resource_group" "rg" {\n  name     = "rg"\n  location = "westeurope"\n}\n',
    '/ws/app/terraform.tfvars': 'sku = "premium"\n',
    '/ws/app/z.auto.tfvars': 'public_access = false\n',
    '/ws/app/a.auto.tfvars': 'public_access = true\n',
  });
  const unit = terraformFrontEnd.loadUnit('/ws/app/main.tf', host);
  assert.equal(unit.root, '/ws/app');
  assert.deepEqual(unit.ownFiles.sort(), ['/ws/app/a.auto.tfvars', '/ws/app/locals.tf', '/ws/app/main.tf', '/ws/app/terraform.tfvars', '/ws/app/variables.tf', '/ws/app/z.auto.tfvars']);
  assert.deepEqual(unit.files.find((f) => f.path.endsWith('.tfvars'))?.dialect, 'tfvars');
  const ws = res(unit, 'azurerm_databricks_workspace.this');
  assert.equal(ws.kind, 'Microsoft.Databricks/workspaces');
  assert.equal(ws.schema, 'terraform');
  assert.equal(ws.sourceType, 'azurerm_databricks_workspace');
  assert.equal(WS.slice(ws.head.start, ws.head.end), '"azurerm_databricks_workspace" "this"');

  const sku = val(ws, 'sku');
  assert.deepEqual([sku.kind, sku.kind === 'string' && sku.value], ['string', 'premium']);
  assert.equal(sku.origin?.kind, 'parameter-file');
  assert.equal(sku.origin?.dialect, 'tfvars');
  assert.equal(sku.origin?.at.file, '/ws/app/terraform.tfvars');
  assert.equal(WS.slice(sku.loc!.span.start, sku.loc!.span.end), 'var.sku');

  // z.auto.tfvars is applied after a.auto.tfvars and wins.
  const pna = val(ws, 'public_network_access_enabled');
  assert.deepEqual(pna.kind === 'bool' && pna.value, false);
  assert.equal(pna.origin?.at.file, '/ws/app/z.auto.tfvars');

  const name = val(ws, 'name');
  assert.equal(name.kind === 'string' && name.value, 'dbx-ws');
  const loc = val(ws, 'location');
  assert.equal(loc.kind, 'ref');
  if (loc.kind === 'ref') {
    assert.equal(loc.attribute, 'location');
    assert.equal(loc.target.symbolicName, 'azurerm_resource_group.rg');
  }
  const npi = val(ws, 'custom_parameters', 'no_public_ip');
  assert.equal(npi.kind === 'bool' && npi.value, false);
  assert.equal(npi.origin?.kind, 'literal');
  const cp = ws.body.props.find((p) => p.key === 'custom_parameters');
  assert.equal(cp?.value.kind === 'object' && cp.value.block, true);
});

test('variable default without tfvars gives a parameter-default origin; unknowns carry a reason', () => {
  const host = memoryHost({
    '/ws/m/main.tf': 'variable "pna" {\n  default = true\n}\nvariable "nodef" {}\nresource "azurerm_databricks_workspace" "w" {\n  public_network_access_enabled = var.pna\n  sku = var.nodef\n  x = data.azurerm_client_config.c.tenant_id\n}\n',
  });
  const unit = terraformFrontEnd.loadUnit('/ws/m', host);
  const ws = res(unit, 'azurerm_databricks_workspace.w');
  const pna = val(ws, 'public_network_access_enabled');
  assert.equal(pna.origin?.kind, 'parameter-default');
  assert.equal(pna.origin?.name, 'pna');
  const sku = lookup(ws, ['sku']);
  assert.equal(sku.state, 'unknown');
  assert.match(sku.state === 'unknown' ? sku.value.reason : '', /no default/);
  assert.equal(lookup(ws, ['x']).state, 'unknown', 'a data source that is not declared');
});

test('a local module is followed with its inputs bound; remote modules are not', () => {
  const host = memoryHost({
    '/ws/root/main.tf':
      'module "dbx" {\n  source = "./modules/ws"\n  sku    = "premium"\n  pna    = var.pna\n}\nmodule "remote" {\n  source = "Azure/avm-res-databricks-workspace/azurerm"\n}\nmodule "escape" {\n  source = "../../outside"\n}\nvariable "pna" {\n  default = false\n}\noutput "id" {\n  value = module.dbx.id\n}\n',
    '/ws/root/modules/ws/main.tf':
      'variable "sku" {}\nvariable "pna" {\n  default = true\n}\nresource "azurerm_databricks_workspace" "this" {\n  sku = var.sku\n  public_network_access_enabled = var.pna\n}\noutput "id" {\n  value = azurerm_databricks_workspace.this.id\n}\n',
    '/outside/main.tf': 'resource "azurerm_databricks_workspace" "evil" {}\n',
  });
  const unit = terraformFrontEnd.loadUnit('/ws/root/main.tf', host);
  assert.deepEqual(unit.ownFiles, ['/ws/root/main.tf']);
  assert.ok(unit.files.some((f) => f.path === '/ws/root/modules/ws/main.tf'));
  assert.ok(!unit.resources.some((r) => r.symbolicName.endsWith('.evil')), 'never leaves the workspace roots');
  const ws = res(unit, 'azurerm_databricks_workspace.this', 'dbx');
  assert.deepEqual(ws.viaModule, ['dbx']);
  const sku = val(ws, 'sku');
  assert.equal(sku.kind === 'string' && sku.value, 'premium');
  assert.equal(sku.origin?.at.file, '/ws/root/main.tf');
  const pna = val(ws, 'public_network_access_enabled');
  assert.equal(pna.kind === 'bool' && pna.value, false);
  assert.equal(pna.origin?.kind, 'parameter-default');
  assert.equal(pna.origin?.at.file, '/ws/root/main.tf');
});

test('count, for_each and dynamic blocks', () => {
  const host = memoryHost({
    '/ws/c/main.tf': [
      'variable "create" {\n  type = bool\n}',
      'resource "azurerm_storage_account" "a" {\n  count = var.create ? 1 : 0\n  name  = "a${count.index}"\n}',
      'resource "azurerm_storage_account" "b" {\n  for_each = toset(["x", "y"])\n  name     = each.key\n}',
      'resource "azurerm_storage_account" "c" {\n  count = 1\n}',
      'resource "azurerm_network_security_group" "n" {\n  dynamic "security_rule" {\n    for_each = var.rules\n    content {\n      name   = security_rule.value.name\n      access = "Allow"\n    }\n  }\n}',
      'data "azurerm_client_config" "c" {}',
      'resource "azurerm_key_vault" "kv" {\n  tenant_id = data.azurerm_client_config.c.tenant_id\n}',
      'resource "databricks_cluster" "k" {\n  spark_conf = {\n    "a.b" = "c"\n  }\n}',
      '',
    ].join('\n'),
  });
  const unit = terraformFrontEnd.loadUnit('/ws/c/main.tf', host);
  assert.equal(res(unit, 'azurerm_storage_account.a').conditional, true);
  assert.equal(res(unit, 'azurerm_storage_account.b').loop, true);
  // for_each over a known set: one instance per element, each.key bound.
  const names = unit.resources
    .filter((r) => r.symbolicName === 'azurerm_storage_account.b')
    .map((r) => {
      const name = lookup(r, ['name']);
      return name.state === 'set' && name.value.kind === 'string' ? name.value.value : name.state;
    });
  assert.deepEqual(names, ['x', 'y']);
  assert.ok(!res(unit, 'azurerm_storage_account.c').loop);
  const nsg = res(unit, 'azurerm_network_security_group.n');
  assert.equal(nsg.kind, 'Microsoft.Network/networkSecurityGroups');
  const rule = nsg.body.props.find((p) => p.key === 'security_rule');
  assert.ok(rule && rule.value.kind === 'object' && rule.value.block);
  assert.equal(lookup(nsg, ['security_rule', 'access']).state, 'unknown');
  const data = res(unit, 'data.azurerm_client_config.c');
  assert.equal(data.existing, true, 'data sources are existing resources');
  const tenant = val(res(unit, 'azurerm_key_vault.kv'), 'tenant_id');
  assert.ok(tenant.kind === 'ref' && tenant.target === data && tenant.attribute === 'tenant_id');
  const k = res(unit, 'databricks_cluster.k');
  assert.equal(k.kind, 'databricks_cluster');
  const conf = val(k, 'spark_conf', 'a.b');
  assert.equal(conf.kind === 'string' && conf.value, 'c');
});

test('templates: interpolation, heredocs, functions and conditionals evaluate', () => {
  const host = memoryHost({
    '/ws/t/main.tf': [
      'locals {',
      '  env  = "prod"',
      '  big  = 3 > 2',
      '  tags = merge({ a = "1" }, { b = upper(local.env) })',
      '}',
      'resource "databricks_cluster" "c" {',
      '  name    = format("%s-%d", local.env, 7)',
      '  text    = <<-EOT',
      '    env: ${local.env}',
      '      indented',
      '    EOT',
      '  mode    = local.big ? "SINGLE_USER" : "NONE"',
      '  b       = local.tags.b',
      '  joined  = join(",", ["x", local.env])',
      '  unknown = timestamp()',
      '}',
      '',
    ].join('\n'),
  });
  const unit = terraformFrontEnd.loadUnit('/ws/t/main.tf', host);
  const c = res(unit, 'databricks_cluster.c');
  const str = (p: string) => {
    const v = val(c, p);
    return v.kind === 'string' ? v.value : v.kind;
  };
  assert.equal(str('name'), 'prod-7');
  assert.equal(str('text'), 'env: prod\n  indented\n');
  assert.equal(str('mode'), 'SINGLE_USER');
  assert.equal(str('b'), 'PROD');
  assert.equal(str('joined'), 'x,prod');
  assert.equal(lookup(c, ['unknown']).state, 'unknown');
  const mode = val(c, 'mode');
  assert.equal(mode.origin?.kind, 'literal', 'the chosen branch keeps its literal origin');
});

test('repeated nested blocks become an array', () => {
  const host = memoryHost({ '/ws/r/main.tf': 'resource "azurerm_network_interface" "n" {\n  ip_configuration {\n    name = "a"\n  }\n  ip_configuration {\n    name = "b"\n  }\n}\n' });
  const unit = terraformFrontEnd.loadUnit('/ws/r/main.tf', host);
  const nic = res(unit, 'azurerm_network_interface.n');
  assert.equal(nic.kind, 'Microsoft.Network/networkInterfaces');
  const ip = nic.body.props.find((p) => p.key === 'ip_configuration');
  assert.equal(ip?.value.kind, 'array');
  assert.equal(ip?.value.kind === 'array' && ip.value.items.length, 2);
});

test('azurerm version from the lock file, else from required_providers', () => {
  const tf = 'terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 3.90"\n    }\n  }\n}\nresource "azurerm_databricks_workspace" "w" {}\nresource "databricks_token" "t" {}\n';
  const withLock = memoryHost({
    '/ws/l/main.tf': tf,
    '/ws/l/.terraform.lock.hcl': 'provider "registry.terraform.io/hashicorp/azurerm" {\n  version     = "3.104.2"\n  constraints = "~> 3.90"\n  hashes = [\n    "h1:x",\n  ]\n}\n',
  });
  const u1 = terraformFrontEnd.loadUnit('/ws/l/main.tf', withLock);
  const locked = res(u1, 'azurerm_databricks_workspace.w').providerVersion;
  assert.deepEqual(
    { ...locked, at: undefined },
    { min: [3, 104, 2], max: { version: [3, 104, 2], inclusive: true }, major: 3, minor: 104, patch: 2, source: 'lock-file', text: '3.104.2', at: undefined },
  );
  assert.equal(locked?.at?.file, '/ws/l/.terraform.lock.hcl');
  assert.equal(res(u1, 'databricks_token.t').providerVersion, undefined);
  const u2 = terraformFrontEnd.loadUnit('/ws/k/main.tf', memoryHost({ '/ws/k/main.tf': tf }));
  const constrained = res(u2, 'azurerm_databricks_workspace.w').providerVersion;
  assert.deepEqual({ min: constrained?.min, max: constrained?.max, major: constrained?.major, text: constrained?.text }, { min: [3, 90, 0], max: { version: [4, 0, 0], inclusive: false }, major: 3, text: '~> 3.90' });
  // The place read is the constraint string itself.
  assert.equal(tf.slice(constrained!.at!.span.start, constrained!.at!.span.end), '"~> 3.90"');
  const u3 = terraformFrontEnd.loadUnit('/ws/k/main.tf', memoryHost({ '/ws/k/main.tf': tf.replace('~> 3.90', '>= 4.0, < 5.0') }));
  assert.equal(res(u3, 'azurerm_databricks_workspace.w').providerVersion?.major, 4);
  const u4 = terraformFrontEnd.loadUnit('/ws/k/main.tf', memoryHost({ '/ws/k/main.tf': tf.replace('~> 3.90', '>= 3.0') }));
  const open = res(u4, 'azurerm_databricks_workspace.w').providerVersion;
  assert.deepEqual({ min: open?.min, max: open?.max, major: open?.major }, { min: [3, 0, 0], max: undefined, major: undefined });
  const u5 = terraformFrontEnd.loadUnit('/ws/k/main.tf', memoryHost({ '/ws/k/main.tf': 'resource "azurerm_databricks_workspace" "w" {}\n' }));
  assert.equal(res(u5, 'azurerm_databricks_workspace.w').providerVersion, undefined);
});

test('version constraints', () => {
  const range = (c: string) => {
    const v = versionFromConstraint(c);
    return v && { min: v.min, max: v.max, major: v.major, minor: v.minor, patch: v.patch };
  };
  assert.deepEqual(range('~> 3.104.0'), { min: [3, 104, 0], max: { version: [3, 105, 0], inclusive: false }, major: 3, minor: 104, patch: undefined });
  assert.deepEqual(range('= 4.1.0'), { min: [4, 1, 0], max: { version: [4, 1, 0], inclusive: true }, major: 4, minor: 1, patch: 0 });
  assert.deepEqual(range('3.110.0'), { min: [3, 110, 0], max: { version: [3, 110, 0], inclusive: true }, major: 3, minor: 110, patch: 0 });
  assert.deepEqual(range('~> 3.0'), { min: [3, 0, 0], max: { version: [4, 0, 0], inclusive: false }, major: 3, minor: undefined, patch: undefined });
  assert.deepEqual(range('>=3.104, <3.105'), { min: [3, 104, 0], max: { version: [3, 105, 0], inclusive: false }, major: 3, minor: 104, patch: undefined });
  assert.deepEqual(range('>= 2.0'), { min: [2, 0, 0], max: undefined, major: undefined, minor: undefined, patch: undefined });
  assert.deepEqual(range('< 4.0'), { min: [0, 0, 0], max: { version: [4, 0, 0], inclusive: false }, major: undefined, minor: undefined, patch: undefined });
  assert.equal(versionFromConstraint('>= banana'), undefined);
});

test('a verdict over a version range is known when every allowed version agrees', () => {
  const noPublicIp = (at: [number, number, number]) => (at[0] >= 4 ? 'true' : at[0] >= 3 && at[1] >= 104 ? 'true' : 'false');
  const cuts: [number, number, number][] = [[3, 0, 0], [3, 104, 0], [4, 0, 0]];
  assert.deepEqual(decideOverVersions(versionFromConstraint('>= 4.0.0')!, cuts, noPublicIp), { known: true, value: 'true' });
  assert.deepEqual(decideOverVersions(versionFromConstraint('~> 3.104')!, cuts, noPublicIp), { known: true, value: 'true' });
  const crossing = decideOverVersions(versionFromConstraint('~> 3.0')!, cuts, noPublicIp);
  assert.equal(crossing.known, false);
  assert.deepEqual(!crossing.known && crossing.pieces.map((p) => [p.from, p.to, p.value]), [[[3, 0, 0], [3, 104, 0], 'false'], [[3, 104, 0], [4, 0, 0], 'true']]);
  assert.equal(!crossing.known && describePieces(crossing.pieces, (v) => v === 'false'), 'before 3.104');
  assert.equal(!crossing.known && describePieces(crossing.pieces, (v) => v === 'true'), 'from 3.104');
  // Pieces with the same verdict merge: 3.104 and later are all true.
  const open = decideOverVersions(versionFromConstraint('>= 3.0')!, cuts, noPublicIp);
  assert.deepEqual(!open.known && open.pieces.map((p) => [p.from, p.to]), [[[3, 0, 0], [3, 104, 0]], [[3, 104, 0], undefined]]);
});

test('syntax errors are reported per file and never throw', () => {
  const host = memoryHost({ '/ws/e/main.tf': 'resource "azurerm_databricks_workspace" "a" {\n  sku = \n\nresource "azurerm_storage_account" "s" {\n}\n' });
  const unit = terraformFrontEnd.loadUnit('/ws/e/main.tf', host);
  assert.ok(unit.files[0].syntaxErrors.length > 0);
  assert.equal(unit.files[0].syntaxErrors[0].file, '/ws/e/main.tf');
  assert.ok(unit.resources.some((r) => r.symbolicName === 'azurerm_storage_account.s'));
  assert.ok(terraformFrontEnd.accepts('/x/a.tf', '') && terraformFrontEnd.accepts('/x/t.tfvars', '') && !terraformFrontEnd.accepts('/x/a.tf.json', ''));
});
