// Deployments as trees in `brickguard scan`: a file that a scanned root calls as a module is
// judged inside the caller's deployment, with the caller's values; a file nobody calls is judged alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliInvocation } from '../helpers/lspClient';
import { scratchProject } from '../helpers/scratch';

function project(files: Record<string, string>): string {
  return scratchProject('brickguard-tree-', files);
}

interface JsonFinding {
  path: string;
  range: { start: { line: number } };
  ruleId: string;
  severity: string;
  message: string;
  related: { path: string; range: { start: { line: number } }; message: string }[];
  fixes: { title: string; kind: string; preferred: boolean; edits: { path: string; range: { start: { line: number } } }[] }[];
}

function scanJson(cwd: string, ...args: string[]): { findings: JsonFinding[]; fixed?: { path: string; ruleIds: string[] }[] } {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, 'scan', '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
}

/** `rule file` of each finding, for the given rules. */
function where(findings: JsonFinding[], root: string, rules: string[]): string[] {
  return findings
    .filter((f) => rules.includes(f.ruleId))
    .map((f) => `${f.ruleId} ${f.path.startsWith(root) ? f.path.slice(root.length + 1) : f.path}`)
    .sort();
}

// A workspace module whose defaults are insecure; the root binds secure values, creates the
// private endpoint (through the module's output) and the diagnostic setting.
const WORKSPACE_MODULE = `param access string = 'Enabled'
param vnetId string = ''

resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: access
    requiredNsgRules: 'NoAzureDatabricksRules'
    parameters: {
      customVirtualNetworkId: {
        value: vnetId
      }
      customPublicSubnetName: {
        value: 'public'
      }
      customPrivateSubnetName: {
        value: 'private'
      }
    }
  }
}

output workspaceId string = ws.id
`;

const ROOT = `param vnetId string
param subnetId string
param logAnalyticsId string

module adb 'modules/workspace.bicep' = {
  name: 'adb'
  params: {
    access: 'Disabled'
    vnetId: vnetId
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-ui'
  location: 'westeurope'
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'ui-api'
        properties: {
          privateLinkServiceId: adb.outputs.workspaceId
          groupIds: [
            'databricks_ui_api'
          ]
        }
      }
    ]
  }
}
`;

const ARM_WORKSPACE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "access": { "type": "string", "defaultValue": "Enabled" }
  },
  "resources": [
    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2024-05-01",
      "name": "ws",
      "location": "westeurope",
      "sku": { "name": "premium" },
      "properties": {
        "managedResourceGroupId": "x",
        "publicNetworkAccess": "[parameters('access')]",
        "requiredNsgRules": "NoAzureDatabricksRules"
      }
    }
  ]
}
`;

const ARM_ROOT = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "subnetId": { "type": "string" }
  },
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "workspace",
      "properties": {
        "mode": "Incremental",
        "templateLink": { "relativePath": "nested/workspace.json" },
        "parameters": { "access": { "value": "Disabled" } }
      }
    },
    {
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2024-05-01",
      "name": "pe",
      "location": "westeurope",
      "properties": {
        "subnet": { "id": "[parameters('subnetId')]" },
        "privateLinkServiceConnections": [
          {
            "name": "ui",
            "properties": {
              "privateLinkServiceId": "[resourceId('Microsoft.Databricks/workspaces', 'ws')]",
              "groupIds": [ "databricks_ui_api" ]
            }
          }
        ]
      }
    }
  ]
}
`;

const CROSS = ['databricks-public-network-access', 'databricks-private-endpoint', 'databricks-vnet-injection', 'databricks-diagnostic-logs'];

