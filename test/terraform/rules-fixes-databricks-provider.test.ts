// Preferred fixes of the databricks provider rules, before → after, through the engine's fix-all
// (the fixtures live one per folder; see rules-fixes.test.ts for why there are no .fixed.tf files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePath, diskHost, fixAllEdits, overlayHost } from '../../server/src/engine';
import { parseHcl } from '../../server/src/syntax/hcl';
import { applyEdits } from '../../server/src/text';
import { repoRoot } from '../helpers/corpus';
import { stripMarkers } from '../helpers/fixtures';
import { FIXTURES, fixAllOf } from './fix-all';

/** Fix-all of a fixture's main.tf: the changed files' texts (marker lines removed first). */
function fixAll(dir: string): Map<string, { before: string; after: string }> {
  const { files, again } = fixAllOf(dir);
  assert.deepEqual(again.findings.map((f) => f.ruleId), [], 'no finding left');
  return files;
}

function diff(dir: string, file = 'main.tf'): { before: string; after: string } {
  const r = fixAll(dir).get(file);
  assert.ok(r, `${dir}: ${file} changed`);
  return r;
}

test('cluster isolation: NO_ISOLATION and NONE become USER_ISOLATION', () => {
  const { before, after } = diff('cluster-isolation/no-isolation');
  assert.equal(after, before.replace('"NO_ISOLATION"', '"USER_ISOLATION"').replace('"NONE"', '"USER_ISOLATION"'));
});

test('cluster isolation: legacy modes become USER_ISOLATION', () => {
  const { before, after } = diff('cluster-isolation/legacy');
  assert.equal(after, before.replace('"LEGACY_TABLE_ACL"', '"USER_ISOLATION"').replace('"LEGACY_PASSTHROUGH"', '"USER_ISOLATION"'));
});

test('cluster isolation: an unset mode is inserted, aligned', () => {
  const { before, after } = diff('cluster-isolation/unset');
  assert.equal(after, before.replace(
    '  cluster_name  = "this"\n  spark_version = "15.4.x-scala2.12"\n  node_type_id  = "Standard_DS3_v2"\n  num_workers   = 1\n}',
    '  cluster_name       = "this"\n  spark_version      = "15.4.x-scala2.12"\n  node_type_id       = "Standard_DS3_v2"\n  num_workers        = 1\n  data_security_mode = "USER_ISOLATION"\n}',
  ));
});

test('cluster isolation: the variable default is changed', () => {
  const { before, after } = diff('cluster-isolation/variable-default');
  assert.equal(after, before.replace('default = "NO_ISOLATION"', 'default = "USER_ISOLATION"'));
});

test('cluster isolation: the terraform.tfvars value is changed', () => {
  const changed = fixAll('cluster-isolation/tfvars');
  assert.deepEqual([...changed.keys()], ['terraform.tfvars']);
  assert.equal(changed.get('terraform.tfvars')!.after, 'security_mode = "USER_ISOLATION"\n');
});

test('cluster SSH: the attribute is removed', () => {
  const { before, after } = diff('cluster-ssh/keys');
  assert.equal(after, before.replace('  ssh_public_keys    = ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 admin@example.com"]\n', ''));
});

test('cluster SSH: an attribute fed by a variable is removed, the variable stays', () => {
  const { before, after } = diff('cluster-ssh/variable-default');
  assert.equal(after, before.replace('  ssh_public_keys    = var.ssh_keys\n', ''));
});

test('token lifetime: lifetime_seconds = 7776000 is inserted', () => {
  const { before, after } = diff('token-lifetime/absent');
  assert.equal(after, before.replace('  comment = "CI pipeline"\n}', '  comment          = "CI pipeline"\n  lifetime_seconds = 7776000\n}'));
});

test('open IP access list: guidance only, no fix', () => {
  const file = join(FIXTURES, 'ip-access-list-open', 'open', 'main.tf');
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, stripMarkers(readFileSync(file, 'utf8'))]])));
  assert.ok(result);
  assert.equal(result.findings.filter((f) => f.ruleId === 'databricks-ip-access-list-open').length, 2);
  assert.deepEqual(fixAllEdits(result, file), []);
});

