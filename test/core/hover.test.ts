// Hover markdown: the rule behind a finding (compact), the posture of a resource, user text escaped,
// code spans never escaped.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratch';
import { test } from 'node:test';
import { analyzePath, diskHost, hoverMarkdown } from '../../server/src/engine';
import { codeSpan, escapeMarkdown, postureAt, postureSummary } from '../../server/src/engine/hover';
import { applyEdits } from '../../server/src/text';
import { ruleMeta } from '../../server/src/rules';
import { PREMIUM_ONLY_RULES } from '../../server/src/rules/support/encryption';

const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": {
    "ws_[evil](command:workbench.action.quit)*": {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2024-05-01",
      "name": "w",
      "sku": { "name": "standard" },
      "properties": { "publicNetworkAccess": "[parameters('unset')]" }
    }
  },
  "parameters": { "unset": { "type": "string" } }
}
`;

function analyse(name: string, text: string, extra: Record<string, string> = {}) {
  const dir = scratchDir('bg-hover-');
  const path = join(dir, name);
  writeFileSync(path, text);
  for (const [n, t] of Object.entries(extra)) writeFileSync(join(dir, n), t);
  return { path, result: analyzePath(path, diskHost([dir]))! };
}

const at = (text: string, needle: string, delta = 1) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in the text`);
  return i + delta;
};

/** Code spans (any fence length) of a markdown text, with their content. */
function codeSpans(md: string): string[] {
  const withoutBlocks = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  return [...withoutBlocks.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]);
}

test('hover over a finding is compact: what and why, the secure setting, the links', () => {
  const { path, result } = analyse('main.json', TEMPLATE);
  const md = hoverMarkdown(result, path, at(TEMPLATE, '"standard"', 2), { rulePage: (id) => `file:///ext/docs/rules/${id}.md` })!;
  const lines = md.split('\n');
  assert.match(lines[0], /^\*\*Databricks workspace is not on the Premium tier\.\*\* The Standard and Trial tiers lack/);
  assert.match(md, /Secure setting in ARM:\n```json\n"sku": \{ "name": "premium" \}\n```/);
  assert.match(md, /\[Guidance\]\(https:\/\/learn\.microsoft\.com\/[^)]+\) · \[More\]\(file:\/\/\/ext\/docs\/rules\/databricks-premium-sku\.md\)/);
  assert.ok(lines.length <= 8, `at most 8 lines, got ${lines.length}:\n${md}`);
  assert.doesNotMatch(md, /role-based access control for notebooks, clusters and jobs, IP access lists, Private Link, customer-managed keys and audit logs\. ./, 'only the first sentence of the explanation');
});

test('without a rule page, the hover has no More link', () => {
  const { path, result } = analyse('main.json', TEMPLATE);
  const md = hoverMarkdown(result, path, at(TEMPLATE, '"standard"', 2))!;
  assert.doesNotMatch(md, /\[More\]/);
});

