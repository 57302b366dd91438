// databricks-backend-private-link: with public access off, cluster traffic must use back-end Private Link.
import type { Fix } from '../fixes/intent';
import { asBool, asString, describeValue, lookup, type Lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { isServerless, workspaces } from './support/workspace';
import { firstFitting, message } from './support/message';
import { describeWithSource } from '../model/origin';

const ARM_ACCESS = ['properties', 'publicNetworkAccess'];
const ARM_NSG = ['properties', 'requiredNsgRules'];
const TF_ACCESS = ['public_network_access_enabled'];
const TF_NSG = ['network_security_group_rules_required'];
const SECURE = 'NoAzureDatabricksRules';

export const rule: Rule = {
  meta: {
    id: 'databricks-backend-private-link',
    title: 'Public access is off but cluster traffic does not use back-end Private Link',
    pass: 'Cluster traffic uses back-end Private Link',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.backendPrivateLink,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'When public network access is off, the classic compute plane must reach the control plane through back-end Private Link, which needs `NoAzureDatabricksRules`. ' +
        'With `AllRules` Azure rejects the deployment; with any other value the cluster-to-control-plane traffic does not stay on the private path the front-end setting promises.',
      secure: {
        arm: '"publicNetworkAccess": "Disabled",\n"requiredNsgRules": "NoAzureDatabricksRules"',
        bicep: "publicNetworkAccess: 'Disabled'\nrequiredNsgRules: 'NoAzureDatabricksRules'",
        terraform: 'public_network_access_enabled         = false\nnetwork_security_group_rules_required = "NoAzureDatabricksRules"',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) {
      if (isServerless(ws)) {
        ctx.notApplicable(ws, 'a serverless workspace has no classic compute plane');
        continue;
      }
      check(ctx, ws);
    }
  },
};

/** Whether public access is known to be off: true, false, or undefined when it can't be evaluated. */
function publicAccessOff(ws: Resource, access: Lookup): boolean | undefined {
  if (access.state === 'unknown') return undefined;
  if (access.state === 'absent') return false; // both dialects default to public access on
  if (ws.schema === 'terraform') return asBool(access.value) === false;
  return asString(access.value)?.toLowerCase() === 'disabled';
}

function check(ctx: RuleContext, ws: Resource): void {
  const tf = ws.schema === 'terraform';
  const name = tf ? 'network_security_group_rules_required' : 'requiredNsgRules';
  const path = tf ? TF_NSG : ARM_NSG;
  const off = publicAccessOff(ws, lookup(ws, tf ? TF_ACCESS : ARM_ACCESS));
  if (off === undefined) return ctx.unverified(ws, 'public network access is an expression that cannot be evaluated');
  if (!off) return ctx.notApplicable(ws, 'public network access is on');
  const nsg = lookup(ws, path);
  if (nsg.state === 'unknown') return ctx.unverified(ws, `${name} is an expression that cannot be evaluated`);
  const fix: Fix = { title: `Set ${name} to '${SECURE}'`, intents: [{ op: 'set', resource: ws, path, value: SECURE }], preferred: true };
  if (nsg.state === 'absent') {
    return ctx.report({
      resource: ws,
      message: message(`Public access is off but ${name} is unset`, `set it to '${SECURE}'`, 'clusters bypass back-end Private Link'),
      fixes: [fix],
    });
  }
  const value = asString(nsg.value);
  // Terraform validates the value case-sensitively; ARM compares case-insensitively.
  const same = (a: string | undefined, b: string) => (tf ? a === b : a?.toLowerCase() === b.toLowerCase());
  if (same(value, SECURE)) return;
  const rejected = same(value, 'AllRules');
  ctx.report({
    resource: ws,
    at: nsg.value,
    severity: rejected ? 'error' : undefined,
    message: firstFitting(
      message(`${name} is ${describeWithSource(ctx.unit, ws, nsg.value, name)}`, `set it to '${SECURE}'`, rejected ? 'Azure rejects it with public access off' : 'clusters bypass back-end Private Link'),
      message(`${name} is ${describeWithSource(ctx.unit, ws, nsg.value, name)}`, `set '${SECURE}'`),
    ),
    fixes: [fix],
  });
}
