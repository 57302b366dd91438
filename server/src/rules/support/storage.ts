// Facts about storage accounts that the storage-* rules share.
import { asBool, asString, lookup, type Lookup } from '../../model/query';
import { KIND, type Resource } from '../../model/types';
import { compareVersions } from '../../model/version';
import type { RuleContext } from '../types';
import { azurermVersionFor, isAzurermProvider } from './azurerm';

/** Declared storage accounts of the unit (Terraform and ARM alike). */
export function storageAccounts(ctx: RuleContext): Resource[] {
  return ctx.resources(KIND.storageAccount);
}

/**
 * Terraform `azurerm_storage_account_network_rules` resources that configure this account:
 * `known` those whose `storage_account_id` refers to it, `unresolved` true when one refers to an
 * account we can't tell (a name, a variable), so an absent inline `network_rules` proves nothing.
 */
export function separateNetworkRules(ctx: RuleContext, account: Resource): { known: Resource[]; unresolved: boolean } {
  const known: Resource[] = [];
  let unresolved = false;
  for (const rules of ctx.resources('azurerm_storage_account_network_rules')) {
    const target: Lookup = lookup(rules, ['storage_account_id']);
    if (target.state === 'set' && target.value.kind === 'ref') {
      if (target.value.target === account) known.push(rules);
      continue;
    }
    unresolved = true;
  }
  return { known, unresolved };
}

/**
 * azurerm resources and data sources that Terraform runs against a storage account's data plane
 * (its blob, file, queue, table or Data Lake endpoint), by type, named for a fix title.
 * `byId`: a container, share or queue given `storage_account_id` (azurerm ≥ 4.9; queues ≥ 4.46)
 * goes through Azure Resource Manager instead; with `storage_account_name` it uses the data plane.
 * Tables, blobs, files, entities and Data Lake objects use the data plane in every version.
 */
const DATA_PLANE: Record<string, { what: string; byId?: true }> = {
  azurerm_storage_container: { what: 'containers', byId: true },
  azurerm_storage_share: { what: 'file shares', byId: true },
  azurerm_storage_queue: { what: 'queues', byId: true },
  azurerm_storage_table: { what: 'tables' },
  azurerm_storage_blob: { what: 'blobs' },
  azurerm_storage_share_file: { what: 'files' },
  azurerm_storage_share_directory: { what: 'share directories' },
  azurerm_storage_table_entity: { what: 'table entities' },
  azurerm_storage_table_entities: { what: 'table entities' },
  azurerm_storage_data_lake_gen2_filesystem: { what: 'Data Lake filesystems' },
  azurerm_storage_data_lake_gen2_path: { what: 'Data Lake paths' },
  azurerm_storage_account_queue_properties: { what: 'queue properties' },
  azurerm_storage_account_static_website: { what: 'static website' },
  azurerm_storage_account_table_properties: { what: 'table properties' },
};

/** Attributes that name the account, or an object of it (a container, share, table) that names it. */
const ACCOUNT_LINKS = ['storage_account_id', 'storage_account_name'];
const OBJECT_LINKS = ['storage_container_id', 'storage_share_id', 'storage_share_url', 'storage_table_id'];

/**
 * What the deployment reads or writes in this account through its data plane ("containers",
 * "blobs"…): Terraform reaches it from wherever it runs. An object whose account cannot be told
 * (a variable, a name from elsewhere) may be this account's and counts.
 */
export function dataPlaneObjects(ctx: RuleContext, account: Resource): string[] {
  const found = new Set<string>();
  for (const r of ctx.unit.resources) {
    const entry = DATA_PLANE[r.sourceType ?? ''];
    if (!entry || r.noCopies || r.dialect !== 'terraform') continue;
    if (entry.byId && lookup(r, ['storage_account_id']).state !== 'absent' && lookup(r, ['storage_account_name']).state === 'absent') continue;
    if (mayBeOf(r, account, 0)) found.add(entry.what);
  }
  return [...found];
}

function mayBeOf(r: Resource, account: Resource, depth: number): boolean {
  let linked = false;
  for (const attr of [...ACCOUNT_LINKS, ...OBJECT_LINKS]) {
    const l = lookup(r, [attr]);
    if (l.state === 'absent') continue;
    linked = true;
    if (l.state === 'unknown') return true;
    const v = l.value;
    if (v.kind === 'ref') {
      if (v.target === account) return true;
      if (v.target.kind === KIND.storageAccount) {
        // A data source names an account that may be this one.
        if (v.target.existing && sameName(lookup(v.target, ['name']), account) !== false) return true;
        continue;
      }
      if (DATA_PLANE[v.target.sourceType ?? ''] && depth < 3) {
        if (mayBeOf(v.target, account, depth + 1)) return true;
        continue;
      }
      return true;
    }
    if (v.kind === 'string') {
      if (sameName(l, account) !== false) return true;
      continue;
    }
    return true;
  }
  return !linked;
}

/** Whether a name or id string names the account: false only when both are known and it does not. */
function sameName(l: Lookup, account: Resource): boolean | undefined {
  const name = lookup(account, ['name']);
  if (l.state !== 'set' || l.value.kind !== 'string' || name.state !== 'set' || name.value.kind !== 'string') return undefined;
  const text = l.value.value.toLowerCase();
  const own = name.value.value.toLowerCase();
  // A name, a resource id (`…/storageAccounts/NAME…`) or an endpoint URL (`https://NAME.file…`).
  return text === own || text.includes(`/storageaccounts/${own}`) || text.includes(`//${own}.`);
}

/**
 * Whether azurerm reads the account's own data plane when it refreshes it: before 5.0 it reads the
 * queue properties (Standard StorageV2, or Storage with LRS/GRS/RAGRS) and the static website
 * (StorageV2, BlockBlobStorage) through their endpoints, unless every azurerm provider block sets
 * `features { storage { data_plane_available = false } }` (4.9 and later). 5.0 moved both to
 * their own resources. An unknown version, kind or tier counts as reading.
 */
export function readsOwnDataPlane(ctx: RuleContext, account: Resource): boolean {
  if (account.schema !== 'terraform') return false;
  const v = azurermVersionFor(ctx.unit, account);
  if (v && compareVersions(v.min, [5, 0, 0]) >= 0) return false;
  const providers = ctx.unit.resources.filter(isAzurermProvider);
  const off = (p: Resource) => {
    const l = lookup(p, ['features', 'storage', 'data_plane_available']);
    return l.state === 'set' && asBool(l.value) === false;
  };
  if (providers.length > 0 && providers.every(off)) return false;
  const kind = lookup(account, ['account_kind']);
  if (kind.state === 'absent') return true;
  const k = kind.state === 'set' ? asString(kind.value) : undefined;
  if (k === undefined || k === 'StorageV2' || k === 'BlockBlobStorage') return true;
  if (k !== 'Storage') return false;
  const tier = lookup(account, ['account_tier']);
  const replication = lookup(account, ['account_replication_type']);
  const t = tier.state === 'set' ? asString(tier.value) : undefined;
  const rep = replication.state === 'set' ? asString(replication.value) : undefined;
  if (t !== undefined && t !== 'Standard') return false;
  return rep === undefined || ['LRS', 'GRS', 'RAGRS'].includes(rep);
}
