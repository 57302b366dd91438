// databricks-infrastructure-encryption: double encryption of the workspace storage account.
import { describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { AZURERM_SINCE, flagState, premiumWorkspaces, azurermOf, whenAzurermHas } from './support/encryption';
import type { Fix } from '../fixes/intent';
import { firstFitting, message } from './support/message';
import { describeWithSource } from '../model/origin';

const ARM_PATH = ['properties', 'parameters', 'requireInfrastructureEncryption', 'value'];
const TF_ATTR = 'infrastructure_encryption_enabled';

export const MESSAGES = {
  absent: (name: string) => message(`${name} is unset`, 'set it to true (new workspaces only)', 'storage is encrypted once, not twice'),
  notTrue: (name: string, value: string) =>
    firstFitting(message(`${name} is ${value}`, 'set it to true (new workspaces only)', 'storage is encrypted once, not twice'), message(`${name} is ${value}`, 'set true (new workspaces only)')),
} as const;

export const rule: Rule = {
  meta: {
    id: 'databricks-infrastructure-encryption',
    title: 'Workspace storage is not double encrypted',
    pass: 'Workspace storage is double encrypted',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.cmkOverview,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'Infrastructure encryption adds a second layer of encryption, with a different algorithm and key, to the workspace storage account (DBFS root). ' +
        'It can only be chosen when the workspace is created (Premium tier).',
      secure: {
        arm: '"parameters": {\n  "requireInfrastructureEncryption": { "value": true }\n}',
        bicep: 'parameters: {\n  requireInfrastructureEncryption: {\n    value: true\n  }\n}',
        terraform: `${TF_ATTR} = true`,
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of premiumWorkspaces(ctx)) check(ctx, ws);
  },
};

function check(ctx: RuleContext, ws: Resource): void {
  const tf = ws.schema === 'terraform';
  const name = tf ? TF_ATTR : 'requireInfrastructureEncryption';
  const found = lookup(ws, tf ? [TF_ATTR] : ARM_PATH);
  const on = flagState(found);
  if (on === true) return;
  if (on === undefined) return ctx.unverified(ws, `${name} is ${found.state === 'set' ? describeValue(found.value) : 'an expression that cannot be evaluated'}`);
  // Offered, not preferred: it can only be chosen when the workspace is created (Terraform replaces an existing one).
  const fix: Fix = {
    title: `Set ${name} to true (new workspaces only: ${tf ? 'Terraform replaces an existing workspace' : 'an existing workspace cannot change it'})`,
    intents: [{ op: 'set', resource: ws, path: tf ? [TF_ATTR] : ARM_PATH, value: true }],
    preferred: false,
  };
  const { fixes, related } = whenAzurermHas(ctx.unit, azurermOf(ws), AZURERM_SINCE.encryptionFlags, fix);
  if (found.state === 'set') return ctx.report({ resource: ws, at: found.value, message: MESSAGES.notTrue(name, describeWithSource(ctx.unit, ws, found.value, name)), fixes, related });
  ctx.report({ resource: ws, message: MESSAGES.absent(name), fixes, related });
}