test('credential passthrough: guidance only; a heredoc policy definition is read', () => {
  const file = join(FIXTURES, 'credential-passthrough', 'heredoc-policy.virtual', 'main.tf');
  const text = [
    'resource "databricks_cluster_policy" "etl" {',
    '  name       = "etl"',
    '  definition = <<-EOT',
    '    {',
    '      "spark_conf.fs.azure.sas.raw.lake.blob.core.windows.net": { "type": "fixed", "value": "{{secrets/etl/sas}}" }',
    '    }',
    '  EOT',
    '}',
    '',
  ].join('\n');
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, text]])));
  assert.ok(result);
  const findings = result.findings.filter((f) => f.ruleId === 'databricks-credential-passthrough');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /SAS token/);
  assert.match(findings[0].message, /Unity Catalog storage credential/);
  assert.doesNotMatch(findings[0].message, /passthrough/i);
  assert.deepEqual(fixAllEdits(result, file), []);
});

test('hardcoded secret: a token in terraform.tfvars is reported there, once; guidance only', () => {
  const file = join(FIXTURES, 'hardcoded-secret', 'tfvars', 'main.tf');
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, stripMarkers(readFileSync(file, 'utf8'))]])));
  assert.ok(result);
  const findings = result.findings.filter((f) => f.ruleId === 'databricks-hardcoded-secret');
  assert.deepEqual(findings.map((f) => f.file), [join(FIXTURES, 'hardcoded-secret', 'tfvars', 'terraform.tfvars')]);
  assert.equal(findings[0].severity, 'error');
  assert.doesNotMatch(findings[0].message, /dapi[0-9a-f]/, 'the message never repeats the secret');
  assert.deepEqual(fixAllEdits(result, file), []);
});

/** Applies the preferred fix of one rule's findings only; returns the changed texts and the findings after. */
function fixRule(dir: string, ruleId: string) {
  const file = join(FIXTURES, dir, 'main.tf');
  const plain = stripMarkers(readFileSync(file, 'utf8'));
  const host = overlayHost(diskHost([repoRoot]), new Map([[file, plain]]));
  const result = analyzePath(file, host);
  assert.ok(result);
  const mine = result.findings.filter((f) => f.ruleId === ruleId);
  assert.ok(mine.length > 0, `${dir}: ${ruleId} reported`);
  const edits = mine.flatMap((f) => f.fixes.filter((x) => x.preferred).flatMap((x) => x.edits));
  const texts = new Map<string, string>();
  for (const path of new Set(edits.map((e) => e.file))) {
    const before = path === file ? plain : readFileSync(path, 'utf8');
    const after = applyEdits(before, edits.filter((e) => e.file === path));
    assert.deepEqual(parseHcl(after).errors, []);
    texts.set(path, after);
  }
  if (!texts.has(file)) texts.set(file, plain);
  const again = analyzePath(file, overlayHost(diskHost([repoRoot]), texts));
  assert.ok(again);
  const others = (r: typeof result) => r.findings.filter((f) => f.ruleId !== ruleId).map((f) => `${f.ruleId}@${f.file}`).sort();
  assert.deepEqual(others(again), others(result), 'no new finding of another rule');
  return { plain, texts, file, after: again.findings.filter((f) => f.ruleId === ruleId) };
}

test('IP access list: a false flag becomes true when an ALLOW list exists', () => {
  const { plain, texts, file, after } = fixRule('ip-access-list/flag-false', 'databricks-ip-access-list');
  assert.equal(texts.get(file), plain.replace('"enableIpAccessLists" = false', '"enableIpAccessLists" = true'));
  assert.deepEqual(after, []);
});

test('IP access list: the flag set in terraform.tfvars is changed there', () => {
  const { texts, after } = fixRule('ip-access-list/tfvars', 'databricks-ip-access-list');
  assert.equal(texts.get(join(FIXTURES, 'ip-access-list', 'tfvars', 'terraform.tfvars')), 'enable_ip_access_lists = true\n');
  assert.deepEqual(after, []);
});

