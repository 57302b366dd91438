// keyvault-public-network-access: a Key Vault should not accept traffic from any network.
import type { Fix, FixIntent } from '../fixes/intent';
import { asBool, asString, describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { listOf, message } from './support/message';
import { describeWithSource } from '../model/origin';
import { keyVaults } from './support/keyvault';

export const rule: Rule = {
  meta: {
    id: 'keyvault-public-network-access',
    title: 'Key Vault is reachable from any network',
    pass: 'Key Vault denies public network traffic',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.keyVaultNetworkSecurity,
    fixable: true,
    kinds: [KIND.keyVault],
    docs: {
      why:
        'A vault open to every network can be reached by anyone who obtains a token for it, from anywhere. ' +
        'Deny by default in the vault firewall and allow only private endpoints, the networks that need it and trusted Azure services (Azure Databricks reaches customer-managed keys as a trusted service).',
      secure: {
        arm: '"networkAcls": {\n  "defaultAction": "Deny",\n  "bypass": "AzureServices"\n}',
        bicep: "networkAcls: {\n  defaultAction: 'Deny'\n  bypass: 'AzureServices'\n}",
        terraform: 'network_acls {\n  default_action = "Deny"\n  bypass         = "AzureServices"\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const vault of keyVaults(ctx)) {
      if (vault.schema === 'terraform') checkTerraform(ctx, vault);
      else checkArm(ctx, vault);
    }
  },
};

function checkArm(ctx: RuleContext, vault: Resource): void {
  const access = lookup(vault, ['properties', 'publicNetworkAccess']);
  const path = ['properties', 'networkAcls', 'defaultAction'];
  const action = lookup(vault, path);
  // The property is a free string: only 'Disabled' (any case) turns public access off.
  const accessOff = access.state === 'set' ? (asString(access.value) === undefined ? undefined : asString(access.value)!.toLowerCase() === 'disabled') : access.state === 'absent' ? false : undefined;
  const denied = action.state === 'set' ? (asString(action.value) === undefined ? undefined : asString(action.value)!.toLowerCase() === 'deny') : action.state === 'absent' ? false : undefined;
  if (accessOff === true || denied === true) return;
  if (accessOff === undefined || denied === undefined) return ctx.unverified(vault, 'publicNetworkAccess or networkAcls.defaultAction cannot be evaluated');
  const fix: Fix = { title: "Set networkAcls.defaultAction to 'Deny'", intents: [{ op: 'set', resource: vault, path, value: 'Deny' }], preferred: true };
  ctx.report({
    resource: vault,
    at: action.state === 'set' ? action.value : access.state === 'set' ? access.value : undefined,
    message:
      action.state === 'set'
        ? message(`networkAcls.defaultAction is ${describeWithSource(ctx.unit, vault, action.value, 'defaultAction')}`, "set it to 'Deny'", 'any network reaches the vault')
        : message("The vault has no networkAcls ('Allow') and public access is on", "set networkAcls.defaultAction to 'Deny'", 'any network reaches it'),
    fixes: [fix],
  });
}

function checkTerraform(ctx: RuleContext, vault: Resource): void {
  const access = lookup(vault, ['public_network_access_enabled']);
  const path = ['network_acls', 'default_action'];
  const action = lookup(vault, path);
  const accessOff = access.state === 'set' ? (asBool(access.value) === undefined ? undefined : asBool(access.value) === false) : access.state === 'absent' ? false : undefined;
  const denied = action.state === 'set' ? (asString(action.value) === undefined ? undefined : asString(action.value) === 'Deny') : action.state === 'absent' ? false : undefined;
  if (accessOff === true || denied === true) return;
  if (accessOff === undefined || denied === undefined) return ctx.unverified(vault, 'public_network_access_enabled or network_acls.default_action cannot be evaluated');
  // Terraform writes keys, secrets and certificates through the vault's data plane, from wherever
  // it runs: behind Deny, that apply fails unless its network is allowed, which the fix cannot know.
  const writes = dataPlaneUsers(ctx, vault);
  const preferred = writes.length === 0;
  const assumes = preferred ? '' : ` (assumes Terraform runs from an allowed network: this module uses the vault's ${listOf(writes)})`;
  if (action.state === 'set') {
    return ctx.report({
      resource: vault,
      at: action.value,
      message: message(`network_acls.default_action is ${describeWithSource(ctx.unit, vault, action.value, 'default_action')}`, 'set it to "Deny"', 'any network reaches the vault'),
      fixes: [{ title: `Set network_acls.default_action to "Deny"${assumes}`, intents: [{ op: 'set', resource: vault, path, value: 'Deny' }], preferred }],
    });
  }
  // Both arguments of the block are required; bypass keeps trusted Azure services (Azure
  // Databricks reaching customer-managed keys) working, as the hover shows.
  const intents: FixIntent[] = [{ op: 'set', resource: vault, path, value: 'Deny' }];
  if (lookup(vault, ['network_acls', 'bypass']).state === 'absent') intents.push({ op: 'set', resource: vault, path: ['network_acls', 'bypass'], value: 'AzureServices' });
  ctx.report({
    resource: vault,
    at: access.state === 'set' ? access.value : undefined,
    message:
      message('The vault has no network_acls block and public access is on', 'add network_acls with default_action = "Deny"', 'any network reaches it'),
    fixes: [{ title: `Set network_acls { default_action = "Deny"${intents.length > 1 ? ', bypass = "AzureServices"' : ''} }${assumes}`, intents, preferred }],
  });
}

/** Terraform resources and data sources that reach the vault's data plane (keys, secrets, certificates), by kind. */
const DATA_PLANE: Record<string, string> = { azurerm_key_vault_key: 'keys', azurerm_key_vault_secret: 'secrets', azurerm_key_vault_certificate: 'certificates' };

/** What the module reads or writes in the vault through its data plane: "keys", "secrets"… */
function dataPlaneUsers(ctx: RuleContext, vault: Resource): string[] {
  const found = new Set<string>();
  for (const r of ctx.unit.resources) {
    const what = DATA_PLANE[r.kind];
    if (!what) continue;
    const id = lookup(r, ['key_vault_id']);
    // A vault id that cannot be followed may be this vault.
    if (id.state !== 'set' || id.value.kind !== 'ref' || id.value.target === vault) found.add(what);
  }
  return [...found];
}

