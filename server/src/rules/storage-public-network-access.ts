// storage-public-network-access: a storage account next to the workspace must not accept traffic from any network.
import type { Fix, FixIntent } from '../fixes/intent';
import { asBool, asString, describeValue, lookup, parseApiVersion, type Lookup } from '../model/query';
import { KIND, type Resource, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { firstFitting, listOf, message, versionRelated } from './support/message';
import { azurermVersionFor } from './support/azurerm';
import type { RelatedInfo } from '../engine/types';
import { describeWithSource } from '../model/origin';
import { dataPlaneObjects, readsOwnDataPlane, separateNetworkRules, storageAccounts } from './support/storage';

const ARM_ACCESS = ['properties', 'publicNetworkAccess'];
const ARM_ACLS = ['properties', 'networkAcls'];
const ARM_DEFAULT_ACTION = [...ARM_ACLS, 'defaultAction'];
const TF_DEFAULT_ACTION = ['network_rules', 'default_action'];

/** open: reachable; closed: not; unknown: can't evaluate. `at` is the deciding value when set. */
type Verdict = { state: 'open' | 'closed' | 'unknown'; at?: Value; why: string; name?: string };

export const rule: Rule = {
  meta: {
    id: 'storage-public-network-access',
    title: 'Storage account is reachable from any network',
    pass: 'Storage denies public network traffic',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.storageNetworkSecurity,
    fixable: true,
    kinds: [KIND.storageAccount],
    docs: {
      why:
        'A storage account that accepts traffic from every network exposes the data lake behind the workspace to anyone holding a key, a SAS or a stolen token. ' +
        'Deny by default in the storage firewall and allow only the workspace subnets, private endpoints and trusted Azure services.',
      secure: {
        // What the fix writes: Deny, with bypass AzureServices when no bypass is set.
        arm: '"networkAcls": {\n  "defaultAction": "Deny",\n  "bypass": "AzureServices"\n}',
        bicep: "networkAcls: {\n  defaultAction: 'Deny'\n  bypass: 'AzureServices'\n}",
        terraform: 'network_rules {\n  default_action = "Deny"\n  bypass         = ["AzureServices"]\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const sa of storageAccounts(ctx)) {
      if (sa.schema === 'terraform') checkTerraform(ctx, sa);
      else checkArm(ctx, sa);
    }
  },
};

function fromLookup(l: Lookup, name: string, closed: (v: Value) => boolean | undefined, absent: Verdict): Verdict {
  if (l.state === 'unknown') return { state: 'unknown', why: `${name} is an expression that cannot be evaluated` };
  if (l.state === 'absent') return absent;
  const c = closed(l.value);
  if (c === undefined) return { state: 'unknown', at: l.value, why: `${name} is ${describeValue(l.value)}` };
  return { state: c ? 'closed' : 'open', at: l.value, why: `${name} is ${describeValue(l.value)}`, name };
}

/** A verdict for the message: a value with where it comes from, else why it is open. */
function explain(ctx: RuleContext, sa: Resource, v: Verdict): string {
  return v.at && v.name ? `${v.name} is ${describeWithSource(ctx.unit, sa, v.at, v.name.split('.').pop())}` : v.why;
}

function judge(ctx: RuleContext, sa: Resource, access: Verdict, firewall: Verdict, denyFix: Fix): void {
  if (access.state === 'closed' || firewall.state === 'closed') return;
  if (access.state === 'unknown' || firewall.state === 'unknown') {
    return ctx.unverified(sa, access.state === 'unknown' ? access.why : firewall.why);
  }
  const assumes = assumption(ctx, sa);
  const fix: Fix = assumes ? { ...denyFix, title: `${denyFix.title} (assumes Terraform runs from an allowed network: ${assumes.why})`, preferred: false } : denyFix;
  ctx.report({
    resource: sa,
    at: firewall.at ?? access.at,
    message: firstFitting(
      message(`${explain(ctx, sa, firewall)} and ${explain(ctx, sa, access)}`, 'deny by default in the firewall', 'any network reaches it'),
      message(`${explain(ctx, sa, firewall)} with public access on`, 'deny by default in the firewall'),
      message(`${explain(ctx, sa, firewall)} with public access on`, 'deny by default'),
    ),
    fixes: [fix],
    related: assumes?.related,
  });
}

/**
 * Why closing the account would break Terraform, if it would (ARM deployments and Bicep go through
 * Azure Resource Manager only): Terraform reaches the data plane from wherever it runs, and behind
 * Deny that fails (403) unless its network is allowed, which the fix cannot know.
 */
function assumption(ctx: RuleContext, sa: Resource): { why: string; related?: RelatedInfo[] } | undefined {
  if (sa.dialect !== 'terraform') return undefined;
  const objects = dataPlaneObjects(ctx, sa);
  if (objects.length) return { why: `this module uses the account's ${listOf(objects)}` };
  if (!readsOwnDataPlane(ctx, sa)) return undefined;
  // The version decides: related information points at where it is read.
  return { why: "azurerm < 5.0 reads the account's data plane", related: versionRelated(azurermVersionFor(ctx.unit, sa), ctx.unit) };
}

function checkArm(ctx: RuleContext, sa: Resource): void {
  const api = parseApiVersion(sa.apiVersion);
  const access = fromLookup(
    lookup(sa, ARM_ACCESS),
    'publicNetworkAccess',
    (v) => {
      const s = asString(v)?.toLowerCase();
      if (s === undefined) return undefined;
      if (s === 'disabled') return true;
      // SecuredByPerimeter exists from API 2023-04-01; an older API doesn't know it.
      if (s === 'securedbyperimeter') return api ? api.date >= '2023-04-01' : undefined;
      return false;
    },
    { state: 'open', why: 'publicNetworkAccess is unset' },
  );
  const firewall = fromLookup(
    lookup(sa, ARM_DEFAULT_ACTION),
    'networkAcls.defaultAction',
    (v) => (asString(v) === undefined ? undefined : asString(v)!.toLowerCase() === 'deny'),
    { state: 'open', why: "networkAcls.defaultAction is unset ('Allow')" },
  );
  judge(ctx, sa, access, firewall, armDenyFix(sa));
}

/**
 * Deny with `bypass: 'AzureServices'` (rules.md, Fix safety): trusted Azure services such as
 * Databricks' managed identity keep reaching the account. An existing bypass is kept.
 */
function armDenyFix(sa: Resource): Fix {
  const acls = lookup(sa, ARM_ACLS);
  if (acls.state === 'absent') {
    return { title: "Set networkAcls.defaultAction to 'Deny' with bypass 'AzureServices'", intents: [{ op: 'set', resource: sa, path: ARM_ACLS, value: { defaultAction: 'Deny', bypass: 'AzureServices' } }], preferred: true };
  }
  const intents: FixIntent[] = [{ op: 'set', resource: sa, path: ARM_DEFAULT_ACTION, value: 'Deny' }];
  if (lookup(sa, [...ARM_ACLS, 'bypass']).state === 'absent') intents.push({ op: 'set', resource: sa, path: [...ARM_ACLS, 'bypass'], value: 'AzureServices' });
  return { title: `Set networkAcls.defaultAction to 'Deny'${intents.length > 1 ? " with bypass 'AzureServices'" : ''}`, intents, preferred: true };
}

function checkTerraform(ctx: RuleContext, sa: Resource): void {
  // azurerm ≥ 5.5 has the string public_network_access; before it, the bool public_network_access_enabled.
  const str = lookup(sa, ['public_network_access']);
  const access =
    str.state !== 'absent'
      ? fromLookup(str, 'public_network_access', (v) => (asString(v) === undefined ? undefined : ['Disabled', 'SecuredByPerimeter'].includes(asString(v)!)), {
          state: 'open',
          why: '',
        })
      : fromLookup(lookup(sa, ['public_network_access_enabled']), 'public_network_access_enabled', (v) => (asBool(v) === undefined ? undefined : asBool(v) === false), {
          state: 'open',
          why: 'public_network_access_enabled is unset (true)',
        });
  const deny = (v: Value) => (asString(v) === undefined ? undefined : asString(v) === 'Deny');
  let firewall = fromLookup(lookup(sa, TF_DEFAULT_ACTION), 'network_rules.default_action', deny, {
    state: 'open',
    why: 'no network_rules block ("Allow")',
  });
  const intents: FixIntent[] = [{ op: 'set', resource: sa, path: TF_DEFAULT_ACTION, value: 'Deny' }];
  if (lookup(sa, ['network_rules', 'bypass']).state === 'absent') intents.push({ op: 'set', resource: sa, path: ['network_rules', 'bypass'], value: ['AzureServices'] });
  let fix: Fix = {
    title: `Set network_rules { default_action = "Deny"${intents.length > 1 ? ', bypass = ["AzureServices"]' : ''} }`,
    intents,
    preferred: true,
  };
  if (lookup(sa, ['network_rules']).state === 'absent') {
    // The firewall may be set by a separate azurerm_storage_account_network_rules resource.
    const separate = separateNetworkRules(ctx, sa);
    if (separate.known.length === 1) {
      const rules = separate.known[0];
      firewall = fromLookup(lookup(rules, ['default_action']), `default_action of network rules '${rules.symbolicName.split('.').pop()}'`, deny, {
        state: 'unknown',
        why: `${rules.symbolicName} has no default_action yet`,
      });
      fix = {
        title: `Set default_action = "Deny" on ${rules.symbolicName}`,
        intents: [{ op: 'set', resource: rules, path: ['default_action'], value: 'Deny' }],
        preferred: true,
      };
    } else if (separate.known.length > 1 || separate.unresolved) {
      firewall = { state: 'unknown', why: 'an azurerm_storage_account_network_rules resource may configure this account' };
    }
  }
  judge(ctx, sa, access, firewall, fix);
}
