// network-open-management-port names a rule it cannot judge the way its findings do ("NSG rule 'x'"),
// in the posture's "not verifiable" reason.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import { scratchDir } from '../helpers/scratch';

test('a rule whose direction is an expression is not verifiable, named as in findings', () => {
  const dir = scratchDir('bg-port-');
  const path = join(dir, 'main.bicep');
  writeFileSync(
    path,
    "param direction string\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'nsg'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'ssh'\n        properties: {\n          direction: direction\n          access: 'Allow'\n          protocol: 'Tcp'\n          sourceAddressPrefix: '*'\n          sourcePortRange: '*'\n          destinationAddressPrefix: '*'\n          destinationPortRange: '22'\n          priority: 100\n        }\n      }\n    ]\n  }\n}\n",
  );
  const r = analyzePath(path, diskHost([dir]))!;
  const entry = r.posture.find((p) => p.ruleId === 'network-open-management-port' && p.state === 'unverified');
  assert.ok(entry, JSON.stringify(r.posture.filter((p) => p.ruleId === 'network-open-management-port')));
  assert.match(entry.reason ?? '', /^NSG rule 'ssh': its direction or access is an expression/);
});

test('a rule whose source is an expression names the source, not the ports, as what cannot be evaluated', () => {
  const dir = scratchDir('bg-port-');
  const path = join(dir, 'main.bicep');
  writeFileSync(
    path,
    "param clientIp string\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'nsg'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'ssh'\n        properties: {\n          direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n          sourceAddressPrefix: clientIp\n          sourcePortRange: '*'\n          destinationAddressPrefix: '*'\n          destinationPortRange: '22'\n          priority: 100\n        }\n      }\n    ]\n  }\n}\n",
  );
  const r = analyzePath(path, diskHost([dir]))!;
  const entry = r.posture.find((p) => p.ruleId === 'network-open-management-port' && p.state === 'unverified');
  assert.ok(entry, JSON.stringify(r.posture.filter((p) => p.ruleId === 'network-open-management-port')));
  assert.equal(entry.reason, "NSG rule 'ssh': its source address is an expression that cannot be evaluated");
});