describe('scan: deployments as trees', () => {
  it('Bicep: a called module is judged with the caller values and sees the endpoint the caller creates', () => {
    const root = project({ 'main.bicep': ROOT, 'modules/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root);
    // Public access is off (the caller's value), the endpoint in the root counts, VNet injection is
    // bound: only the diagnostic setting is missing. Alone, the module would also report public
    // access (its default) and a missing endpoint.
    assert.deepEqual(where(report.findings, root, CROSS), ['databricks-diagnostic-logs modules/workspace.bicep']);
    // It says in which deployment it was judged: related information at the root's module declaration.
    const diag = report.findings.find((f) => f.ruleId === 'databricks-diagnostic-logs')!;
    const judged = diag.related.find((r) => r.message.startsWith('Judged in the deployment of'));
    assert.deepEqual(judged && { path: judged.path, line: judged.range.start.line }, { path: 'main.bicep', line: 5 });
  });

  it('Bicep: scanning the module alone (no caller in the scan) judges it with its defaults', () => {
    const root = project({ 'main.bicep': ROOT, 'modules/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root, 'modules/workspace.bicep');
    assert.deepEqual(where(report.findings, root, CROSS), [
      'databricks-diagnostic-logs modules/workspace.bicep',
      'databricks-private-endpoint modules/workspace.bicep',
      'databricks-public-network-access modules/workspace.bicep',
    ]);
  });

  it('Bicep: a file nobody calls is judged alone', () => {
    const root = project({ 'library/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root);
    assert.ok(where(report.findings, root, CROSS).includes('databricks-public-network-access library/workspace.bicep'));
  });

  it('Bicep: two callers with different values each judge the module', () => {
    const insecureRoot = ROOT.replace("access: 'Disabled'", "access: 'Enabled'").replace("'modules/", "'../modules/");
    const root = project({ 'main.bicep': ROOT, 'other/main.bicep': insecureRoot, 'modules/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root);
    const pna = report.findings.filter((f) => f.ruleId === 'databricks-public-network-access');
    assert.equal(pna.length, 1, JSON.stringify(pna));
    assert.match(pna[0].message, /Enabled/);
  });

  it('callers that disagree: the finding goes to each failing caller\'s module declaration, not the module', () => {
    // One caller turns public access off, the other leaves the module default ('Enabled').
    const plain = ROOT.replace("    access: 'Disabled'\n", '').replace("'modules/", "'../modules/");
    const root = project({ 'main.bicep': ROOT, 'other/main.bicep': plain, 'modules/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root);
    const pna = report.findings.filter((f) => f.ruleId === 'databricks-public-network-access');
    assert.deepEqual(pna.map((f) => `${f.path}:${f.range.start.line}`), ['other/main.bicep:5'], 'at the module declaration of the failing caller');
    assert.deepEqual(
      pna[0].related.map((r) => `${r.path}:${r.range.start.line} ${r.message}`),
      ['modules/workspace.bicep:12 The module code, as this caller configures it', 'modules/workspace.bicep:1 Default of parameter `access`'],
    );
    // The preferred fix passes the secure value in this caller's module declaration; editing the
    // module's default, which the other caller shares, is offered, not preferred.
    const [argument, inModule] = pna[0].fixes.filter((f) => f.kind === 'fix');
    assert.equal(argument.title, "Set publicNetworkAccess to 'Disabled' (pass access: 'Disabled' in module 'adb', this caller only)");
    assert.ok(argument.preferred);
    assert.deepEqual(argument.edits.map((e) => `${e.path}:${e.range.start.line}`), ['other/main.bicep:8'], 'after its last argument');
    assert.ok(inModule && !inModule.preferred && / \(in the module, for every caller\)$/.test(inModule.title), JSON.stringify(inModule));
    assert.deepEqual(inModule.edits.map((e) => e.path), ['modules/workspace.bicep']);
    const suppress = pna[0].fixes.find((f) => f.kind === 'suppress');
    assert.deepEqual(suppress?.edits.map((e) => `${e.path}:${e.range.start.line}`), ['other/main.bicep:5']);
    // Both callers lack a diagnostic setting: they agree, the finding stays in the module, judged in both.
    const diag = report.findings.filter((f) => f.ruleId === 'databricks-diagnostic-logs');
    assert.deepEqual(diag.map((f) => f.path), ['modules/workspace.bicep']);
    assert.equal(diag[0].related.filter((r) => r.message.startsWith('Judged in the deployment of')).length, 2);
  });

  it('callers that disagree: --fix passes the value in the failing caller and leaves the shared module alone', () => {
    const plain = ROOT.replace("    access: 'Disabled'\n", '').replace("'modules/", "'../modules/");
    const root = project({ 'main.bicep': ROOT, 'other/main.bicep': plain, 'modules/workspace.bicep': WORKSPACE_MODULE });
    scanJson(root, '--fix');
    assert.equal(readFileSync(join(root, 'modules/workspace.bicep'), 'utf8'), WORKSPACE_MODULE);
    // (Other preferred fixes, such as the endpoint's DNS zone group, edit the roots too.)
    const fixed = readFileSync(join(root, 'other/main.bicep'), 'utf8');
    assert.ok(fixed.includes("module adb '../modules/workspace.bicep' = {\n  name: 'adb'\n  params: {\n    vnetId: vnetId\n    access: 'Disabled'\n  }\n}\n"), fixed);
    const after = scanJson(root);
    assert.deepEqual(where(after.findings, root, ['databricks-public-network-access']), [], 'both callers now deploy it private');
  });

  it('callers that disagree: a directive above the module declaration suppresses the finding there', () => {
    const plain = ROOT.replace("    access: 'Disabled'\n", '')
      .replace("'modules/", "'../modules/")
      .replace('module adb', '// brickguard-disable-next-line databricks-public-network-access the module is private elsewhere\nmodule adb');
    const root = project({ 'main.bicep': ROOT, 'other/main.bicep': plain, 'modules/workspace.bicep': WORKSPACE_MODULE });
    const report = scanJson(root);
    assert.deepEqual(where(report.findings, root, ['databricks-public-network-access', 'brickguard-unused-suppression']), []);
  });

  it('Terraform: a local module is judged with the caller variables, once', () => {
    const root = project({
      'env/main.tf': `module "adb" {
  source = "../modules/adb"
  public = false
}

resource "azurerm_private_endpoint" "ui" {
  name                = "pe"
  resource_group_name = "rg"
  location            = "westeurope"
  subnet_id           = "subnet"

  private_service_connection {
    name                           = "ui"
    private_connection_resource_id = module.adb.workspace_id
    subresource_names              = ["databricks_ui_api"]
    is_manual_connection           = false
  }
}
`,
      'modules/adb/main.tf': `variable "public" {
  type    = bool
  default = true
}

resource "azurerm_databricks_workspace" "this" {
  name                                  = "dbx"
  resource_group_name                   = "rg"
  location                              = "westeurope"
  sku                                   = "premium"
  public_network_access_enabled         = var.public
  network_security_group_rules_required = "NoAzureDatabricksRules"

  custom_parameters {
    no_public_ip        = true
    virtual_network_id  = "vnet"
    public_subnet_name  = "public"
    private_subnet_name = "private"
    public_subnet_network_security_group_association_id  = "a"
    private_subnet_network_security_group_association_id = "b"
  }
}

output "workspace_id" {
  value = azurerm_databricks_workspace.this.id
}
`,
    });
    const report = scanJson(root);
    assert.deepEqual(where(report.findings, root, CROSS), ['databricks-diagnostic-logs modules/adb/main.tf']);
    assert.ok(!readFileSync(join(root, 'modules/adb/main.tf'), 'utf8').includes('brickguard'));
  });

  it('ARM: a template linked by relativePath is judged with the values the deployment passes; a value passed in is reported there', () => {
    const root = project({ 'azuredeploy.json': ARM_ROOT, 'nested/workspace.json': ARM_WORKSPACE });
    const report = scanJson(root);
    // The endpoint in the root targets the linked workspace by resourceId(): no endpoint finding;
    // Private Link without VNet injection is an error in the linked file.
    assert.deepEqual(where(report.findings, root, CROSS), ['databricks-diagnostic-logs nested/workspace.json', 'databricks-vnet-injection nested/workspace.json']);
    const open = project({ 'azuredeploy.json': ARM_ROOT.replace('"Disabled"', '"Enabled"'), 'nested/workspace.json': ARM_WORKSPACE });
    const pna = scanJson(open).findings.filter((f) => f.ruleId === 'databricks-public-network-access');
    assert.deepEqual(pna.map((f) => `${f.path}:${f.range.start.line}`), ['azuredeploy.json:15'], 'at the parameter value the deployment passes');
  });
});
