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

  it('a workspace scan names the root file that declares the module, whichever file of its folder came first', async () => {
    const folder = join(root, 'tfroot');
    mkdirSync(join(folder, 'mod'), { recursive: true });
    // a.tf comes before main.tf: its analysis covers the folder, but main.tf calls the module.
    writeFileSync(join(folder, 'a.tf'), 'variable "region" {\n  default = "westeurope"\n}\n');
    writeFileSync(join(folder, 'main.tf'), '# the workspace\nmodule "ws" {\n  source = "./mod"\n}\n');
    const modPath = join(folder, 'mod', 'main.tf');
    writeFileSync(
      modPath,
      'resource "azurerm_databricks_workspace" "ws" {\n  name                = "ws"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "standard"\n}\n',
    );
    const client = new LspClient();
    await client.initialize(uriOf(root));
    try {
      // The deployment index is built at start.
      await client.waitFor((m) => m.method === 'window/logMessage' && /^deployments: /.test((m.params as { message: string }).message));
      await client.request('brickguard/scanFiles', { uris: [uriOf(folder)] }, 60000);
      const published = client.publishedFor(uriOf(modPath)).at(-1);
      assert.ok(published && published.diagnostics.length > 0, 'the module has findings');
      for (const d of published.diagnostics) {
        const judged = d.relatedInformation?.find((r) => r.message.startsWith('Judged in the deployment of'));
        assert.equal(judged?.message, 'Judged in the deployment of tfroot/main.tf', JSON.stringify(d.relatedInformation));
        assert.equal(judged?.location.uri, uriOf(join(folder, 'main.tf')));
        assert.equal(judged?.location.range.start.line, 1);
      }
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('callers that disagree: the failing caller is told at its module declaration, and it follows the other caller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brickguard-lsp-disagree-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'modules'));
    mkdirSync(join(dir, 'other'));
    const mod = join(dir, 'modules', 'workspace.bicep');
    const secure = join(dir, 'main.bicep');
    const plain = join(dir, 'other', 'main.bicep');
    const plainText = ROOT.replace("    access: 'Disabled'\n", '').replace("'modules/", "'../modules/");
    writeFileSync(mod, MODULE);
    writeFileSync(secure, ROOT);
    writeFileSync(plain, plainText);
    const client = new LspClient();
    await client.initialize(uriOf(dir));
    try {
      // The other caller turns public access off; this one leaves the module default on.
      let since = client.notifications.length;
      client.open(uriOf(plain), 'bicep', plainText);
      const atCall = await client.diagnostics(uriOf(plain), since, (p) => codes(p).includes('databricks-public-network-access'));
      const pna = atCall.diagnostics.find((d) => d.code === 'databricks-public-network-access')!;
      assert.match(plainText.split('\n')[pna.range.start.line], /^module adb /);
      assert.ok(pna.relatedInformation?.some((r) => r.location.uri === uriOf(mod)), 'related to the module code');
      since = client.notifications.length;
      client.open(uriOf(mod), 'bicep', MODULE);
      const inModule = await client.diagnostics(uriOf(mod), since);
      assert.ok(!codes(inModule).includes('databricks-public-network-access'), codes(inModule).join(', '));

      // The other caller now leaves it on too: they agree, and the finding goes back to the module.
      client.open(uriOf(secure), 'bicep', ROOT);
      since = client.notifications.length;
      client.changeFull(uriOf(secure), 2, ROOT.replace("    access: 'Disabled'\n", ''));
      const back = await client.diagnostics(uriOf(mod), since, (p) => codes(p).includes('databricks-public-network-access'));
      assert.ok(codes(back).includes('databricks-public-network-access'));
      const cleared = await client.diagnostics(uriOf(plain), since, (p) => !codes(p).includes('databricks-public-network-access'));
      assert.ok(!codes(cleared).includes('databricks-public-network-access'));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
