// databricks-cmk-dbfs-root: the workspace storage account (DBFS root) encrypted with a customer-managed key.
import { describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { allOlderThan } from './support/azurerm';
import { AZURERM_SINCE, flagState, isKeyVaultSource, keyInputs, premiumWorkspaces, azurermOf, whenAzurermHas, type VersionedFixes } from './support/encryption';
import { resourceRef, type Fix, type FixIntent } from '../fixes/intent';
import { message } from './support/message';
import { describeWithSource } from '../model/origin';

const PREPARE = ['properties', 'parameters', 'prepareEncryption', 'value'];
const KEY_SOURCE = ['properties', 'parameters', 'encryption', 'value', 'keySource'];
const TF_FLAG = 'customer_managed_key_enabled';
/** The azurerm resources that set the DBFS root key of a workspace (the second is the deprecated name). */
const DBFS_KEY_RESOURCE_TYPES = ['azurerm_databricks_workspace_root_dbfs_customer_managed_key', 'azurerm_databricks_workspace_customer_managed_key'] as const;

export const MESSAGES = {
  notPrepared: 'DBFS root storage is not prepared for a customer-managed key: set prepareEncryption and encryption.',
  prepareFalse: (value: string) => message(`prepareEncryption is ${value}`, 'set it to true and add encryption', 'DBFS root uses Microsoft keys'),
  noKey: 'DBFS root is prepared for a customer-managed key but has none: set encryption with keySource Microsoft.Keyvault.',
  otherSource: (value: string) => message(`DBFS root keySource is ${value}`, "set 'Microsoft.Keyvault'", 'workspace storage uses Microsoft keys'),
  terraformFlag: message(`${TF_FLAG} is not true`, 'set it and add a root DBFS key resource', 'DBFS root uses Microsoft keys'),
  terraformNoKey: 'No root DBFS customer-managed key resource for this workspace: add one with a Key Vault key.',
} as const;

export const rule: Rule = {
  meta: {
    id: 'databricks-cmk-dbfs-root',
    title: 'DBFS root storage is not encrypted with a customer-managed key',
    pass: 'DBFS root storage uses a customer-managed key',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.cmkDbfsRoot,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        "The workspace storage account (DBFS root) holds cluster logs, notebook results and libraries, encrypted with Microsoft-managed keys by default. " +
        'Preparing the workspace for encryption gives that account an identity, and a customer-managed key from your Key Vault then encrypts it (Premium tier).',
      secure: {
        arm: '"parameters": {\n  "prepareEncryption": { "value": true },\n  "encryption": {\n    "value": {\n      "keySource": "Microsoft.Keyvault",\n      "keyvaulturi": "[parameters(\'keyVaultUri\')]",\n      "KeyName": "[parameters(\'keyName\')]",\n      "keyversion": "[parameters(\'keyVersion\')]"\n    }\n  }\n}',
        bicep: "parameters: {\n  prepareEncryption: {\n    value: true\n  }\n  encryption: {\n    value: {\n      keySource: 'Microsoft.Keyvault'\n      keyvaulturi: keyVaultUri\n      KeyName: keyName\n      keyversion: keyVersion\n    }\n  }\n}",
        terraform:
          'customer_managed_key_enabled = true\n\nresource "azurerm_databricks_workspace_root_dbfs_customer_managed_key" "this" {\n  workspace_id     = azurerm_databricks_workspace.this.id\n  key_vault_key_id = azurerm_key_vault_key.dbfs.id\n}',
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
  const prepare = lookup(ws, PREPARE);
  const prepared = flagState(prepare);
  if (prepared === undefined) return ctx.unverified(ws, `prepareEncryption is ${prepare.state === 'set' ? describeValue(prepare.value) : 'an expression that cannot be evaluated'}`);
  if (!prepared) {
    const fixes = [armFix(ws, false)];
    if (prepare.state === 'set') return ctx.report({ resource: ws, at: prepare.value, message: MESSAGES.prepareFalse(describeWithSource(ctx.unit, ws, prepare.value, 'prepareEncryption')), fixes });
    return ctx.report({ resource: ws, message: MESSAGES.notPrepared, fixes });
  }
  const source = lookup(ws, KEY_SOURCE);
  if (source.state === 'unknown') return ctx.unverified(ws, 'the DBFS root encryption keySource is an expression that cannot be evaluated');
  const keyVault = isKeyVaultSource(source);
  if (keyVault === true) return;
  if (source.state === 'set') {
    if (keyVault === undefined) return ctx.unverified(ws, `the DBFS root keySource is ${describeValue(source.value)}`);
    return ctx.report({ resource: ws, at: source.value, message: MESSAGES.otherSource(describeWithSource(ctx.unit, ws, source.value)), fixes: [armFix(ws, true)] });
  }
  ctx.report({ resource: ws, message: MESSAGES.noKey, fixes: [armFix(ws, true)] });
}

const ASSUMES = 'assumes the Key Vault grants the workspace storage identity access, which exists once prepareEncryption is deployed';

/**
 * `prepareEncryption` and the `encryption` parameter (the schema's key spelling) on new key
 * parameters. Offered, not preferred: the key can be used only after the storage account's
 * identity (created by prepareEncryption) has access to the vault (Learn, CMK for DBFS root).
 */
function armFix(ws: Resource, prepared: boolean): Fix {
  const keys = keyInputs(ws, 'dbfs', 'the DBFS root storage');
  const encryption = { keySource: 'Microsoft.Keyvault', keyvaulturi: keys.uri, KeyName: keys.name, keyversion: keys.version };
  const intents: FixIntent[] = [...keys.intents];
  if (lookup(ws, ['properties', 'parameters']).state === 'absent') {
    // One `parameters` object, not two insertions of it.
    intents.push({ op: 'setRef', resource: ws, path: ['properties', 'parameters'], value: { prepareEncryption: { value: true }, encryption: { value: encryption } } });
  } else {
    if (!prepared) intents.push({ op: 'set', resource: ws, path: PREPARE, value: true });
    intents.push({ op: 'setRef', resource: ws, path: KEY_SOURCE.slice(0, -1), value: encryption });
  }
  return { title: `Encrypt the DBFS root with a customer-managed key on new key parameters (${ASSUMES})`, intents, preferred: false };
}

function checkTerraform(ctx: RuleContext, ws: Resource): void {
  const flag = lookup(ws, [TF_FLAG]);
  const enabled = flagState(flag);
  if (enabled === undefined) return ctx.unverified(ws, `${TF_FLAG} is ${flag.state === 'set' ? describeValue(flag.value) : 'an expression that cannot be evaluated'}`);
  const keys = dbfsKeyResources(ctx, ws);
  if (!enabled) return ctx.report({ resource: ws, at: flag.state === 'set' ? flag.value : undefined, message: MESSAGES.terraformFlag, ...terraformFixes(ctx, ws, false, keys !== 'unresolved' && keys.length > 0) });
  if (keys === 'unresolved') return ctx.unverified(ws, 'a root DBFS key resource names a workspace that cannot be resolved');
  if (keys.length > 0) return;
  ctx.report({ resource: ws, message: MESSAGES.terraformNoKey, ...terraformFixes(ctx, ws, true, false) });
}

/**
 * The fix, as the module's azurerm versions have the flag and (when it adds one) the key resource:
 * where they all predate 3.71, the key resource under its older name.
 */
function terraformFixes(ctx: RuleContext, ws: Resource, flagged: boolean, hasKey: boolean): VersionedFixes {
  const v = azurermOf(ws);
  if (hasKey) return whenAzurermHas(ctx.unit, v, AZURERM_SINCE.encryptionFlags, terraformFix(ws, flagged, undefined));
  const [current, deprecated] = DBFS_KEY_RESOURCE_TYPES;
  const keyType = allOlderThan(v, AZURERM_SINCE[current]) ? deprecated : current;
  return whenAzurermHas(ctx.unit, v, AZURERM_SINCE[keyType], terraformFix(ws, flagged, keyType));
}

/** `customer_managed_key_enabled = true` and (`keyType`) a root DBFS key resource on a new key id variable. Offered, as in ARM. */
function terraformFix(ws: Resource, flagged: boolean, keyType: (typeof DBFS_KEY_RESOURCE_TYPES)[number] | undefined): Fix {
  const hasKey = keyType === undefined;
  const intents: FixIntent[] = [];
  if (!flagged) intents.push({ op: 'set', resource: ws, path: [TF_FLAG], value: true });
  if (keyType) {
    const keys = keyInputs(ws, 'dbfs', 'the DBFS root storage');
    intents.push(...keys.intents, {
      op: 'addResource',
      as: 'dbfsKey',
      after: ws,
      kind: keyType,
      apiVersion: '',
      terraformType: keyType,
      name: '',
      symbol: 'dbfs',
      body: { terraform: { workspace_id: resourceRef(ws), key_vault_key_id: keys.keyId } },
    });
  }
  return { title: `Encrypt the DBFS root with a customer-managed key${hasKey ? '' : ' on a new key id variable'} (${ASSUMES.replace('prepareEncryption', TF_FLAG)})`, intents, preferred: false };
}

/** Root DBFS key resources whose `workspace_id` refers to this workspace, anywhere in the module. */
function dbfsKeyResources(ctx: RuleContext, ws: Resource): Resource[] | 'unresolved' {
  const found: Resource[] = [];
  let unresolved = false;
  for (const type of DBFS_KEY_RESOURCE_TYPES) {
    for (const key of ctx.resources(type)) {
      const target = lookup(key, ['workspace_id']);
      if (target.state === 'set' && target.value.kind === 'ref') {
        if (target.value.target === ws) found.push(key);
      } else unresolved = true;
    }
  }
  return found.length === 0 && unresolved ? 'unresolved' : found;
}
