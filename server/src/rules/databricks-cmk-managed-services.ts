// databricks-cmk-managed-services: notebooks, secrets and queries encrypted with a customer-managed key.
import { describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { AZURERM_SINCE, entityBody, isKeyVaultSource, isProvided, keyInputs, premiumWorkspaces, azurermOf, whenAzurermHas } from './support/encryption';
import type { Fix } from '../fixes/intent';
import { describeWithSource } from '../model/origin';

const ARM_PATH = ['properties', 'encryption', 'entities', 'managedServices'];
const TF_ATTR = 'managed_services_cmk_key_vault_key_id';

export const MESSAGES = {
  absent: 'No customer-managed key for notebooks, secrets and queries: add encryption.entities.managedServices.',
  otherSource: (value: string) => `managedServices keySource is ${value}: notebooks and secrets use Microsoft keys. Set 'Microsoft.Keyvault'.`,
  terraformAbsent: `No customer-managed key for notebooks, secrets and queries: set ${TF_ATTR}.`,
} as const;

export const rule: Rule = {
  meta: {
    id: 'databricks-cmk-managed-services',
    title: 'Managed services are not encrypted with a customer-managed key',
    pass: 'Managed services use a customer-managed key',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.cmkManagedServices,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'Notebooks, secrets, SQL queries and query history are stored in the control plane, encrypted with Microsoft-managed keys by default. ' +
        'A customer-managed key in your Key Vault lets you control, rotate and revoke access to that data (Premium tier).',
      secure: {
        arm: '"encryption": {\n  "entities": {\n    "managedServices": {\n      "keySource": "Microsoft.Keyvault",\n      "keyVaultProperties": {\n        "keyVaultUri": "[parameters(\'keyVaultUri\')]",\n        "keyName": "[parameters(\'keyName\')]",\n        "keyVersion": "[parameters(\'keyVersion\')]"\n      }\n    }\n  }\n}',
        bicep: "encryption: {\n  entities: {\n    managedServices: {\n      keySource: 'Microsoft.Keyvault'\n      keyVaultProperties: {\n        keyVaultUri: keyVaultUri\n        keyName: keyName\n        keyVersion: keyVersion\n      }\n    }\n  }\n}",
        terraform: `${TF_ATTR} = azurerm_key_vault_key.services.id`,
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of premiumWorkspaces(ctx)) {
      if (ws.schema === 'terraform') checkTerraform(ctx, ws);
      else checkArm(ctx, ws);
    }
  },
};

function checkArm(ctx: RuleContext, ws: Resource): void {
  const entity = lookup(ws, ARM_PATH);
  if (entity.state === 'unknown') return ctx.unverified(ws, 'encryption.entities.managedServices is an expression that cannot be evaluated');
  if (entity.state === 'absent' || entity.value.kind === 'null') return ctx.report({ resource: ws, message: MESSAGES.absent, fixes: [fix(ws)] });
  const source = lookup(ws, [...ARM_PATH, 'keySource']);
  if (source.state === 'unknown') return ctx.unverified(ws, 'managedServices keySource is an expression that cannot be evaluated');
  const keyVault = isKeyVaultSource(source);
  if (keyVault === true) return;
  if (source.state === 'set') {
    if (keyVault === undefined) return ctx.unverified(ws, `managedServices keySource is ${describeValue(source.value)}`);
    return ctx.report({ resource: ws, at: source.value, message: MESSAGES.otherSource(describeWithSource(ctx.unit, ws, source.value)), fixes: [fix(ws)] });
  }
  ctx.report({ resource: ws, at: entity.value, message: MESSAGES.absent, fixes: [fix(ws)] });
}

/**
 * The key block on new key parameters. Offered, not preferred: the Key Vault must already grant
 * Azure Databricks access to the key (Learn, CMK for managed services), which the fix cannot know.
 */
function fix(ws: Resource): Fix {
  const keys = keyInputs(ws, 'managedServices', 'managed services (notebooks, secrets, queries)');
  const set = ws.schema === 'terraform' ? { op: 'setRef' as const, resource: ws, path: [TF_ATTR], value: keys.keyId } : { op: 'setRef' as const, resource: ws, path: ARM_PATH, value: entityBody(keys) };
  return { title: 'Encrypt managed services with a customer-managed key on new key parameters (assumes the Key Vault grants Azure Databricks access)', intents: [...keys.intents, set], preferred: false };
}

function checkTerraform(ctx: RuleContext, ws: Resource): void {
  if (isProvided(lookup(ws, [TF_ATTR]))) return;
  ctx.report({ resource: ws, message: MESSAGES.terraformAbsent, ...whenAzurermHas(ctx.unit, azurermOf(ws), AZURERM_SINCE[TF_ATTR], fix(ws)) });
}
