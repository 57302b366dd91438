// Facts about Databricks workspaces that several rules share.
import { asString, getProp, lookup, type Lookup } from '../../model/query';
import { KIND, type Resource } from '../../model/types';
import type { RuleContext } from '../types';

/** Declared Databricks workspaces of the unit (Terraform and ARM alike). */
export function workspaces(ctx: RuleContext): Resource[] {
  return ctx.resources(KIND.workspace);
}

/**
 * Whether the workspace is serverless: the rules marked "classic only" don't apply to it. Azure
 * reads `computeMode` from API 2025-10-01-preview and 2026-01-01 on; an older API version deploys
 * a classic workspace whatever the template says.
 */
export function isServerless(ws: Resource): boolean {
  return asksServerless(ws) && (ws.apiVersion === undefined || hasComputeMode(ws.apiVersion));
}

/** Whether the template sets `computeMode: 'Serverless'` (azurerm always sends Hybrid). */
export function asksServerless(ws: Resource): boolean {
  if (ws.schema !== 'arm') return false;
  const mode = lookup(ws, ['properties', 'computeMode']);
  return mode.state === 'set' && asString(mode.value)?.toLowerCase() === 'serverless';
}

/** The first GA API version of Microsoft.Databricks/workspaces with `computeMode`. */
export const COMPUTE_MODE_API = '2026-01-01';

/** Whether a Microsoft.Databricks/workspaces API version has `computeMode`. */
export function hasComputeMode(apiVersion: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(-preview)?$/i.exec(apiVersion.trim());
  if (!m) return true; // not a version we can read: not judged classic on a guess
  return m[1] >= '2026-01-01' || (m[2] !== undefined && m[1] >= '2025-10-01');
}

export const ARM_PARAMS = ['customVirtualNetworkId', 'customPublicSubnetName', 'customPrivateSubnetName'];
export const TF_PARAMS = ['virtual_network_id', 'public_subnet_name', 'private_subnet_name'];
/** The parameters that make a workspace VNet-injected (ARM and Terraform names). */
const VNET_CORE_PARAMETERS: readonly string[] = [...ARM_PARAMS, ...TF_PARAMS];
export const TF_NSG_IDS = ['public_subnet_network_security_group_association_id', 'private_subnet_network_security_group_association_id'];

/** The missing VNet-injection parameters, or undefined when the parameters can't be read. */
export function missingVnetParameters(ws: Resource): string[] | undefined {
  const tf = ws.schema === 'terraform';
  const names = tf ? [...TF_PARAMS, ...TF_NSG_IDS] : ARM_PARAMS;
  const container: Lookup = lookup(ws, tf ? ['custom_parameters'] : ['properties', 'parameters']);
  if (container.state === 'unknown') return undefined;
  if (container.state === 'absent') return [...names];
  if (container.value.kind === 'null') return [...names];
  if (container.value.kind !== 'object') return undefined;
  const params = container.value;
  const missing: string[] = [];
  for (const name of names) {
    const p = getProp(params, name, !tf);
    // A value written as an expression (a variable without default) is still given.
    if (!p || p.value.kind === 'null') {
      missing.push(name);
      continue;
    }
    if (tf || p.value.kind === 'unknown') continue;
    if (p.value.kind !== 'object') return undefined;
    const v = getProp(p.value, 'value', true);
    if (!v || v.value.kind === 'null') missing.push(name);
  }
  return missing;
}

/**
 * Whether Azure sees the workspace as VNet-injected (its VNet and both subnet names are given);
 * undefined when the parameters cannot be read. The Terraform NSG association ids do not decide
 * it: azurerm wires the subnets' NSGs with them, Azure does not ask for them.
 */
export function isVnetInjected(ws: Resource): boolean | undefined {
  const missing = missingVnetParameters(ws);
  return missing === undefined ? undefined : !missing.some((m) => VNET_CORE_PARAMETERS.includes(m));
}
