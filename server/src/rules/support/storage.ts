// Facts about storage accounts that the storage-* rules share.
import { lookup, type Lookup } from '../../model/query';
import { KIND, type Resource } from '../../model/types';
import type { RuleContext } from '../types';

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