test('posture over an ARM type: passed in words that say what is right, failed as the problem, not verifiable with its reason', () => {
  const { path, result } = analyse('main.json', TEMPLATE);
  const md = hoverMarkdown(result, path, at(TEMPLATE, '"Microsoft.Databricks/workspaces"', 3))!;
  assert.match(md, /- ✗ \[Databricks workspace is not on the Premium tier\]\(https:/);
  assert.match(md, /- \? Not verifiable: Public network access is off \(publicNetworkAccess/);
  assert.match(md, /- ✓ Cluster nodes have no public IP/);
  assert.doesNotMatch(md, /✓[^\n]*Cluster nodes get public IP/, 'a passing rule is never named by its problem');
  assert.match(md, /Verify outside the template/);
  const outsideCode = md.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, '');
  assert.ok(!/\]\(command:/.test(outsideCode), 'no command link');
  assert.ok(md.includes(codeSpan('ws_[evil](command:workbench.action.quit)*')), 'the symbolic name is shown literally in a code span');
});

test('escaping: code spans are never escaped, text outside them is', () => {
  assert.equal(codeSpan("[parameters('workspaceName')]"), "`[parameters('workspaceName')]`");
  assert.equal(codeSpan('azurerm_databricks_workspace.this'), '`azurerm_databricks_workspace.this`');
  assert.equal(codeSpan('a`b'), '``a`b``');
  assert.equal(codeSpan('`x'), '`` `x ``');
  assert.equal(escapeMarkdown('a_b [c]'), 'a\\_b \\[c\\]');
});

const BICEP = `param publicAccess string = 'Enabled'

resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: { name: 'premium' }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: publicAccess
    parameters: { enableNoPublicIp: { value: true } }
  }
}
`;

test('Bicep: the symbolic name and the resource keyword show the posture; not applicable reads as such', () => {
  const { path, result } = analyse('main.bicep', BICEP);
  for (const offset of [at(BICEP, 'resource ws', 2), at(BICEP, ' ws ', 1)]) {
    const md = hoverMarkdown(result, path, offset)!;
    assert.ok(md, 'a hover');
    assert.match(md, /^\*\*Brickguard posture of `ws`\*\*: 2 of 10 checks pass/);
    assert.match(md, /- ✗ \[Databricks workspace allows public network access\]/);
    assert.match(md, /- ✓ Workspace is on the Premium tier/);
    assert.match(md, /- ✓ Cluster nodes have no public IP/);
    assert.match(md, /- – Not applicable \(public network access is on\): Cluster traffic uses back-end Private Link/);
    assert.doesNotMatch(md, /✓[^\n]*back-end Private Link/, 'not applicable is not passed');
  }
  // The four encryption design considerations count too (no customer-managed keys here).
  assert.equal(postureSummary(postureAt(result, path, at(BICEP, ' ws ', 1))!), '2 of 10 checks pass');
  // Inside the body, away from findings: nothing.
  assert.equal(hoverMarkdown(result, path, at(BICEP, "location: 'westeurope'", 3)), undefined);
});

const TERRAFORM = `resource "azurerm_databricks_workspace" "this" {
  name                          = "ws"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "standard"
  public_network_access_enabled = false
  network_security_group_rules_required = "NoAzureDatabricksRules"
  custom_parameters {
    no_public_ip = true
  }
}
`;

test('Terraform: the labels show the posture, after any finding located there', () => {
  const { path, result } = analyse('main.tf', TERRAFORM);
  const md = hoverMarkdown(result, path, at(TERRAFORM, '"this"', 2))!;
  assert.match(md, /\*\*Brickguard posture of `azurerm_databricks_workspace\.this`\*\*: 3 of 7 checks pass/);
  assert.match(md, /- ✓ Public network access is off/);
  assert.match(md, /- ✓ Cluster traffic uses back-end Private Link/);
  assert.match(md, /- ✗ \[Databricks workspace is not on the Premium tier\]/);
  for (const span of codeSpans(md)) assert.doesNotMatch(span, /\\[!-/:-@[-`{-~]/, `no escape inside the code span ${span}`);
  // The keyword too.
  assert.match(hoverMarkdown(result, path, 2)!, /Brickguard posture of/);
});

test('hover over a finding located on the head shows the finding first, then the posture', () => {
  const tf = TERRAFORM.replace('  public_network_access_enabled = false\n', '');
  const { path, result } = analyse('main.tf', tf);
  const md = hoverMarkdown(result, path, at(tf, '"this"', 2))!;
  const finding = md.indexOf('**Databricks workspace allows public network access.**');
  const posture = md.indexOf('**Brickguard posture of');
  assert.ok(finding >= 0 && posture > finding, md);
});

test('no hover away from findings and resource heads', () => {
  const { path, result } = analyse('main.json', TEMPLATE);
  assert.equal(hoverMarkdown(result, path, 2), undefined);
});

test('the storage hover shows what its fix writes', () => {
  const bicep = `resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sa'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
`;
  const { path, result } = analyse('main.bicep', bicep);
  const finding = result.findings.find((f) => f.ruleId === 'storage-public-network-access')!;
  const fix = finding.fixes.find((f) => f.preferred)!;
  const fixed = applyEdits(bicep, fix.edits.filter((e) => e.file === path));
  const md = hoverMarkdown(result, path, finding.span.start + 1)!;
  const secure = /```bicep\n([\s\S]*?)\n```/.exec(md)![1];
  for (const line of secure.split('\n').map((l) => l.trim()).filter((l) => l !== '}' && l !== '')) {
    assert.ok(fixed.includes(line), `the fix writes "${line}":\n${fixed}`);
  }
  // And the other way round: every line the fix adds is in the secure setting.
  const before = new Set(bicep.split('\n').map((l) => l.trim()));
  for (const line of fixed.split('\n').map((l) => l.trim()).filter((l) => !before.has(l) && l !== '}' && l !== '')) {
    assert.ok(secure.includes(line), `the hover shows "${line}" that the fix writes:\n${secure}`);
  }
});

test('a cross-resource rule that passes says which resource satisfies it and where', () => {
  const tf = `resource "azurerm_databricks_workspace" "this" {
  name                = "ws"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "premium"
}

resource "databricks_workspace_conf" "this" {
  custom_config = {
    "enableIpAccessLists" = true
  }
}

resource "databricks_ip_access_list" "corp" {
  label        = "corp"
  list_type    = "ALLOW"
  ip_addresses = ["203.0.113.0/24"]
}
`;
  const { path, result } = analyse('main.tf', tf);
  const md = hoverMarkdown(result, path, at(tf, '"this"', 2))!;
  assert.match(
    md,
    /- ✓ IP access lists restrict the public workspace, by `databricks_workspace_conf\.this` \(\[`main\.tf`, line 8\]\(<file:\/\/\/[^>]*\/main\.tf#L8>\)\) and `databricks_ip_access_list\.corp` \(\[`main\.tf`, line 14\]\(<file:[^>]*#L14>\)\)/,
    md,
  );
});

test('a rule with further reading links it beside its guidance (databricks-diagnostic-logs: the log categories)', () => {
  const { path, result } = analyse('main.json', TEMPLATE);
  const diag = result.findings.find((f) => f.ruleId === 'databricks-diagnostic-logs');
  assert.ok(diag, 'the template has no diagnostic setting');
  const md = hoverMarkdown(result, path, diag.span.start + 1)!;
  assert.match(md, /\[Log categories\]\(https:\/\/learn\.microsoft\.com\/azure\/azure-monitor\/reference\/supported-logs\/microsoft-databricks-workspaces-logs\)/);
});

test('posture: rules that do not apply for the same reason share one line, the reason said once', () => {
  const text = "resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'ws'\n  location: 'westeurope'\n  sku: {\n    name: 'standard'\n  }\n  properties: {\n    managedResourceGroupId: 'x'\n  }\n}\n";
  const { path, result } = analyse('main.bicep', text);
  const md = hoverMarkdown(result, path, at(text, ' ws ', 1))!;
  const lines = md.split('\n').filter((l) => l.includes('Premium tier)'));
  assert.equal(lines.length, 1, md);
  assert.equal((md.match(/infrastructure encryption need the Premium tier/g) ?? []).length, 1, md);
  for (const id of PREMIUM_ONLY_RULES) assert.ok(lines[0].includes(ruleMeta(id)!.pass), `${id} in ${lines[0]}`);
  assert.match(lines[0], /^- – Not applicable \(customer\\-managed keys and infrastructure encryption need the Premium tier\): [^\n]+; [^\n]+$/);
});
