// databricks-vnet-injection's fix, before → after (test/fixes/fixtures/<dialect>/vnet-*): only the
// missing custom parameters are added, each wired to a new parameter / variable (in variables.tf
// when the module has one); Terraform also gets both NSG association ids. Every changed file has
// a `.fixed` beside it (BRICKGUARD_UPDATE_FIXTURES=1 rewrites them).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine';
import { repoRoot } from '../helpers/corpus';
import { applyFixEdits, expectFixedFiles } from '../helpers/fixtures';

const ROOT = join(repoRoot, 'test', 'fixes', 'fixtures');
const RULE = 'databricks-vnet-injection';

const CASES: { dir: string; entry: string; title: RegExp; params: RegExp[] }[] = [
  {
    dir: 'arm/vnet-injection',
    entry: 'template.json',
    title: /^Add VNet injection parameters \(you supply the VNet id and the public and private subnet names\)$/,
    params: [/"vnetId2": \{/, /"publicSubnetName": \{/, /"privateSubnetName": \{/],
  },
  // customVirtualNetworkId is there: only the subnet names are added, beside enableNoPublicIp.
  { dir: 'bicep/vnet-injection', entry: 'main.bicep', title: /you supply the public and private subnet names\)$/, params: [/^param analyticsPublicSubnetName string$/m, /^param analyticsPrivateSubnetName string$/m] },
  {
    dir: 'terraform/vnet-with-variables-tf',
    entry: 'main.tf',
    title: /you supply the VNet id, the public and private subnet names and the NSG association ids of both subnets\) \(variables\.tf\)$/,
    params: [/variable "analytics_vnet_id_2"/, /variable "analytics_public_subnet_name"/, /variable "analytics_private_subnet_nsg_association_id"/],
  },
  { dir: 'terraform/vnet-without-variables-tf', entry: 'main.tf', title: /^Add VNet injection parameters/, params: [/variable "vnet_id"/, /variable "public_subnet_nsg_association_id"/] },
  { dir: 'terraform/vnet-azapi', entry: 'main.tf', title: /you supply the VNet id and the public and private subnet names\)$/, params: [/variable "workspace_vnet_id"/] },
];

for (const c of CASES) {
  test(`VNet injection fix: ${c.dir}`, () => {
    const dir = join(ROOT, c.dir);
    const entry = join(dir, c.entry);
    const host = diskHost([repoRoot]);
    const result = analyzePath(entry, host)!;
    const finding = result.findings.find((f) => f.ruleId === RULE);
    assert.ok(finding, 'no VNet injection finding');
    const fix = finding.fixes.find((f) => f.kind === 'fix' && f.preferred);
    assert.ok(fix, 'no preferred fix');
    assert.match(fix.title, c.title);
    assert.equal(fix.inPlace, false, 'adding parameters is not applied on save');
    const after = applyFixEdits(fix);
    expectFixedFiles(after, dir);
    const all = [...after.values()].join('\n');
    for (const p of c.params) assert.equal(all.match(new RegExp(p.source, p.flags.includes('m') ? 'gm' : 'g'))?.length, 1, `${p} is declared once`);
    const again = analyzePath(entry, overlayHost(host, after))!;
    for (const f of again.files) assert.deepEqual(f.syntaxErrors, [], `${f.path} does not parse after the fix`);
    assert.deepEqual(again.findings.filter((f) => f.ruleId === RULE).map((f) => f.message), [], 'the workspace is VNet-injected');
  });
}
