// databricks-private-dns-zone: a private endpoint to a workspace has a DNS zone group, so its name resolves privately.
import { dirname } from 'node:path';
import { KIND, type ObjectValue, type Resource } from '../model/types';
import { LINKS } from './links';
import { displayName } from './support/targets';
import type { Rule, RuleContext } from './types';
import { endpointTargets, privateEndpoints, zoneGroupOf } from './support/private-link';
import { workspaces } from './support/workspace';
import { canAddZoneGroup, terraformItems, zoneGroupIntents } from './support/endpoint-fix';
import { labelText, literalValue, type Expr } from '../syntax/hcl';
import type { Fix } from '../fixes/intent';

export const rule: Rule = {
  meta: {
    id: 'databricks-private-dns-zone',
    title: 'Private endpoint without a DNS zone group',
    pass: 'The private endpoint has a DNS zone group',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.backendPrivateLink,
    fixable: true,
    kinds: [KIND.privateEndpoint],
    crossResource: true,
    docs: {
      why:
        'A private endpoint works only if the workspace URL resolves to its private IP: a DNS zone group registers it in `privatelink.azuredatabricks.net`. ' +
        'Without one, clients keep resolving the public address unless DNS is managed elsewhere (a hub, a custom resolver).',
      secure: {
        arm: '{\n  "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",\n  "name": "[format(\'{0}/default\', parameters(\'peName\'))]",\n  "properties": { "privateDnsZoneConfigs": [{ "name": "databricks", "properties": { "privateDnsZoneId": "[parameters(\'dnsZoneId\')]" } }] }\n}',
        bicep: "resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {\n  parent: pe\n  name: 'default'\n  properties: {\n    privateDnsZoneConfigs: [{ name: 'databricks', properties: { privateDnsZoneId: dnsZoneId } }]\n  }\n}",
        terraform: 'private_dns_zone_group {\n  name                 = "default"\n  private_dns_zone_ids = [var.dns_zone_id]\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    const wss = workspaces(ctx);
    for (const pe of privateEndpoints(ctx)) {
      const ws = wss.find((w) => endpointTargets(pe, w) === 'yes');
      if (!ws) continue;
      const zg = zoneGroupOf(ctx, pe);
      if (zg.found) {
        if (isResource(zg.found)) ctx.satisfiedBy(pe, [zg.found]);
        continue;
      }
      if (zg.maybe) {
        ctx.unverified(pe, 'a DNS zone group whose endpoint cannot be evaluated');
        continue;
      }
      ctx.report({
        resource: pe,
        message: `Private endpoint ${displayName(pe)} has no DNS zone group: add one.`,
        related: [{ loc: { file: ws.file, span: ws.head }, message: `workspace ${displayName(ws)}` }],
        fixes: fixesFor(ctx, pe, ws),
      });
    }
  },
};

/**
 * A zone group on a new zone-id parameter, named after the workspace when it is declared beside the
 * endpoint. None where the module leaves DNS to something else on purpose (Terraform
 * `ignore_changes` on the zone group, or a `dynamic` zone group block).
 */
function fixesFor(ctx: RuleContext, pe: Resource, ws: Resource): Fix[] {
  if (!canAddZoneGroup(pe) || dnsLeftElsewhere(pe)) return [];
  const beside = !ws.viaModule && (pe.dialect === 'terraform' ? dirname(ws.file) === dirname(pe.file) : ws.file === pe.file);
  return [{ title: 'Add a DNS zone group on a new private DNS zone parameter', intents: zoneGroupIntents(pe, beside ? ws : pe), preferred: true }];
}

function dnsLeftElsewhere(pe: Resource): boolean {
  return terraformItems(pe).some(
    (item) =>
      item.kind === 'Block' &&
      ((item.type.text === 'dynamic' && item.labels.length === 1 && labelText(item.labels[0]) === 'private_dns_zone_group') ||
        (item.type.text === 'lifecycle' && item.body.items.some((a) => a.kind === 'Attribute' && a.name.text === 'ignore_changes' && ignoresZoneGroup(a.expr)))),
  );
}

/** `ignore_changes = all`, or a list naming `private_dns_zone_group` (bare, indexed, or quoted as in older Terraform). */
function ignoresZoneGroup(e: Expr): boolean {
  if (e.kind === 'Variable') return e.name.text === 'all';
  if (e.kind !== 'Tuple') return false;
  return e.items.some((i) => (rootName(i) ?? literalValue(i)) === 'private_dns_zone_group');
}

/** The name a traversal starts from (`a` of `a`, `a[0]`, `a.b`). */
function rootName(e: Expr): string | undefined {
  while (e.kind === 'Index' || e.kind === 'GetAttr') e = e.target;
  return e.kind === 'Variable' ? e.name.text : undefined;
}

function isResource(x: Resource | ObjectValue): x is Resource {
  return 'head' in x;
}
