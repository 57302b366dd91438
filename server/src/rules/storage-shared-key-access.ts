// storage-shared-key-access: requests should be authorised with Entra ID rather than account keys.
import type { Fix } from '../fixes/intent';
import { asBool, describeValue, lookup } from '../model/query';
import { KIND, type Resource, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { listOf, message } from './support/message';
import { describeWithSource } from '../model/origin';
import { dataPlaneObjects, storageAccounts } from './support/storage';
import { isAzurermProvider } from './support/azurerm';

export const rule: Rule = {
  meta: {
    id: 'storage-shared-key-access',
    title: 'Storage account keys still authorise requests',
    pass: 'Shared key access is off',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.sharedKeyAuthorization,
    fixable: true,
    kinds: [KIND.storageAccount],
    docs: {
      why:
        'Account keys and the SAS tokens signed with them grant full access, never expire by themselves and leave no identity in the logs. ' +
        'Disallowing Shared Key makes every request use Entra ID (for Databricks, a Unity Catalog storage credential backed by a managed identity); in Terraform set `storage_use_azuread = true` on the azurerm provider first.',
      secure: {
        arm: '"allowSharedKeyAccess": false',
        bicep: 'allowSharedKeyAccess: false',
        terraform: 'shared_access_key_enabled = false',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const sa of storageAccounts(ctx)) check(ctx, sa);
  },
};

function check(ctx: RuleContext, sa: Resource): void {
  const tf = sa.schema === 'terraform';
  const name = tf ? 'shared_access_key_enabled' : 'allowSharedKeyAccess';
  const path = tf ? [name] : ['properties', name];
  const value = lookup(sa, path);
  if (value.state === 'unknown') return ctx.unverified(sa, `${name} is an expression that cannot be evaluated`);
  if (value.state === 'set') {
    const b = asBool(value.value);
    if (b === false) return;
    if (b === undefined && value.value.kind !== 'null') return ctx.unverified(sa, `${name} is ${describeValue(value.value)}`);
  }
  const fix: Fix = withDataPlane(ctx, sa, tf ? terraformFix(ctx, sa) : { title: `Set ${name} to false`, intents: [{ op: 'set', resource: sa, path, value: false }], preferred: true });
  ctx.report({
    resource: sa,
    at: value.state === 'set' ? value.value : undefined,
    message:
      value.state === 'set'
        ? message(`${name} is ${describeWithSource(ctx.unit, sa, value.value, name)}`, 'set it to false to require Entra ID', 'account keys authorise requests')
        : message(`${name} is unset and defaults to true`, 'set it to false to require Entra ID', 'account keys authorise requests'),
    fixes: [fix],
  });
}

/**
 * Where Terraform also manages objects in the account through its data plane (containers,
 * blobs…), it reaches them with Entra ID once keys are off: its identity needs data roles on the
 * account (Storage Blob Data Contributor…), which the fix cannot know. Offered, not preferred.
 */
function withDataPlane(ctx: RuleContext, sa: Resource, fix: Fix): Fix {
  if (!fix.preferred || sa.dialect !== 'terraform') return fix;
  const objects = dataPlaneObjects(ctx, sa);
  if (!objects.length) return fix;
  return { ...fix, title: `${fix.title} (assumes Terraform uses Entra ID with data roles on the account: this module uses its ${listOf(objects)})`, preferred: false };
}

/**
 * Without `storage_use_azuread = true` on the azurerm provider, Terraform itself reads the
 * account with its keys and fails (403 KeyBasedAuthenticationNotPermitted) once they are off
 * (rules.md, Fix safety). The fix sets it on the module's azurerm provider block when there is
 * one; without a block in the module it is offered, not preferred.
 */
function terraformFix(ctx: RuleContext, sa: Resource): Fix {
  const set = { op: 'set' as const, resource: sa, path: ['shared_access_key_enabled'], value: false };
  const title = 'Set shared_access_key_enabled to false';
  const providers = ctx.unit.resources.filter(
    (r) => isAzurermProvider(r) && (r.viaModule ?? []).join('.') === (sa.viaModule ?? []).join('.'),
  );
  if (providers.some((p) => asBool(lookup(p, ['storage_use_azuread']).state === 'set' ? (lookup(p, ['storage_use_azuread']) as { value: Value }).value : undefined) === true)) {
    return { title, intents: [set], preferred: true };
  }
  if (providers.length === 1 && lookup(providers[0], ['storage_use_azuread']).state === 'absent') {
    return { title: `${title} and storage_use_azuread = true on the azurerm provider`, intents: [set, { op: 'set', resource: providers[0], path: ['storage_use_azuread'], value: true }], preferred: true };
  }
  return { title: `${title} (first set storage_use_azuread = true on the azurerm provider)`, intents: [set], preferred: false };
}
