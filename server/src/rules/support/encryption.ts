// Facts the encryption rules share: the tier they apply to and what a key source says.
import { asBool, asString, lookup, type Lookup } from '../../model/query';
import type { ProviderVersion, Resource, Unit, VersionTriple } from '../../model/types';
import type { RelatedInfo } from '../../engine/types';
import { paramRef, type BodyValue, type Fix, type FixIntent, type ParamRef } from '../../fixes/intent';
import type { RuleContext } from '../types';
import { workspaces } from './workspace';
export { whenAzurermHas, type VersionedFixes } from './azurerm';

/** Rules that judge Premium workspaces only: a fix that raises the tier makes them apply. */
export const PREMIUM_ONLY_RULES: ReadonlySet<string> = new Set([
  'databricks-cmk-managed-services',
  'databricks-cmk-managed-disk',
  'databricks-cmk-dbfs-root',
  'databricks-infrastructure-encryption',
]);

/** Premium workspaces: customer-managed keys and infrastructure encryption exist on Premium only. */
export function premiumWorkspaces(ctx: RuleContext): Resource[] {
  const out: Resource[] = [];
  for (const ws of workspaces(ctx)) {
    const sku = lookup(ws, ws.schema === 'terraform' ? ['sku'] : ['sku', 'name']);
    if (sku.state === 'unknown') {
      ctx.unverified(ws, 'the tier is an expression that cannot be evaluated, and encryption settings need Premium');
      continue;
    }
    // Another tier is the premium-sku rule's finding; these rules speak once it is Premium.
    if (sku.state === 'set' && asString(sku.value)?.toLowerCase() === 'premium') out.push(ws);
    else if (sku.state === 'set') ctx.notApplicable(ws, 'customer-managed keys and infrastructure encryption need the Premium tier');
  }
  return out;
}

/** A `keySource` that is `Microsoft.Keyvault` (any case): true; another string: false; else undefined. */
export function isKeyVaultSource(found: Lookup): boolean | undefined {
  if (found.state !== 'set') return undefined;
  const s = asString(found.value);
  return s === undefined ? undefined : s.toLowerCase() === 'microsoft.keyvault';
}

/** Whether a looked-up flag is true (set true), false (absent, null or false) or undefined (unknown). */
export function flagState(found: Lookup): boolean | undefined {
  if (found.state === 'absent') return false;
  if (found.state === 'unknown') return undefined;
  if (found.value.kind === 'null') return false;
  return asBool(found.value);
}

/** Whether an attribute holds something (a key id): absent or null is false, unknown counts as set. */
export function isProvided(found: Lookup): boolean {
  if (found.state === 'absent') return false;
  if (found.state === 'unknown') return true;
  return found.value.kind !== 'null' && !(found.value.kind === 'string' && found.value.value === '');
}

/** Customer-managed key inputs a fix adds: ARM/Bicep key vault URI, key name and version; Terraform one key id. */
export interface KeyInputs {
  intents: FixIntent[];
  /** ARM/Bicep `keyVaultProperties`-style references (`keyVaultUri`, `keyName`, `keyVersion`). */
  uri: ParamRef;
  name: ParamRef;
  version: ParamRef;
  /** Terraform: the versioned or versionless Key Vault key id. */
  keyId: ParamRef;
}

/** New parameters for a key (`prefix`: `managedServices`, `managedDisk`, `dbfs`); `what` goes into the descriptions. */
export function keyInputs(ws: Resource, prefix: string, what: string): KeyInputs {
  const intents: FixIntent[] = [];
  if (ws.dialect === 'terraform' && ws.schema === 'terraform') {
    intents.push({ op: 'addParameter', as: `${prefix}KeyId`, near: ws, name: `${prefix}KeyId`, type: 'string', description: `Key Vault key id of the customer-managed key for ${what}.` });
  } else {
    intents.push(
      { op: 'addParameter', as: `${prefix}KeyVaultUri`, near: ws, name: `${prefix}KeyVaultUri`, type: 'string', description: `URI of the Key Vault that holds the customer-managed key for ${what} (https://<vault>.vault.azure.net/).` },
      { op: 'addParameter', as: `${prefix}KeyName`, near: ws, name: `${prefix}KeyName`, type: 'string', description: `Name of the customer-managed key for ${what}.` },
      { op: 'addParameter', as: `${prefix}KeyVersion`, near: ws, name: `${prefix}KeyVersion`, type: 'string', description: `Version of the customer-managed key for ${what}.` },
    );
  }
  return {
    intents,
    uri: paramRef(`${prefix}KeyVaultUri`),
    name: paramRef(`${prefix}KeyName`),
    version: paramRef(`${prefix}KeyVersion`),
    keyId: paramRef(`${prefix}KeyId`),
  };
}

/** The `encryption.entities.<entity>` object of a workspace with a Key Vault key. */
export function entityBody(keys: KeyInputs, extra: { [k: string]: BodyValue } = {}): BodyValue {
  return { keySource: 'Microsoft.Keyvault', keyVaultProperties: { keyVaultUri: keys.uri, keyName: keys.name, keyVersion: keys.version }, ...extra };
}

/** The azurerm versions an encryption fix on `ws` is written for: an azurerm workspace's (an azapi one's fixes write its ARM body). */
export function azurermOf(ws: Resource): ProviderVersion | undefined {
  return ws.schema === 'terraform' ? ws.providerVersion : undefined;
}

/** The azurerm release that added what an encryption fix writes (the provider's CHANGELOG, checked against its tagged sources). */
export const AZURERM_SINCE = {
  /** `customer_managed_key_enabled` and `infrastructure_encryption_enabled`. */
  encryptionFlags: [2, 67, 0],
  managed_services_cmk_key_vault_key_id: [2, 71, 0],
  /** With `managed_disk_cmk_rotation_to_latest_version_enabled`. */
  managed_disk_cmk_key_vault_key_id: [3, 41, 0],
  azurerm_databricks_workspace_root_dbfs_customer_managed_key: [3, 71, 0],
  /**
   * The root DBFS key resource's older name, deprecated by the one above and removed in 4.0. It is
   * in the 2.x provider already; the release that added it is not pinned down here, so the fix
   * counts on it from 3.0 (the oracle checks 3.40 and 3.70).
   */
  azurerm_databricks_workspace_customer_managed_key: [3, 0, 0],
} as const satisfies Record<string, VersionTriple>;

