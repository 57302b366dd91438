// databricks-public-network-access: the workspace front end must not be reachable from the internet.
import type { Fix, FixIntent } from '../fixes/intent';
import { asBool, asString, describeValue, lookup, type Lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { isServerless, workspaces } from './support/workspace';
import { message } from './support/message';
import { describeWithSource } from '../model/origin';

const ARM_PATH = ['properties', 'publicNetworkAccess'];
const ARM_NSG_PATH = ['properties', 'requiredNsgRules'];
const TF_ATTR = ['public_network_access_enabled'];
const TF_NSG_ATTR = ['network_security_group_rules_required'];

export const rule: Rule = {
  meta: {
    id: 'databricks-public-network-access',
    title: 'Databricks workspace allows public network access',
    pass: 'Public network access is off',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.frontendPrivateLink,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'With public network access on, the workspace UI and REST API accept connections from any network, so a leaked token or password is usable from anywhere. ' +
        'Disable it and reach the workspace through front-end Private Link; when public access is off, Azure Databricks needs `NoAzureDatabricksRules` so cluster traffic uses back-end Private Link.',
      secure: {
        arm: '"publicNetworkAccess": "Disabled",\n"requiredNsgRules": "NoAzureDatabricksRules"',
        bicep: "publicNetworkAccess: 'Disabled'\nrequiredNsgRules: 'NoAzureDatabricksRules'",
        terraform: 'public_network_access_enabled         = false\nnetwork_security_group_rules_required = "NoAzureDatabricksRules"',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) {
      if (ws.schema === 'terraform') checkTerraform(ctx, ws);
      else checkArm(ctx, ws);
    }
  },
};

function checkArm(ctx: RuleContext, ws: Resource): void {
  const access = lookup(ws, ARM_PATH);
  if (access.state === 'unknown') return ctx.unverified(ws, 'publicNetworkAccess is an expression that cannot be evaluated');
  if (access.state === 'set' && asString(access.value)?.toLowerCase() === 'disabled') return;
  const intents: FixIntent[] = [{ op: 'set', resource: ws, path: ARM_PATH, value: 'Disabled' }];
  if (needsNsgFix(ws, lookup(ws, ARM_NSG_PATH), (v) => v.toLowerCase())) {
    intents.push({ op: 'set', resource: ws, path: ARM_NSG_PATH, value: 'NoAzureDatabricksRules' });
  }
  ctx.report({
    resource: ws,
    at: access.state === 'set' ? access.value : undefined,
    message:
      access.state === 'set'
        ? message(`publicNetworkAccess is ${describeWithSource(ctx.unit, ws, access.value, 'publicNetworkAccess')}`, "set it to 'Disabled' and use Private Link", 'the workspace is on the internet')
        : message("publicNetworkAccess is unset and defaults to 'Enabled'", "set it to 'Disabled' and use Private Link", 'the workspace is on the internet'),
    fixes: [fix("Set publicNetworkAccess to 'Disabled'", intents, 'requiredNsgRules')],
  });
}

function checkTerraform(ctx: RuleContext, ws: Resource): void {
  const access = lookup(ws, TF_ATTR);
  if (access.state === 'unknown') return ctx.unverified(ws, 'public_network_access_enabled is an expression that cannot be evaluated');
  if (access.state === 'set' && asBool(access.value) === false) return;
  const intents: FixIntent[] = [{ op: 'set', resource: ws, path: TF_ATTR, value: false }];
  const nsg = lookup(ws, TF_NSG_ATTR);
  if (needsNsgFix(ws, nsg, (v) => v)) {
    intents.push({ op: 'set', resource: ws, path: TF_NSG_ATTR, value: 'NoAzureDatabricksRules' });
  }
  ctx.report({
    resource: ws,
    at: access.state === 'set' ? access.value : undefined,
    message:
      access.state === 'set'
        ? message(`public_network_access_enabled is ${describeWithSource(ctx.unit, ws, access.value, 'public_network_access_enabled')}`, 'set it to false and use Private Link', 'the workspace is on the internet')
        : message('public_network_access_enabled is unset and defaults to true', 'set it to false and use Private Link', 'the workspace is on the internet'),
    fixes: [fix('Set public_network_access_enabled to false', intents, 'network_security_group_rules_required')],
  });
}

/**
 * Whether disabling public access must also set the NSG rules setting to NoAzureDatabricksRules:
 * AllRules is rejected with public access off, and on a classic workspace any other value (or
 * none) makes databricks-backend-private-link report once the fix is applied.
 */
function needsNsgFix(ws: Resource, nsg: Lookup, norm: (v: string) => string): boolean {
  if (nsg.state === 'unknown') return false;
  const value = nsg.state === 'set' ? asString(nsg.value) : undefined;
  if (value !== undefined && norm(value) === norm('AllRules')) return true;
  if (isServerless(ws)) return false;
  if (nsg.state === 'absent') return true;
  return value === undefined || norm(value) !== norm('NoAzureDatabricksRules');
}

function fix(title: string, intents: FixIntent[], nsgSetting: string): Fix {
  const full = intents.length > 1 ? `${title} and ${nsgSetting} to 'NoAzureDatabricksRules'` : title;
  return { title: full, intents, preferred: true };
}