test('IP access list: a workspace_conf without custom_config gets the map with the flag when an ALLOW list exists', () => {
  const { plain, texts, file, after } = fixRule('ip-access-list/conf-without-map', 'databricks-ip-access-list');
  assert.equal(
    texts.get(file),
    plain.replace('resource "databricks_workspace_conf" "this" {\n}', 'resource "databricks_workspace_conf" "this" {\n  custom_config = {\n    enableIpAccessLists = true\n  }\n}'),
  );
  assert.deepEqual(after, []);
});

test('IP access list: an ALLOW list without any workspace_conf gets one after the workspace', () => {
  const { plain, texts, file, after } = fixRule('ip-access-list/allow-list-without-conf', 'databricks-ip-access-list');
  assert.equal(
    texts.get(file),
    plain.replace(
      '  sku                 = "premium"\n}\n',
      '  sku                 = "premium"\n}\n\nresource "databricks_workspace_conf" "this" {\n  custom_config = {\n    enableIpAccessLists = true\n  }\n}\n',
    ),
  );
  assert.deepEqual(after, []);
});

test('IP access list: where an ALLOW list would have to be inserted, the fix is offered, not preferred, and names its CIDR variable', () => {
  const titles: Record<string, RegExp> = {
    'ip-access-list/no-config': /^Add a databricks_workspace_conf that sets "enableIpAccessLists" and an ALLOW list \(give the allowed CIDRs in var\.allowed_cidrs\)$/,
    'ip-access-list/no-allow-list': /^Add an ALLOW databricks_ip_access_list \(give the allowed CIDRs in var\.allowed_cidrs\)$/,
  };
  for (const [dir, title] of Object.entries(titles)) {
    const file = join(FIXTURES, dir, 'main.tf');
    const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, stripMarkers(readFileSync(file, 'utf8'))]])));
    assert.ok(result);
    const mine = result.findings.filter((f) => f.ruleId === 'databricks-ip-access-list');
    assert.equal(mine.length, 1, dir);
    assert.deepEqual(mine[0].fixes.filter((x) => x.preferred), [], dir);
    const fixes = mine[0].fixes.filter((x) => x.kind === 'fix');
    assert.equal(fixes.length, 1, dir);
    assert.match(fixes[0].title, title, dir);
  }
});

test('IP access list: the title names the CIDR variable the fix writes, also when the name is taken', () => {
  const file = join(FIXTURES, 'ip-access-list', 'no-allow-list', 'main.tf');
  const text = `${stripMarkers(readFileSync(file, 'utf8'))}\nvariable "allowed_cidrs" {\n  type = list(string)\n}\n`;
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, text]])));
  assert.ok(result);
  const fix = result.findings.find((f) => f.ruleId === 'databricks-ip-access-list')?.fixes.find((x) => x.kind === 'fix');
  assert.ok(fix);
  assert.equal(fix.title, 'Add an ALLOW databricks_ip_access_list (give the allowed CIDRs in var.allowed_cidrs_2)');
  const after = applyEdits(text, fix.edits.filter((e) => e.file === file));
  assert.match(after, /variable "allowed_cidrs_2" \{/);
  assert.match(after, /ip_addresses = var\.allowed_cidrs_2\n/);
});

test('IP access list: with two public workspaces and no workspace_conf, only the first one\'s fix adds it in fix-all', () => {
  const file = join(FIXTURES, 'ip-access-list', 'allow-list-without-conf', 'main.tf');
  const plain = stripMarkers(readFileSync(file, 'utf8'));
  const text = plain.replace(
    'resource "databricks_ip_access_list"',
    'resource "azurerm_databricks_workspace" "other" {\n  name                = "dbx2"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "premium"\n}\n\nresource "databricks_ip_access_list"',
  );
  const result = analyzePath(file, overlayHost(diskHost([repoRoot]), new Map([[file, text]])));
  assert.ok(result);
  const fixes = result.findings.filter((f) => f.ruleId === 'databricks-ip-access-list').map((f) => f.fixes.find((x) => x.kind === 'fix'));
  assert.deepEqual(fixes.map((x) => x?.preferred), [true, false]);
});
