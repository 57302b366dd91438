// Private endpoints of a deployment and the workspaces they target: ARM/Bicep/azapi
// `privateLinkServiceConnections` and `manualPrivateLinkServiceConnections`, Terraform
// `private_service_connection`; DNS zone groups nested, top-level (`pe/default`), by `parent`, or inline.
import { asString, lookup, lookupIn } from '../../model/query';
import { KIND, type ObjectValue, type Resource, type Value } from '../../model/types';
import type { RuleContext } from '../types';
import { entries } from './network';
import { designates, namedUnder, type Designation } from './targets';

export const UI_API = 'databricks_ui_api';
export const BROWSER_AUTH = 'browser_authentication';

/** One connection of a private endpoint: the resource it links to and its group ids. */
export interface Connection {
  endpoint: Resource;
  /** The private link resource id value as evaluated. */
  target: Value;
  /** Lower-cased group ids, or undefined when they can't be evaluated. */
  groupIds: string[] | undefined;
  manual: boolean;
}

/** Declared private endpoints of the unit. */
export function privateEndpoints(ctx: RuleContext): Resource[] {
  return ctx.resources(KIND.privateEndpoint);
}

/** The connections of an endpoint; `unreadable` is set when a connection list can't be evaluated. */
export function connectionsOf(pe: Resource): { connections: Connection[]; unreadable: boolean } {
  const connections: Connection[] = [];
  let unreadable = false;
  if (pe.schema === 'terraform') {
    const list = lookup(pe, ['private_service_connection']);
    if (list.state === 'unknown') return { connections, unreadable: true };
    if (list.state === 'absent') return { connections, unreadable };
    for (const c of entries(list.value)) {
      if (c.kind !== 'object') {
        unreadable = true;
        continue;
      }
      const target = lookupIn(c, ['private_connection_resource_id'], false);
      const manual = lookupIn(c, ['is_manual_connection'], false);
      connections.push({
        endpoint: pe,
        target: target.state === 'set' || target.state === 'unknown' ? target.value : { kind: 'unknown', reason: 'no private_connection_resource_id' },
        groupIds: stringList(lookupIn(c, ['subresource_names'], false)),
        manual: manual.state === 'set' && manual.value.kind === 'bool' && manual.value.value,
      });
    }
    return { connections, unreadable };
  }
  for (const [key, manual] of [['privateLinkServiceConnections', false], ['manualPrivateLinkServiceConnections', true]] as const) {
    const list = lookup(pe, ['properties', key]);
    if (list.state === 'absent') continue;
    if (list.state === 'unknown' || list.value.kind !== 'array') {
      if (list.state === 'unknown' || list.value.kind !== 'null') unreadable = true;
      continue;
    }
    for (const c of list.value.items) {
      if (c.kind !== 'object') {
        unreadable = true;
        continue;
      }
      const target = lookupIn(c, ['properties', 'privateLinkServiceId'], true);
      connections.push({
        endpoint: pe,
        target: target.state === 'set' || target.state === 'unknown' ? target.value : { kind: 'unknown', reason: 'no privateLinkServiceId' },
        groupIds: stringList(lookupIn(c, ['properties', 'groupIds'], true)),
        manual,
      });
    }
  }
  return { connections, unreadable };
}

function stringList(l: ReturnType<typeof lookupIn>): string[] | undefined {
  if (l.state !== 'set' || l.value.kind !== 'array') return undefined;
  const out: string[] = [];
  for (const it of l.value.items) {
    const s = asString(it);
    if (s === undefined) return undefined;
    out.push(s.toLowerCase());
  }
  return out;
}

/** How the endpoints of the unit relate to one workspace for one group id. */
export interface GroupVerdict {
  /** Endpoints that certainly target the workspace with this group. */
  matching: Resource[];
  /** Whether an endpoint might (an expression we can't evaluate). */
  maybe: boolean;
}

/** Endpoints that target `ws` with `group` (`databricks_ui_api`, `browser_authentication`). */
export function endpointsFor(ctx: RuleContext, ws: Resource, group: string): GroupVerdict {
  const verdict: GroupVerdict = { matching: [], maybe: false };
  for (const pe of privateEndpoints(ctx)) {
    const { connections, unreadable } = connectionsOf(pe);
    if (unreadable) verdict.maybe = true;
    for (const c of connections) {
      const d = designates(c.target, ws);
      if (d === 'no') continue;
      const hasGroup = c.groupIds === undefined ? undefined : c.groupIds.includes(group);
      if (hasGroup === false) continue;
      if (d === 'yes' && hasGroup === true && !pe.conditional) {
        if (!verdict.matching.includes(pe)) verdict.matching.push(pe);
      } else verdict.maybe = true;
    }
  }
  return verdict;
}

/** Whether an endpoint targets the workspace at all (any group). */
export function endpointTargets(pe: Resource, ws: Resource): Designation {
  let out: Designation = 'no';
  const { connections, unreadable } = connectionsOf(pe);
  if (unreadable) out = 'unknown';
  for (const c of connections) {
    const d = designates(c.target, ws);
    if (d === 'yes') return 'yes';
    if (d === 'unknown') out = 'unknown';
  }
  return out;
}

/** Whether any endpoint of the unit, to any workspace, uses this group: yes, no, or unknown. */
export function anyEndpointWithGroup(ctx: RuleContext, group: string): { found: Resource | undefined; maybe: boolean } {
  let maybe = false;
  const workspaces = ctx.resources(KIND.workspace);
  for (const pe of privateEndpoints(ctx)) {
    const { connections, unreadable } = connectionsOf(pe);
    if (unreadable) maybe = true;
    for (const c of connections) {
      if (c.groupIds === undefined) {
        maybe = true;
        continue;
      }
      if (!c.groupIds.includes(group)) continue;
      // Browser authentication is a Databricks group; an endpoint with it links to some workspace.
      const toWorkspace = workspaces.some((ws) => designates(c.target, ws) === 'yes') || c.target.kind !== 'ref';
      if (toWorkspace && !pe.conditional) return { found: pe, maybe };
      maybe = true;
    }
  }
  return { found: undefined, maybe };
}

/** The DNS zone group of an endpoint: inline (Terraform block) or a child resource anywhere in the unit. */
export function zoneGroupOf(ctx: RuleContext, pe: Resource): { found: Resource | ObjectValue | undefined; maybe: boolean } {
  if (pe.schema === 'terraform') {
    const inline = lookup(pe, ['private_dns_zone_group']);
    if (inline.state === 'set' && inline.value.kind === 'object') return { found: inline.value, maybe: false };
    if (inline.state === 'set' && inline.value.kind === 'array' && inline.value.items.length > 0) return { found: inline.value.items[0] as ObjectValue, maybe: false };
    if (inline.state === 'unknown') return { found: undefined, maybe: true };
  } else {
    // The AVM private-endpoint module and inline shapes: `properties.privateDnsZoneGroup(s)` are not ARM; only children count.
  }
  let maybe = false;
  for (const zg of ctx.resources(KIND.privateDnsZoneGroup)) {
    if (zg.parent === pe) return { found: zg, maybe: false };
    if (zg.parent) continue;
    const parentRef = zg.schema === 'terraform' ? undefined : zg.scope;
    if (parentRef && designates(parentRef, pe) === 'yes') return { found: zg, maybe: false };
    const d = namedUnder(zg, pe);
    if (d === 'yes') return { found: zg, maybe: false };
    if (d === 'unknown') maybe = true;
  }
  return { found: undefined, maybe };
}
