// Closing a storage account (network Deny) or turning its keys off must not break `terraform
// apply` (rules.md, Fix safety). Terraform reaches an account's data plane from wherever it runs
// where the deployment manages objects through it (containers by storage_account_name, blobs,
// tables, files, Data Lake paths…), and azurerm before 5.0 reads the account's own queue and
// static website properties there. Those fixes are offered, not preferred, and say what they assume.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine/types';
import { scratchProject } from '../helpers/scratch';

const NETWORK = 'storage-public-network-access';
const KEYS = 'storage-shared-key-access';
const NETWORK_ASSUMES = / \(assumes Terraform runs from an allowed network: (.+)\)$/;
const KEYS_ASSUMES = / \(assumes Terraform uses Entra ID with data roles on the account: this module uses its (.+)\)$/;

const versions = (constraint: string | undefined) =>
  constraint === undefined ? '' : `terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "${constraint}"\n    }\n  }\n}\n`;

/** An azurerm provider block; `dataPlane: false` sets features { storage { data_plane_available = false } }. */
const provider = (dataPlane = true) =>
  `provider "azurerm" {\n  storage_use_azuread = true\n  features {${dataPlane ? '}' : '\n    storage {\n      data_plane_available = false\n    }\n  }'}\n}\n`;

const account = (name: string, extra = '') =>
  `resource "azurerm_storage_account" "${name}" {\n  name                     = "st${name}"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n${extra}}\n`;

function findingsOf(files: Record<string, string>): Finding[] {
  const dir = scratchProject('bg-storage-dp-', files);
  return analyzePath(join(dir, 'main.tf'), diskHost([dir]))!.findings;
}

/** The fix of a rule's finding on one account: its title and whether it is preferred. */
function fixOf(findings: Finding[], rule: string, accountName: string): { title: string; preferred: boolean; related: string[] } {
  const finding = findings.find((f) => f.ruleId === rule && f.resourceKey?.includes(`azurerm_storage_account.${accountName}`)) ?? findings.find((f) => f.ruleId === rule && f.resourceKey?.includes(accountName));
  assert.ok(finding, `no ${rule} finding on ${accountName}: ${JSON.stringify(findings.map((f) => [f.ruleId, f.resourceKey]))}`);
  const fix = finding.fixes.find((f) => f.kind === 'fix');
  assert.ok(fix, `${rule} on ${accountName} has no fix`);
  return { title: fix.title, preferred: fix.preferred, related: finding.related.map((r) => r.message) };
}

/** What the Deny fix assumes ('' when it is preferred and assumes nothing). */
function networkAssumption(findings: Finding[], accountName = 'lake'): string {
  const fix = fixOf(findings, NETWORK, accountName);
  const m = NETWORK_ASSUMES.exec(fix.title);
  assert.equal(fix.preferred, !m, `preferred exactly when the title assumes nothing: ${fix.title}`);
  return m ? m[1] : '';
}

