// Analysis of one large generated template per dialect (N classic workspaces with public access,
// each with five findings and their fixes) at two sizes, in the same run: the time per workspace
// at 8× the size against the small size. 1.0 is linear; a pairwise step somewhere shows as a
// ratio that grows with N (at f00b376, before the name indexes: ARM 1.16, Bicep 4.03, Terraform 4.66;
// 4,000 Terraform workspaces took 48 s).
import { analyzePath, diskHost, overlayHost } from '../server/src/engine';

const SMALL = 500;
const LARGE = SMALL * 8;

const TEMPLATES: Record<string, { path: string; text: (n: number) => string }> = {
  arm: {
    path: '/bench/large/azuredeploy.json',
    text: (n) =>
      `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",\n  "resources": [\n${Array.from(
        { length: n },
        (_, i) =>
          `    {\n      "type": "Microsoft.Databricks/workspaces",\n      "apiVersion": "2024-05-01",\n      "name": "ws${i}",\n      "location": "westeurope",\n      "sku": { "name": "standard" },\n      "properties": { "managedResourceGroupId": "mrg${i}", "publicNetworkAccess": "Enabled" }\n    }`,
      ).join(',\n')}\n  ]\n}\n`,
  },
  bicep: {
    path: '/bench/large/main.bicep',
    text: (n) =>
      Array.from(
        { length: n },
        (_, i) =>
          `resource ws${i} 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'ws${i}'\n  location: 'westeurope'\n  sku: { name: 'standard' }\n  properties: { managedResourceGroupId: 'mrg${i}', publicNetworkAccess: 'Enabled' }\n}\n`,
      ).join(''),
  },
  terraform: {
    path: '/bench/large/tf/main.tf',
    text: (n) =>
      Array.from(
        { length: n },
        (_, i) =>
          `resource "azurerm_databricks_workspace" "ws${i}" {\n  name                          = "ws${i}"\n  location                      = "westeurope"\n  resource_group_name           = "rg"\n  sku                           = "standard"\n  public_network_access_enabled = true\n}\n`,
      ).join(''),
  },
};

/** Best of `rounds` analyses of `n` workspaces, in ms. */
function time(dialect: string, n: number, rounds: number): number {
  const t = TEMPLATES[dialect];
  const host = overlayHost(diskHost(['/bench/large']), new Map([[t.path, t.text(n)]]));
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    analyzePath(t.path, host);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

for (const dialect of Object.keys(TEMPLATES)) {
  time(dialect, SMALL, 1); // warm up
  const small = time(dialect, SMALL, 3);
  const large = time(dialect, LARGE, 2);
  const ratio = large / LARGE / (small / SMALL);
  console.log(`large-file: ${dialect} ${SMALL} workspaces ${small.toFixed(0)} ms, ${LARGE} ${large.toFixed(0)} ms: time per workspace ${ratio.toFixed(2)}× (1.0 = linear)`);
}
