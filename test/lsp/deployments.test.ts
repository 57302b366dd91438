// The language server judges a called module in its callers' deployments: opening or editing the
// module shows the findings its callers' values give, and they follow edits of the caller.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { LspClient, editsFor, type CodeAction, type PublishDiagnosticsParams } from '../helpers/lspClient';

const uriOf = (path: string) => pathToFileURL(path).href;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();

const MODULE = `param access string = 'Enabled'

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
  }
}

output workspaceId string = ws.id
`;

const ROOT = `param subnetId string

module adb 'modules/workspace.bicep' = {
  name: 'adb'
  params: {
    access: 'Disabled'
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

describe('language server: deployments as trees', () => {
  const root = mkdtempSync(join(tmpdir(), 'brickguard-lsp-tree-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'modules'));
  const modulePath = join(root, 'modules', 'workspace.bicep');
  const rootPath = join(root, 'main.bicep');
  writeFileSync(modulePath, MODULE);
  writeFileSync(rootPath, ROOT);

  it('a called module shows the findings of its callers deployment and follows edits of the caller', async () => {
    const client = new LspClient();
    await client.initialize(uriOf(root));
    try {
    const moduleUri = uriOf(modulePath);
    let since = client.notifications.length;
    client.open(moduleUri, 'bicep', MODULE);
    const first = await client.diagnostics(moduleUri, since);
    // The caller turns public access off and creates the endpoint through the module's output:
    // alone, the module would report both; in the deployment, VNet injection is an error.
    assert.ok(!codes(first).includes('databricks-public-network-access'), codes(first).join(', '));
    assert.ok(!codes(first).includes('databricks-private-endpoint'), codes(first).join(', '));
    const vnet = first.diagnostics.find((d) => d.code === 'databricks-vnet-injection');
    assert.equal(vnet?.severity, 1, 'Private Link without VNet injection is an error');

    // The caller now leaves public access on: the finding goes to the caller's argument (where the
    // value is set), and its fix edits it there.
    const rootUri = uriOf(rootPath);
    client.open(rootUri, 'bicep', ROOT);
    since = client.notifications.length;
    const enabled = ROOT.replace("access: 'Disabled'", "access: 'Enabled'");
    client.changeFull(rootUri, 2, enabled);
    const atCaller = await client.diagnostics(rootUri, since, (p) => codes(p).includes('databricks-public-network-access'));
    const pna = atCaller.diagnostics.find((d) => d.code === 'databricks-public-network-access')!;
    assert.equal(enabled.split('\n')[pna.range.start.line].trim(), "access: 'Enabled'");
    assert.ok(pna.relatedInformation?.some((r) => r.location.uri === moduleUri), 'related to the module code');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: rootUri },
      range: pna.range,
      context: { diagnostics: [pna] },
    });
    const fix = actions.find((a) => a.kind === 'quickfix' && /Disabled/.test(a.title));
    assert.ok(fix?.edit && editsFor(fix.edit, rootUri).length > 0, actions.map((a) => a.title).join(' | '));

    // The caller's endpoint is no longer a UI/API endpoint: the module's diagnostics follow.
    since = client.notifications.length;
    client.changeFull(rootUri, 3, ROOT.replace("'databricks_ui_api'", "'blob'"));
    const noEndpoint = await client.diagnostics(moduleUri, since, (p) => codes(p).includes('databricks-private-endpoint'));
    assert.ok(!codes(noEndpoint).includes('databricks-public-network-access'), 'still judged with the caller value');

    // The caller stops calling the module: it is judged alone, with its defaults.
    since = client.notifications.length;
    client.changeFull(rootUri, 4, ROOT.replace(/module adb[\s\S]*?\n}\n/, '').replace('adb.outputs.workspaceId', "'x'"));
    const alone = await client.diagnostics(moduleUri, since, (p) => codes(p).includes('databricks-public-network-access'));
      assert.ok(codes(alone).includes('databricks-private-endpoint'));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