describe('storage fixes where Terraform uses the account\'s data plane', () => {
  it('a container created by storage_account_name: Deny and keys off are offered, not preferred, for that account only', () => {
    const findings = findingsOf({
      'main.tf':
        provider(false) +
        versions('>= 4.9, < 5.0') +
        account('lake') +
        'resource "azurerm_storage_container" "raw" {\n  name                 = "raw"\n  storage_account_name = azurerm_storage_account.lake.name\n}\n' +
        account('logs'),
    });
    assert.equal(networkAssumption(findings, 'lake'), "this module uses the account's containers");
    const keys = fixOf(findings, KEYS, 'lake');
    assert.equal(keys.preferred, false);
    assert.equal(KEYS_ASSUMES.exec(keys.title)?.[1], 'containers', keys.title);
    // The other account of the module has no data-plane object: both fixes stay preferred.
    assert.equal(networkAssumption(findings, 'logs'), '');
    const other = fixOf(findings, KEYS, 'logs');
    assert.ok(other.preferred && !/assumes/.test(other.title), other.title);
  });

  it('a container, share or queue given storage_account_id goes through Azure Resource Manager: preferred', () => {
    for (const type of ['azurerm_storage_container', 'azurerm_storage_share', 'azurerm_storage_queue']) {
      const findings = findingsOf({
        'main.tf': provider() + versions('~> 5.0') + account('lake') + `resource "${type}" "x" {\n  name               = "x"\n  storage_account_id = azurerm_storage_account.lake.id\n}\n`,
      });
      assert.equal(networkAssumption(findings), '', type);
      assert.ok(fixOf(findings, KEYS, 'lake').preferred, type);
    }
  });

  it('tables, blobs, files and Data Lake paths use the data plane in every version, also through the object they belong to', () => {
    const cases: [string, string][] = [
      ['resource "azurerm_storage_table" "t" {\n  name               = "t"\n  storage_account_id = azurerm_storage_account.lake.id\n}\n', 'tables'],
      [
        'resource "azurerm_storage_share" "s" {\n  name               = "s"\n  storage_account_id = azurerm_storage_account.lake.id\n  quota              = 50\n}\n' +
          'resource "azurerm_storage_share_file" "f" {\n  name              = "f"\n  storage_share_url = azurerm_storage_share.s.url\n}\n',
        'files',
      ],
      ['resource "azurerm_storage_data_lake_gen2_filesystem" "fs" {\n  name               = "fs"\n  storage_account_id = azurerm_storage_account.lake.id\n}\n', 'Data Lake filesystems'],
      ['resource "azurerm_storage_account_static_website" "web" {\n  storage_account_id = azurerm_storage_account.lake.id\n  index_document     = "index.html"\n}\n', 'static website'],
      ['data "azurerm_storage_blob" "b" {\n  name                 = "b"\n  storage_container_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlake/blobServices/default/containers/c"\n}\n', 'blobs'],
    ];
    for (const [objects, what] of cases) {
      assert.equal(networkAssumption(findingsOf({ 'main.tf': provider() + versions('~> 5.0') + account('lake') + objects })), `this module uses the account's ${what}`, what);
    }
  });

  it('an object names the account by a string: it counts unless both names are known and differ', () => {
    const container = (name: string) => `resource "azurerm_storage_container" "c" {\n  name                 = "c"\n  storage_account_name = ${name}\n}\n`;
    const variable = 'variable "account" {\n  type = string\n}\n';
    const base = provider(false) + versions('>= 4.9, < 5.0') + account('lake');
    assert.equal(networkAssumption(findingsOf({ 'main.tf': base + container('"stlake"') })), "this module uses the account's containers");
    assert.equal(networkAssumption(findingsOf({ 'main.tf': base + variable + container('var.account') })), "this module uses the account's containers");
    assert.equal(networkAssumption(findingsOf({ 'main.tf': base + container('"stother"') })), '');
  });

  it('an azapi account whose container azurerm creates by name: the Deny fix on its body is offered, not preferred', () => {
    const findings = findingsOf({
      'main.tf':
        provider(false) +
        versions('>= 4.9, < 5.0') +
        'resource "azapi_resource" "lake" {\n  type      = "Microsoft.Storage/storageAccounts@2023-05-01"\n  name      = "stlake"\n  parent_id = "/subscriptions/0/resourceGroups/rg"\n  location  = "westeurope"\n  body = {\n    kind = "StorageV2"\n    sku = {\n      name = "Standard_LRS"\n    }\n    properties = {\n      minimumTlsVersion     = "TLS1_2"\n      allowBlobPublicAccess = false\n    }\n  }\n}\n' +
        'resource "azurerm_storage_container" "raw" {\n  name                 = "raw"\n  storage_account_name = azapi_resource.lake.name\n}\n',
    });
    assert.equal(networkAssumption(findings, 'lake'), "this module uses the account's containers");
  });
});

describe("azurerm before 5.0 reads the account's own data plane", () => {
  const CASES: { constraint?: string; dataPlane?: boolean; preferred: boolean }[] = [
    { constraint: '~> 5.0', preferred: true },
    { constraint: '>= 5.0', preferred: true },
    { constraint: '~> 4.0', preferred: false },
    { constraint: '>= 4.0', preferred: false }, // 4.x is allowed too
    { constraint: '~> 3.0', preferred: false },
    { constraint: undefined, preferred: false }, // no version known: as the older ones
    { constraint: '~> 4.9', dataPlane: false, preferred: true },
  ];
  for (const c of CASES) {
    it(`azurerm ${c.constraint ?? '(no constraint)'}${c.dataPlane === false ? ' with data_plane_available = false' : ''}: Deny ${c.preferred ? 'preferred' : 'offered, not preferred'}`, () => {
      const findings = findingsOf({ 'main.tf': provider(c.dataPlane ?? true) + account('lake'), 'versions.tf': versions(c.constraint) });
      assert.equal(networkAssumption(findings), c.preferred ? '' : "azurerm < 5.0 reads the account's data plane");
      // Where a constraint decides it, related information points at it.
      if (!c.preferred && c.constraint) assert.ok(fixOf(findings, NETWORK, 'lake').related.some((m) => m.startsWith('The version is read here')));
    });
  }

  it('only account kinds with queues or a static website are read', () => {
    const kind = (k: string, tier = 'Standard', replication = 'LRS') =>
      `resource "azurerm_storage_account" "lake" {\n  name                     = "stlake"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_kind             = "${k}"\n  account_tier             = "${tier}"\n  account_replication_type = "${replication}"\n}\n`;
    const judge = (body: string) => networkAssumption(findingsOf({ 'main.tf': provider() + versions('~> 4.0') + body }));
    const reads = "azurerm < 5.0 reads the account's data plane";
    assert.equal(judge(kind('StorageV2', 'Premium')), reads); // static website
    assert.equal(judge(kind('BlockBlobStorage', 'Premium')), reads);
    assert.equal(judge(kind('Storage')), reads); // queues
    assert.equal(judge(kind('Storage', 'Standard', 'ZRS')), ''); // no queue endpoint
    assert.equal(judge(kind('FileStorage', 'Premium')), '');
    assert.equal(judge(kind('BlobStorage')), '');
  });
});
