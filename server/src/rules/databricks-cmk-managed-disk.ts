// databricks-cmk-managed-disk: cluster disks encrypted with a customer-managed key (classic workspaces).
import { describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { AZURERM_SINCE, entityBody, isKeyVaultSource, isProvided, keyInputs, premiumWorkspaces, azurermOf, whenAzurermHas } from './support/encryption';
import type { Fix, FixIntent } from '../fixes/intent';
import { describeWithSource } from '../model/origin';
import { isServerless } from './support/workspace';

const ARM_PATH = ['properties', 'encryption', 'entities', 'managedDisk'];
const TF_ATTR = 'managed_disk_cmk_key_vault_key_id';

export const MESSAGES = {
  absent: 'No customer-managed key for cluster disks: add encryption.entities.managedDisk.',
  otherSource: (value: string) => `managedDisk keySource is ${value}: cluster disks use Microsoft keys. Set 'Microsoft.Keyvault'.`,
  terraformAbsent: `No customer-managed key for cluster disks: set ${TF_ATTR}.`,
} as const;

export const rule: Rule = {
  meta: {
    id: 'databricks-cmk-managed-disk',
    title: 'Cluster disks are not encrypted with a customer-managed key',
    pass: 'Cluster disks use a customer-managed key',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.cmkManagedDisks,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'The managed disks of classic cluster nodes are encrypted with Microsoft-managed keys by default. ' +
        'A customer-managed key in your Key Vault lets you control, rotate and revoke access to data that clusters write to disk (Premium tier, classic compute).',
      secure: {
        arm: '"encryption": {\n  "entities": {\n    "managedDisk": {\n      "keySource": "Microsoft.Keyvault",\n      "keyVaultProperties": {\n        "keyVaultUri": "[parameters(\'keyVaultUri\')]",\n        "keyName": "[parameters(\'keyName\')]",\n        "keyVersion": "[parameters(\'keyVersion\')]"\n      },\n      "rotationToLatestKeyVersionEnabled": true\n    }\n  }\n}',
        bicep: "encryption: {\n  entities: {\n    managedDisk: {\n      keySource: 'Microsoft.Keyvault'\n      keyVaultProperties: {\n        keyVaultUri: keyVaultUri\n        keyName: keyName\n        keyVersion: keyVersion\n      }\n      rotationToLatestKeyVersionEnabled: true\n    }\n  }\n}",
        terraform: `${TF_ATTR} = azurerm_key_vault_key.disks.id\nmanaged_disk_cmk_rotation_to_latest_version_enabled = true`,
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of premiumWorkspaces(ctx)) {
      if (isServerless(ws)) {
        ctx.notApplicable(ws, 'a serverless workspace has no classic cluster disks');
        continue;
      }
      if (ws.schema === 'terraform') checkTerraform(ctx, ws);
      else checkArm(ctx, ws);
    }
  },
};

function checkArm(ctx: RuleContext, ws: Resource): void {
  const entity = lookup(ws, ARM_PATH);
  if (entity.state === 'unknown') return ctx.unverified(ws, 'encryption.entities.managedDisk is an expression that cannot be evaluated');
  if (entity.state === 'absent' || entity.value.kind === 'null') return ctx.report({ resource: ws, message: MESSAGES.absent, fixes: [fix(ws)] });
  const source = lookup(ws, [...ARM_PATH, 'keySource']);
  if (source.state === 'unknown') return ctx.unverified(ws, 'managedDisk keySource is an expression that cannot be evaluated');
  const keyVault = isKeyVaultSource(source);
  if (keyVault === true) return;
  if (source.state === 'set') {
    if (keyVault === undefined) return ctx.unverified(ws, `managedDisk keySource is ${describeValue(source.value)}`);
    return ctx.report({ resource: ws, at: source.value, message: MESSAGES.otherSource(describeWithSource(ctx.unit, ws, source.value)), fixes: [fix(ws)] });
  }
  ctx.report({ resource: ws, at: entity.value, message: MESSAGES.absent, fixes: [fix(ws)] });
}

/**
 * The key block on new key parameters, with rotation to the latest key version. Offered, not
 * preferred: after deployment the Key Vault must grant the workspace's disk encryption set
 * identity access to the key (Learn, CMK for managed disks), which the template does not do.
 */
function fix(ws: Resource): Fix {
  const keys = keyInputs(ws, 'managedDisk', 'cluster managed disks');
  const intents: FixIntent[] =
    ws.schema === 'terraform'
      ? [
          { op: 'setRef', resource: ws, path: [TF_ATTR], value: keys.keyId },
          { op: 'set', resource: ws, path: ['managed_disk_cmk_rotation_to_latest_version_enabled'], value: true },
        ]
      : [{ op: 'setRef', resource: ws, path: ARM_PATH, value: entityBody(keys, { rotationToLatestKeyVersionEnabled: true }) }];
  return { title: "Encrypt cluster disks with a customer-managed key on new key parameters (assumes the Key Vault then grants the workspace's disk encryption set access)", intents: [...keys.intents, ...intents], preferred: false };
}

function checkTerraform(ctx: RuleContext, ws: Resource): void {
  if (isProvided(lookup(ws, [TF_ATTR]))) return;
  ctx.report({ resource: ws, message: MESSAGES.terraformAbsent, ...whenAzurermHas(ctx.unit, azurermOf(ws), AZURERM_SINCE[TF_ATTR], fix(ws)) });
}
