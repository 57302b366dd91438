// Facts about Key Vaults that the keyvault-* rules share: which vaults hold workspace keys.
import { asString, lookup, lookupIn } from '../../model/query';
import { KIND, type ObjectValue, type Resource, type Value } from '../../model/types';
import type { RuleContext } from '../types';
import { workspaces } from './workspace';

/** Declared Key Vaults of the unit (Terraform and ARM alike). */
export function keyVaults(ctx: RuleContext): Resource[] {
  return ctx.resources(KIND.keyVault);
}

/** The vault name in a Key Vault URI (`https://NAME.vault.azure.net/`), lower-cased. */
function vaultNameOfUri(uri: string): string | undefined {
  const m = /^https:\/\/([a-z0-9-]+)\.vault\.[a-z0-9.]+\/?/i.exec(uri.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/** The vault a key-vault URI value designates, if it can be told. */
function vaultOfUri(value: Value, vaults: Resource[]): Resource | undefined {
  if (value.kind === 'ref') return vaults.includes(value.target) ? value.target : undefined;
  const uri = asString(value);
  const name = uri !== undefined ? vaultNameOfUri(uri) : undefined;
  if (!name) return undefined;
  return vaults.find((v) => {
    const n = lookup(v, ['name']);
    return n.state === 'set' && asString(n.value)?.toLowerCase() === name;
  });
}

/** ARM/Bicep: key-vault URIs in a workspace's CMK settings (managed services, managed disks, DBFS root). */
function armKeyVaultUris(ws: Resource): Value[] {
  const out: Value[] = [];
  const entities = lookup(ws, ['properties', 'encryption', 'entities']);
  if (entities.state === 'set' && entities.value.kind === 'object') {
    for (const entity of entities.value.props) {
      if (entity.value.kind !== 'object') continue;
      for (const path of [['keyVaultProperties', 'keyVaultUri'], ['keyVaultUri']]) {
        const uri = lookupIn(entity.value as ObjectValue, path, true);
        if (uri.state === 'set') out.push(uri.value);
      }
    }
  }
  const dbfs = lookup(ws, ['properties', 'parameters', 'encryption', 'value', 'KeyVaultUri']);
  if (dbfs.state === 'set') out.push(dbfs.value);
  return out;
}

/** Terraform: the azurerm_key_vault a key-id value designates through its azurerm_key_vault_key. */
function vaultOfKeyRef(value: Value, vaults: Resource[]): Resource | undefined {
  if (value.kind !== 'ref' || value.target.kind !== 'azurerm_key_vault_key') return undefined;
  const vault = lookup(value.target, ['key_vault_id']);
  if (vault.state !== 'set' || vault.value.kind !== 'ref') return undefined;
  return vaults.includes(vault.value.target) ? vault.value.target : undefined;
}

const TF_CMK_RESOURCES = ['azurerm_databricks_workspace_root_dbfs_customer_managed_key', 'azurerm_databricks_workspace_customer_managed_key'];

/**
 * Vaults of the unit that hold a key a workspace is encrypted with, each with the value that
 * references it. A reference that can't be resolved to a vault puts nothing in scope.
 */
export function vaultsHoldingWorkspaceKeys(ctx: RuleContext): Map<Resource, Value> {
  const vaults = keyVaults(ctx);
  const out = new Map<Resource, Value>();
  const add = (vault: Resource | undefined, via: Value) => {
    if (vault && !out.has(vault)) out.set(vault, via);
  };
  for (const ws of workspaces(ctx)) {
    if (ws.schema === 'terraform') {
      for (const attr of ['managed_services_cmk_key_vault_key_id', 'managed_disk_cmk_key_vault_key_id']) {
        const key = lookup(ws, [attr]);
        if (key.state === 'set') add(vaultOfKeyRef(key.value, vaults), key.value);
      }
    } else {
      for (const uri of armKeyVaultUris(ws)) add(vaultOfUri(uri, vaults), uri);
    }
  }
  for (const kind of TF_CMK_RESOURCES) {
    for (const cmk of ctx.resources(kind)) {
      const key = lookup(cmk, ['key_vault_key_id']);
      if (key.state === 'set') add(vaultOfKeyRef(key.value, vaults), key.value);
    }
  }
  return out;
}
