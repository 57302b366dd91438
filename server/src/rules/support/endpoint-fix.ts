// The fix intents of the Private Link rules: a private endpoint to a workspace (with its DNS zone
// group) inserted after it, and a DNS zone group added to an existing endpoint. Rendered in ARM,
// Bicep and Terraform (azurerm workspaces and `azapi_resource` workspaces, which the Terraform
// renderer reaches through their own attributes).
import { concat, paramRef, resourceRef, type BodyValue, type FixIntent } from '../../fixes/intent';
import { asString, lookup } from '../../model/query';
import { KIND, type Resource } from '../../model/types';
import type { Attribute, Block, ErrorItem } from '../../syntax/hcl';
import { BROWSER_AUTH, UI_API } from './private-link';
import { isServerless, isVnetInjected } from './workspace';

/** API version of the inserted endpoints and zone groups (one the Bicep types know). */
export const PRIVATE_ENDPOINT_API_VERSION = '2024-05-01';
/** The private DNS zone of the Databricks UI/API and browser authentication endpoints. */
export const DATABRICKS_ZONE = 'privatelink.azuredatabricks.net';

type Group = typeof UI_API | typeof BROWSER_AUTH;

const NAMES: Record<Group, { suffix: string; symbol: string; subnet: string; zone: string }> = {
  [UI_API]: { suffix: '-ui-api', symbol: 'uiApiEndpoint', subnet: 'privateEndpointSubnetId', zone: 'privateDnsZoneId' },
  [BROWSER_AUTH]: { suffix: '-browser-auth', symbol: 'browserAuthEndpoint', subnet: 'browserAuthSubnetId', zone: 'browserAuthPrivateDnsZoneId' },
};

/** Whether an endpoint can be written next to the workspace, referring to it by symbol (one instance, declared here). */
export function canReferTo(r: Resource): boolean {
  if (r.loop || r.conditional || r.existing || r.viaModule) return false;
  if (r.dialect !== 'terraform') return true;
  // A resource with `count` or `for_each` (even one instance) is referred to by index. An azapi
  // resource's body is its ARM body, so its own attributes are read from the text.
  if (r.body.props.some((p) => p.key === 'count' || p.key === 'for_each')) return false;
  return r.sourceType !== 'azapi_resource' || !terraformItems(r).some((i) => i.kind === 'Attribute' && (i.name.text === 'count' || i.name.text === 'for_each'));
}

/** The top-level attributes and blocks of a Terraform resource's block, as written. */
export function terraformItems(r: Resource): readonly (Attribute | Block | ErrorItem)[] {
  return r.handle?.dialect === 'terraform' ? r.handle.node.body.items : [];
}

/** What a private endpoint to the workspace would still need before it deploys, or undefined when nothing. */
export function endpointPrerequisite(ws: Resource): string | undefined {
  const sku = lookup(ws, ws.schema === 'terraform' ? ['sku'] : ['sku', 'name']);
  if (sku.state !== 'set' || asString(sku.value)?.toLowerCase() !== 'premium') return 'the Premium tier';
  if (isServerless(ws)) return undefined;
  // Azure rejects private endpoints to workspaces without VNet injection (NonVNetInjectedWorkspaceNotSupported).
  return isVnetInjected(ws) === true ? undefined : 'VNet injection';
}

function zoneGroupBody(zone: string): { arm: { [k: string]: BodyValue }; terraform: { [k: string]: BodyValue } } {
  return {
    arm: { properties: { privateDnsZoneConfigs: [{ name: 'databricks', properties: { privateDnsZoneId: paramRef(zone) } }] } },
    terraform: { name: 'default', private_dns_zone_ids: [paramRef(zone)] },
  };
}

/**
 * A private endpoint with group `group` to `ws`, inserted after it, on a new subnet-id parameter,
 * with a DNS zone group on a new zone-id parameter.
 */
export function endpointIntents(ws: Resource, group: Group): FixIntent[] {
  const n = NAMES[group];
  const label = group === UI_API ? 'UI/API' : 'browser authentication';
  const connection = { name: group, properties: { privateLinkServiceId: resourceRef(ws), groupIds: [group] } };
  return [
    { op: 'addParameter', as: 'subnet', near: ws, name: n.subnet, type: 'string', description: `Resource id of the subnet for the ${label} private endpoint of the workspace.` },
    { op: 'addParameter', as: 'zone', near: ws, name: n.zone, type: 'string', description: `Resource id of the ${DATABRICKS_ZONE} private DNS zone.` },
    {
      op: 'addResource',
      as: 'endpoint',
      after: ws,
      kind: KIND.privateEndpoint,
      apiVersion: PRIVATE_ENDPOINT_API_VERSION,
      terraformType: 'azurerm_private_endpoint',
      name: concat(resourceRef(ws, 'name'), n.suffix),
      symbol: n.symbol,
      body: {
        arm: { location: resourceRef(ws, 'location'), properties: { subnet: { id: paramRef('subnet') }, privateLinkServiceConnections: [connection] } },
        terraform: {
          name: concat(resourceRef(ws, 'name'), n.suffix),
          location: resourceRef(ws, 'location'),
          resource_group_name: resourceRef(ws, 'resource_group_name'),
          subnet_id: paramRef('subnet'),
          private_service_connection: {
            $blocks: [{ name: group, private_connection_resource_id: resourceRef(ws), is_manual_connection: false, subresource_names: [group] }],
          },
        },
      },
    },
    {
      op: 'addChild',
      as: 'zoneGroup',
      parent: { as: 'endpoint' },
      childType: 'privateDnsZoneGroups',
      apiVersion: PRIVATE_ENDPOINT_API_VERSION,
      name: 'default',
      symbol: `${n.symbol}ZoneGroup`,
      terraformBlock: 'private_dns_zone_group',
      body: zoneGroupBody('zone'),
    },
  ];
}

/** Whether a DNS zone group can be added to this endpoint (a nested block in Terraform, a child elsewhere). */
export function canAddZoneGroup(pe: Resource): boolean {
  if (pe.existing || pe.viaModule) return false;
  // Terraform: a nested block of azurerm_private_endpoint, fine under count / for_each.
  if (pe.dialect === 'terraform') return pe.sourceType === 'azurerm_private_endpoint';
  return !pe.loop;
}

/** A DNS zone group for an existing endpoint, on a new zone-id parameter named after `near`. */
export function zoneGroupIntents(pe: Resource, near: Resource): FixIntent[] {
  return [
    { op: 'addParameter', as: 'zone', near, name: 'privateDnsZoneId', type: 'string', description: `Resource id of the ${DATABRICKS_ZONE} private DNS zone.` },
    {
      op: 'addChild',
      as: 'zoneGroup',
      parent: pe,
      childType: 'privateDnsZoneGroups',
      apiVersion: PRIVATE_ENDPOINT_API_VERSION,
      name: 'default',
      symbol: 'zoneGroup',
      terraformBlock: 'private_dns_zone_group',
      body: zoneGroupBody('zone'),
    },
  ];
}
