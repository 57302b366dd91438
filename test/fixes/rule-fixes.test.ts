// The fixes that insert resources (Private Link, IP access lists) and the storage Deny, before →
// after: each case folder under test/fixes/fixtures/<dialect>/ holds a module with one finding of
// the rule; its fix (as the engine renders it for the finding) is applied and every changed file
// is compared with its `.fixed` text (BRICKGUARD_UPDATE_FIXTURES=1 rewrites them). Then the fixed
// module parses, the finding is gone, no finding of any rule is added (what the fix inserts passes
// every rule), and the rule offers nothing more.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, findingIdentity, overlayHost } from '../../server/src/engine';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures');

interface Case {
  dir: string;
  entry: string;
  rule: string;
  preferred: boolean;
  /** What the fix's title says. */
  title: RegExp;
  /** Whether its edits stay inside the resource (default false: it inserts resources). */
  inPlace?: boolean;
}

const CASES: Case[] = [
  { dir: 'arm/private-endpoint', entry: 'template.json', rule: 'databricks-private-endpoint', preferred: true, title: /^Add a 'databricks_ui_api' private endpoint with a DNS zone group$/ },
  { dir: 'bicep/private-endpoint', entry: 'main.bicep', rule: 'databricks-private-endpoint', preferred: true, title: /^Add a 'databricks_ui_api' private endpoint with a DNS zone group$/ },
  { dir: 'terraform/private-endpoint-variables-tf', entry: 'main.tf', rule: 'databricks-private-endpoint', preferred: true, title: /^Add a "databricks_ui_api" private endpoint with a DNS zone group \(variables\.tf\)$/ },
  { dir: 'terraform/private-endpoint-main-tf-only', entry: 'main.tf', rule: 'databricks-private-endpoint', preferred: true, title: /^Add a "databricks_ui_api" private endpoint with a DNS zone group$/ },
  { dir: 'terraform/private-endpoint-azapi', entry: 'main.tf', rule: 'databricks-private-endpoint', preferred: true, title: /^Add a "databricks_ui_api" private endpoint with a DNS zone group \(variables\.tf\)$/ },
  { dir: 'arm/private-dns-zone-nested', entry: 'template.json', rule: 'databricks-private-dns-zone', preferred: true, title: /^Add a DNS zone group on a new private DNS zone parameter$/ },
  { dir: 'bicep/private-dns-zone', entry: 'main.bicep', rule: 'databricks-private-dns-zone', preferred: true, title: /^Add a DNS zone group on a new private DNS zone parameter$/ },
  { dir: 'terraform/private-dns-zone-variables-tf', entry: 'main.tf', rule: 'databricks-private-dns-zone', preferred: true, title: /^Add a DNS zone group on a new private DNS zone parameter \(variables\.tf\)$/ },
  { dir: 'terraform/private-dns-zone-azapi', entry: 'main.tf', rule: 'databricks-private-dns-zone', preferred: true, title: /^Add a DNS zone group on a new private DNS zone parameter$/ },
  ...['arm/browser-auth-endpoint', 'bicep/browser-auth-endpoint', 'terraform/browser-auth-endpoint-variables-tf', 'terraform/browser-auth-endpoint-azapi'].map(
    (dir): Case => ({
      dir,
      entry: dir.startsWith('arm') ? 'template.json' : dir.startsWith('bicep') ? 'main.bicep' : 'main.tf',
      rule: 'databricks-browser-auth-endpoint',
      preferred: false,
      title: /^Add a ['"]browser_authentication['"] private endpoint \(assumes this deployment hosts the one for its region and DNS zone\)( \(variables\.tf\))?$/,
    }),
  ),
  // Deny on a storage account: preferred where Terraform does not reach the account's data plane
  // (azurerm 5 creates containers by storage_account_id through Azure Resource Manager); offered,
  // not preferred, where it does (tables use the data plane in every version): apply would fail
  // from a network the firewall does not allow.
  {
    dir: 'terraform/storage-deny-container-by-id-azurerm5',
    entry: 'main.tf',
    rule: 'storage-public-network-access',
    preferred: true,
    title: /^Set network_rules \{ default_action = "Deny", bypass = \["AzureServices"\] \}$/,
    inPlace: true,
  },
  {
    dir: 'terraform/storage-deny-table-azurerm5',
    entry: 'main.tf',
    rule: 'storage-public-network-access',
    preferred: false,
    title: /^Set network_rules \{ default_action = "Deny", bypass = \["AzureServices"\] \} \(assumes Terraform runs from an allowed network: this module uses the account's tables\)$/,
    inPlace: true,
  },
  // IP access lists need the user's CIDRs (a wrong ALLOW list locks users out): offered, not preferred.
  {
    dir: 'terraform/ip-access-list-no-config',
    entry: 'main.tf',
    rule: 'databricks-ip-access-list',
    preferred: false,
    title: /^Add a databricks_workspace_conf that sets "enableIpAccessLists" and an ALLOW list \(give the allowed CIDRs in var\.allowed_cidrs\)$/,
  },
  {
    dir: 'terraform/ip-access-list-flag-unset',
    entry: 'main.tf',
    rule: 'databricks-ip-access-list',
    preferred: false,
    title: /^Set custom_config "enableIpAccessLists" to true and add an ALLOW list \(give the allowed CIDRs in var\.allowed_cidrs\)$/,
  },
  {
    dir: 'terraform/ip-access-list-flag-on',
    entry: 'main.tf',
    rule: 'databricks-ip-access-list',
    preferred: false,
    title: /^Add an ALLOW databricks_ip_access_list \(give the allowed CIDRs in var\.prod_allowed_cidrs\) \(variables\.tf\)$/,
  },
];

for (const c of CASES) {
  test(`${c.rule} fix: ${c.dir}`, () => {
    const dir = join(ROOT, c.dir);
    const entry = join(dir, c.entry);
    const host = diskHost([repoRoot]);
    const before = analyzePath(entry, host)!;
    const findings = before.findings.filter((f) => f.ruleId === c.rule);
    assert.equal(findings.length, 1, `one ${c.rule} finding expected, got ${findings.length}`);
    const finding = findings[0];
    const fix = finding.fixes.find((f) => f.kind === 'fix');
    assert.ok(fix, 'the finding has no fix');
    assert.match(fix.title, c.title);
    assert.equal(fix.preferred, c.preferred);
    assert.equal(fix.inPlace, c.inPlace ?? false);

    const after = applyFixEdits(fix);
    expectFixedFiles(after, dir);

    const again = analyzePath(entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    const was = new Set(before.findings.map(findingIdentity));
    assert.ok(!again.findings.some((f) => findingIdentity(f) === findingIdentity(finding)), 'the finding is still there');
    assert.deepEqual(
      again.findings.filter((f) => !was.has(findingIdentity(f))).map((f) => `${f.ruleId}: ${f.message}`),
      [],
      'the fix adds findings',
    );
  });
}
