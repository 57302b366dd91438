// databricks-premium-sku: only the Premium tier has the security features the other rules rely on.
import { asString, describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { workspaces } from './support/workspace';
import { message } from './support/message';
import { describeWithSource } from '../model/origin';

export const rule: Rule = {
  meta: {
    id: 'databricks-premium-sku',
    title: 'Databricks workspace is not on the Premium tier',
    pass: 'Workspace is on the Premium tier',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.wellArchitectedDatabricks,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'The Standard and Trial tiers lack role-based access control for notebooks, clusters and jobs, IP access lists, Private Link, customer-managed keys and audit logs. ' +
        'Every other workspace security control in the Well-Architected checklist needs the Premium tier.',
      secure: {
        arm: '"sku": { "name": "premium" }',
        bicep: "sku: {\n  name: 'premium'\n}",
        terraform: 'sku = "premium"',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) check(ctx, ws);
  },
};

function check(ctx: RuleContext, ws: Resource): void {
  const path = ws.schema === 'terraform' ? ['sku'] : ['sku', 'name'];
  const sku = lookup(ws, path);
  // The tier is required: an absent one is a half-typed resource, not a finding.
  if (sku.state === 'absent') return;
  if (sku.state === 'unknown') return ctx.unverified(ws, 'the sku is an expression that cannot be evaluated');
  const tier = asString(sku.value);
  if (tier !== undefined && tier.toLowerCase() === 'premium') return;
  ctx.report({
    resource: ws,
    at: sku.value,
    message: message(`The workspace tier is ${describeWithSource(ctx.unit, ws, sku.value)}`, "use 'premium'", 'it lacks access control, Private Link and CMK'),
    fixes: [{ title: "Set the tier to 'premium'", intents: [{ op: 'set', resource: ws, path, value: 'premium' }], preferred: true }],
  });
}
