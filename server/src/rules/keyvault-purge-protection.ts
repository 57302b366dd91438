// keyvault-purge-protection: a vault holding workspace keys must not be purgeable.
import type { Fix } from '../fixes/intent';
import { asBool, describeValue, lookup } from '../model/query';
import { KIND, type Resource, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { vaultsHoldingWorkspaceKeys } from './support/keyvault';
import { message } from './support/message';
import { describeWithSource } from '../model/origin';

export const rule: Rule = {
  meta: {
    id: 'keyvault-purge-protection',
    title: 'Key Vault holding workspace keys can be purged',
    pass: 'Key Vault purge protection is on',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.keyVaultPurgeProtection,
    fixable: true,
    kinds: [KIND.keyVault],
    docs: {
      why:
        'A customer-managed key that is deleted and purged makes the workspace data it encrypts unrecoverable, whether by mistake or by an attacker with vault access. ' +
        'Purge protection keeps deleted keys recoverable for the retention period; it cannot be turned off once on.',
      secure: {
        arm: '"enableSoftDelete": true,\n"enablePurgeProtection": true',
        bicep: 'enableSoftDelete: true\nenablePurgeProtection: true',
        terraform: 'purge_protection_enabled = true',
      },
    },
  },
  check(ctx: RuleContext) {
    const holding = vaultsHoldingWorkspaceKeys(ctx);
    for (const [vault, via] of holding) check(ctx, vault, via);
    for (const vault of ctx.resources(KIND.keyVault)) if (!holding.has(vault)) ctx.notApplicable(vault, 'no workspace key is known to be in this vault');
  },
};

function check(ctx: RuleContext, vault: Resource, via: Value): void {
  const tf = vault.schema === 'terraform';
  const name = tf ? 'purge_protection_enabled' : 'enablePurgeProtection';
  const path = tf ? [name] : ['properties', name];
  const value = lookup(vault, path);
  if (value.state === 'unknown') return ctx.unverified(vault, `${name} is an expression that cannot be evaluated`);
  if (value.state === 'set') {
    const b = asBool(value.value);
    if (b === true) return;
    if (b === undefined && value.value.kind !== 'null') return ctx.unverified(vault, `${name} is ${describeValue(value.value)}`);
  }
  const fix: Fix = { title: `Set ${name} to true (irreversible)`, intents: [{ op: 'set', resource: vault, path, value: true }], preferred: true };
  ctx.report({
    resource: vault,
    at: value.state === 'set' ? value.value : undefined,
    message: message(
      value.state === 'set' ? `${name} is ${describeWithSource(ctx.unit, vault, value.value, name)}` : `${name} is unset`,
      'set it to true (irreversible)',
      'the vault holds a workspace key',
    ),
    fixes: [fix],
    related: via.loc ? [{ loc: via.loc, message: 'The workspace uses a key of this vault here.' }] : [],
  });
}
