// databricks-public-network-access: the workspace front end must not be reachable from the internet.
import type { Fix, FixIntent } from '../fixes/intent';
import { asBool, asString, describeValue, lookup, type Lookup } from '../model/query';
import { KIND, type Resource, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { isServerless, isVnetInjected, workspaces } from './support/workspace';
import { MAX_MESSAGE_LENGTH, firstFitting, message } from './support/message';
import { describeWithSource, sourceOf } from '../model/origin';
import { endpointsFor, UI_API } from './support/private-link';

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
  const facts =
    access.state === 'set'
      ? factsOf(ctx, ws, access.value, 'publicNetworkAccess')
      : ["publicNetworkAccess is unset and defaults to 'Enabled'", "publicNetworkAccess defaults to 'Enabled'"];
  const before = prerequisites(ctx, ws);
  ctx.report({
    resource: ws,
    at: access.state === 'set' ? access.value : undefined,
    message: reportMessage(facts, "set it to 'Disabled' and use Private Link", before),
    fixes: [fix("Set publicNetworkAccess to 'Disabled'", intents, 'requiredNsgRules', before)],
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
  const facts =
    access.state === 'set'
      ? factsOf(ctx, ws, access.value, 'public_network_access_enabled')
      : ['public_network_access_enabled is unset and defaults to true', 'public_network_access_enabled is unset'];
  const before = prerequisites(ctx, ws);
  ctx.report({
    resource: ws,
    at: access.state === 'set' ? access.value : undefined,
    message: reportMessage(facts, 'set it to false and use Private Link', before),
    fixes: [fix('Set public_network_access_enabled to false', intents, 'network_security_group_rules_required', before)],
  });
}

/** The fact, from the fullest to the shortest; each names where the value comes from. */
function factsOf(ctx: RuleContext, ws: Resource, value: Value, subject: string): string[] {
  const source = sourceOf(ctx.unit, ws, value, subject);
  const facts = [`${subject} is ${describeWithSource(ctx.unit, ws, value, subject)}`];
  if (source) facts.push(`${subject} is ${describeValue(value)} (${source.place})`, `Public access is on (${source.place})`);
  else facts.push(`${subject} is ${describeValue(value)}`);
  return facts;
}

/** What must exist before public access can go off (rules.md): nothing for a serverless workspace. */
interface Prerequisites {
  /** Not known to be VNet-injected (missing, or unreadable). */
  vnet: boolean;
  /** No databricks_ui_api endpoint certainly targets it. */
  endpoint: boolean;
}

function prerequisites(ctx: RuleContext, ws: Resource): Prerequisites {
  if (isServerless(ws)) return { vnet: false, endpoint: false };
  return { vnet: isVnetInjected(ws) !== true, endpoint: endpointsFor(ctx, ws, UI_API).matching.length === 0 };
}

/** The finding's message: the fact and the action, or, when something must come first, what. */
function reportMessage(facts: string[], action: string, before: Prerequisites): string {
  if (!before.vnet && !before.endpoint) return firstFitting(message(facts[0], action, 'the workspace is on the internet'), message(facts[0], 'disable it and use Private Link'));
  const first =
    before.vnet && before.endpoint
      ? 'first VNet injection, then a databricks_ui_api endpoint, then disable it'
      : before.vnet
        ? 'first VNet injection, then disable it'
        : 'first a databricks_ui_api private endpoint, then disable it';
  const fitting = facts.map((f) => `${f}: ${first}.`).find((m) => m.length <= MAX_MESSAGE_LENGTH);
  return fitting ?? `${facts[facts.length - 1]}: ${first}.`;
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

/**
 * Preferred only when the result deploys and stays reachable (rules.md, Fix safety); otherwise
 * offered, and its title says what it assumes.
 */
function fix(title: string, intents: FixIntent[], nsgSetting: string, before: Prerequisites): Fix {
  const full = intents.length > 1 ? `${title} and ${nsgSetting} to 'NoAzureDatabricksRules'` : title;
  const assumed = [before.vnet ? 'VNet injection' : '', before.endpoint ? 'a databricks_ui_api private endpoint' : ''].filter((x) => x !== '');
  if (assumed.length === 0) return { title: full, intents, preferred: true };
  return { title: `${full} (assumes ${assumed.join(' and ')})`, intents, preferred: false };
}
