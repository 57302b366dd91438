// databricks-vnet-injection: a classic workspace is deployed into the customer's VNet.
import { paramRef, type BodyValue, type Fix, type FixIntent } from '../fixes/intent';
import { asString, getProp, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import { displayName } from './support/targets';
import { firstFitting, listOf, message } from './support/message';
import type { Report, Rule, RuleContext } from './types';
import { publicAccessOff } from './databricks-browser-auth-endpoint';
import { endpointTargets, privateEndpoints } from './support/private-link';
import { ARM_PARAMS, COMPUTE_MODE_API, TF_NSG_IDS, TF_PARAMS, asksServerless, isServerless, missingVnetParameters, workspaces } from './support/workspace';


export const rule: Rule = {
  meta: {
    id: 'databricks-vnet-injection',
    title: 'Workspace is not deployed into your virtual network',
    pass: 'Workspace is deployed into your virtual network',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.vnetInjection,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'VNet injection puts the classic compute plane in your own virtual network, where you control NSGs, routes and egress. ' +
        'Private Link to the workspace and public access off are only supported for VNet-injected workspaces: Azure rejects them otherwise.',
      secure: {
        arm: '"parameters": {\n  "customVirtualNetworkId": { "value": "[parameters(\'vnetId\')]" },\n  "customPublicSubnetName": { "value": "[parameters(\'publicSubnetName\')]" },\n  "customPrivateSubnetName": { "value": "[parameters(\'privateSubnetName\')]" }\n}',
        bicep: 'parameters: {\n  customVirtualNetworkId: { value: vnetId }\n  customPublicSubnetName: { value: publicSubnetName }\n  customPrivateSubnetName: { value: privateSubnetName }\n}',
        terraform:
          'custom_parameters {\n  virtual_network_id                                   = var.vnet_id\n  public_subnet_name                                   = var.public_subnet_name\n  private_subnet_name                                  = var.private_subnet_name\n  public_subnet_network_security_group_association_id  = var.public_nsg_association_id\n  private_subnet_network_security_group_association_id = var.private_nsg_association_id\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) {
      if (isServerless(ws)) ctx.notApplicable(ws, 'serverless workspace: no classic compute plane');
      else check(ctx, ws);
    }
  },
};

/**
 * What in the template needs VNet injection (which makes a missing VNet an error), if anything:
 * "with public access off", shorter forms first to last.
 */
function privateLinkReason(ctx: RuleContext, ws: Resource): { why: string[]; related?: Resource } | undefined {
  const pe = privateEndpoints(ctx).find((p) => endpointTargets(p, ws) === 'yes');
  if (pe) return { why: ['for its private endpoint'], related: pe };
  if (publicAccessOff(ws) === true) return { why: ['with public access off'] };
  const name = ws.schema === 'terraform' ? 'network_security_group_rules_required' : 'requiredNsgRules';
  const nsg = lookup(ws, ws.schema === 'terraform' ? [name] : ['properties', name]);
  if (nsg.state === 'set' && asString(nsg.value)?.toLowerCase() === 'noazuredatabricksrules') {
    return { why: [`with ${name} NoAzureDatabricksRules`, `by its ${name}`, 'with NoAzureDatabricksRules'] };
  }
  return undefined;
}

function check(ctx: RuleContext, ws: Resource): void {
  const missing = missingVnetParameters(ws);
  if (missing === undefined) return ctx.unverified(ws, 'the custom parameters are an expression that cannot be evaluated');
  if (missing.length === 0) return;
  const tf = ws.schema === 'terraform';
  const core = missing.filter((m) => !TF_NSG_IDS.includes(m));
  if (core.length === 0) {
    // Injected, but azurerm needs both NSG association ids to wire the subnets' NSGs.
    const msg = missing.length === 1 ? message(`VNet injection lacks ${missing[0]}`, 'set it') : message('VNet injection lacks both NSG association ids', 'set public_ and private_subnet_network_security_group_association_id');
    return ctx.report({ resource: ws, message: msg, fixes: vnetFix(ws, missing) });
  }
  const pl = privateLinkReason(ctx, ws);
  if (asksServerless(ws)) {
    // Serverless was meant, but this API version has no computeMode: Azure deploys a classic workspace.
    const report: Report = {
      resource: ws,
      message: message("computeMode 'Serverless' needs API 2025-10-01-preview or later; this deploys a classic workspace", 'raise the apiVersion'),
      fixes: [
        { title: `Raise apiVersion to ${COMPUTE_MODE_API} (computeMode 'Serverless' needs it)`, intents: [{ op: 'setApiVersion', resource: ws, apiVersion: COMPUTE_MODE_API }], preferred: true },
        ...vnetFix(ws, missing).map((f) => ({ ...f, preferred: false })),
      ],
    };
    if (pl) report.severity = 'error';
    return ctx.report(report);
  }
  const all = core.length === (tf ? TF_PARAMS : ARM_PARAMS).length;
  // The missing names, else (when they make the message too long) what they are.
  const facts = all ? ['Workspace is not VNet-injected'] : [`VNet injection lacks ${core.join(', ')}`, `VNet injection lacks ${supplies(core.map((m) => INPUT_OF[m]))}`];
  const action = all ? 'add the VNet parameters' : core.length === 1 ? 'add it' : 'add them';
  const report: Report = {
    resource: ws,
    message: pl
      ? firstFitting(...facts.flatMap((fact) => pl.why.map((why) => message(`${fact}, required ${why}`, action))))
      : firstFitting(...facts.map((fact) => message(fact, action, "clusters run in a VNet you don't control"))),
    fixes: vnetFix(ws, missing),
  };
  if (pl) report.severity = 'error';
  if (pl?.related) report.related = [{ loc: { file: pl.related.file, span: pl.related.head }, message: `private endpoint ${displayName(pl.related)} targets this workspace` }];
  ctx.report(report);
}

/** What the user supplies for each custom parameter: a new template parameter / variable. */
const INPUTS: Record<string, { param: string; description: string; supply: string }> = {
  vnet: { param: 'vnetId', description: 'Resource id of the virtual network the workspace is deployed into (VNet injection).', supply: 'the VNet id' },
  public: {
    param: 'publicSubnetName',
    description: 'Name of the public (host) subnet of that virtual network, delegated to Microsoft.Databricks/workspaces.',
    supply: 'the public subnet name',
  },
  private: {
    param: 'privateSubnetName',
    description: 'Name of the private (container) subnet of that virtual network, delegated to Microsoft.Databricks/workspaces.',
    supply: 'the private subnet name',
  },
  publicNsg: {
    param: 'publicSubnetNsgAssociationId',
    description: 'Id of the association of the public subnet with its network security group (azurerm_subnet_network_security_group_association).',
    supply: 'the NSG association id of the public subnet',
  },
  privateNsg: {
    param: 'privateSubnetNsgAssociationId',
    description: 'Id of the association of the private subnet with its network security group (azurerm_subnet_network_security_group_association).',
    supply: 'the NSG association id of the private subnet',
  },
};
const INPUT_OF: Record<string, keyof typeof INPUTS> = {
  customVirtualNetworkId: 'vnet',
  customPublicSubnetName: 'public',
  customPrivateSubnetName: 'private',
  virtual_network_id: 'vnet',
  public_subnet_name: 'public',
  private_subnet_name: 'private',
  public_subnet_network_security_group_association_id: 'publicNsg',
  private_subnet_network_security_group_association_id: 'privateNsg',
};

/** What the user must supply, short: "the VNet id, the public and private subnet names and both NSG association ids". */
function supplies(keys: (keyof typeof INPUTS)[]): string {
  const has = (k: keyof typeof INPUTS) => keys.includes(k);
  const parts: string[] = [];
  if (has('vnet')) parts.push(INPUTS.vnet.supply);
  if (has('public') && has('private')) parts.push('the public and private subnet names');
  else for (const k of ['public', 'private'] as const) if (has(k)) parts.push(INPUTS[k].supply);
  if (has('publicNsg') && has('privateNsg')) parts.push('the NSG association ids of both subnets');
  else for (const k of ['publicNsg', 'privateNsg'] as const) if (has(k)) parts.push(INPUTS[k].supply);
  return listOf(parts);
}

/**
 * Adds the missing custom parameters, each wired to a new parameter / variable without a default.
 * Where the container (`properties.parameters`, `custom_parameters`) or a parent is missing, one
 * property holds all of them, so the edits never write the same key twice.
 */
function vnetFix(ws: Resource, missing: string[]): Fix[] {
  const tf = ws.schema === 'terraform';
  const intents: FixIntent[] = missing.map((name) => {
    const input = INPUTS[INPUT_OF[name]];
    return { op: 'addParameter', as: name, near: ws, name: input.param, type: 'string', description: input.description };
  });
  const wired = (name: string): BodyValue => (tf ? paramRef(name) : { value: paramRef(name) });
  const base = tf ? ['custom_parameters'] : ['properties', 'parameters'];
  const container = lookup(ws, base);
  if (container.state === 'set' && container.value.kind === 'object') {
    for (const name of missing) {
      const p = getProp(container.value, name, !tf);
      // A parameter object without its `value` keeps its other members.
      if (!tf && p?.value.kind === 'object') intents.push({ op: 'setRef', resource: ws, path: [...base, p.key, 'value'], value: paramRef(name) });
      else intents.push({ op: 'setRef', resource: ws, path: [...base, p?.key ?? name], value: wired(name) });
    }
  } else {
    // Absent (or null): write the first missing key of the path, with everything below it.
    const first = container.state === 'absent' ? base.length - container.missing.length : base.length - 1;
    let value: BodyValue = Object.fromEntries(missing.map((name) => [name, wired(name)]));
    if (tf) value = { $blocks: [value] };
    for (let i = base.length - 1; i > first; i--) value = { [base[i]]: value };
    intents.push({ op: 'setRef', resource: ws, path: base.slice(0, first + 1), value });
  }
  const keys = missing.map((m) => INPUT_OF[m]);
  const title = keys.every((k) => k === 'publicNsg' || k === 'privateNsg')
    ? `Add the NSG association ids as variables (you supply ${supplies(keys)})`
    : `Add VNet injection parameters (you supply ${supplies(keys)})`;
  return [{ title, intents, preferred: true }];
}

