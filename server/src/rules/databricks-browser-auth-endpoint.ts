// databricks-browser-auth-endpoint: with public access off, SSO callbacks need a browser_authentication endpoint.
import { asBool, asString, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import { displayName } from './support/targets';
import type { Rule, RuleContext } from './types';
import { anyEndpointWithGroup, BROWSER_AUTH, endpointsFor, UI_API } from './support/private-link';
import { workspaces } from './support/workspace';
import { canReferTo, endpointIntents } from './support/endpoint-fix';

export const rule: Rule = {
  meta: {
    id: 'databricks-browser-auth-endpoint',
    title: 'No browser authentication private endpoint',
    pass: 'A browser_authentication endpoint serves SSO',
    severity: 'information',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.frontendPrivateLink,
    fixable: true,
    kinds: [KIND.workspace],
    crossResource: true,
    docs: {
      why:
        'With public access off, web browser single sign-on returns through a `browser_authentication` private endpoint (one per region, usually on a dedicated web-auth workspace). ' +
        'Without one in the region, users reaching the workspace over Private Link cannot complete the login redirect.',
      secure: {
        arm: '"groupIds": ["browser_authentication"]',
        bicep: "groupIds: ['browser_authentication']",
        terraform: 'subresource_names = ["browser_authentication"]',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) check(ctx, ws);
  },
};

/** Public access known to be off: true, false, or undefined when it is an expression. */
export function publicAccessOff(ws: Resource): boolean | undefined {
  const tf = ws.schema === 'terraform';
  const v = lookup(ws, tf ? ['public_network_access_enabled'] : ['properties', 'publicNetworkAccess']);
  if (v.state === 'unknown') return undefined;
  if (v.state === 'absent') return false;
  return tf ? asBool(v.value) === false : asString(v.value)?.toLowerCase() === 'disabled';
}

function check(ctx: RuleContext, ws: Resource): void {
  const off = publicAccessOff(ws);
  if (off === undefined) return ctx.unverified(ws, 'public network access is an expression that cannot be evaluated');
  if (!off) return ctx.notApplicable(ws, 'public network access is on');
  const ui = endpointsFor(ctx, ws, UI_API);
  // databricks-private-endpoint reports first.
  if (ui.matching.length === 0) return ctx.notApplicable(ws, `no ${UI_API} endpoint targets the workspace yet`);
  const auth = anyEndpointWithGroup(ctx, BROWSER_AUTH);
  if (auth.found) return ctx.satisfiedBy(ws, [auth.found]);
  if (auth.maybe) return ctx.unverified(ws, 'a private endpoint has group ids that cannot be evaluated');
  ctx.report({
    resource: ws,
    message: `Public access is off and the deployment has no '${BROWSER_AUTH}' endpoint: add one (one per region).`,
    related: ui.matching.map((pe) => ({ loc: { file: pe.file, span: pe.head }, message: `the ${UI_API} endpoint of ${displayName(ws)}` })),
    // One browser_authentication endpoint serves a region and private DNS zone, ideally on a dedicated
    // web-auth workspace (Learn, front-end Private Link): whether this deployment should host it is
    // more than the template tells, so the fix is offered, not preferred.
    fixes: canReferTo(ws)
      ? [{ title: `Add a '${BROWSER_AUTH}' private endpoint (assumes this deployment hosts the one for its region and DNS zone)`, intents: endpointIntents(ws, BROWSER_AUTH), preferred: false }]
      : [],
  });
}
