// databricks-private-endpoint: a `databricks_ui_api` private endpoint targets the workspace somewhere in the deployment.
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import { displayName } from './support/targets';
import type { Rule, RuleContext } from './types';
import { BROWSER_AUTH, endpointsFor, UI_API } from './support/private-link';
import { workspaces } from './support/workspace';
import { canReferTo, endpointIntents, endpointPrerequisite } from './support/endpoint-fix';
import type { Fix } from '../fixes/intent';

export const rule: Rule = {
  meta: {
    id: 'databricks-private-endpoint',
    title: 'No private endpoint for the workspace UI and API',
    pass: 'A databricks_ui_api private endpoint targets the workspace',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.backendPrivateLink,
    fixable: true,
    kinds: [KIND.workspace],
    crossResource: true,
    docs: {
      why:
        'A private endpoint with the `databricks_ui_api` sub-resource lets users and clusters reach the workspace over Private Link instead of the internet. ' +
        'Without one, turning public access off leaves no way in; with one, the front end and back end can stay on private addresses.',
      secure: {
        arm: '{\n  "type": "Microsoft.Network/privateEndpoints",\n  "properties": {\n    "subnet": { "id": "[parameters(\'peSubnetId\')]" },\n    "privateLinkServiceConnections": [{\n      "name": "ui-api",\n      "properties": {\n        "privateLinkServiceId": "[resourceId(\'Microsoft.Databricks/workspaces\', parameters(\'workspaceName\'))]",\n        "groupIds": ["databricks_ui_api"]\n      }\n    }]\n  }\n}',
        bicep: "resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {\n  properties: {\n    subnet: { id: peSubnetId }\n    privateLinkServiceConnections: [{\n      name: 'ui-api'\n      properties: { privateLinkServiceId: ws.id, groupIds: ['databricks_ui_api'] }\n    }]\n  }\n}",
        terraform: 'resource "azurerm_private_endpoint" "ui_api" {\n  subnet_id = var.pe_subnet_id\n  private_service_connection {\n    name                           = "ui-api"\n    private_connection_resource_id = azurerm_databricks_workspace.this.id\n    subresource_names              = ["databricks_ui_api"]\n    is_manual_connection           = false\n  }\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) check(ctx, ws);
  },
};

function check(ctx: RuleContext, ws: Resource): void {
  const ui = endpointsFor(ctx, ws, UI_API);
  if (ui.matching.length > 0) return ctx.satisfiedBy(ws, ui.matching);
  if (ui.maybe) return ctx.unverified(ws, 'a private endpoint targets a resource or group that cannot be evaluated');
  // The region's web-auth workspace receives only browser_authentication endpoints (rules.md).
  const auth = endpointsFor(ctx, ws, BROWSER_AUTH);
  if (auth.matching.length > 0) {
    return ctx.notApplicable(ws, `private web-auth workspace: only browser_authentication endpoints target it (${auth.matching.map(displayName).join(', ')})`);
  }
  ctx.report({
    resource: ws,
    message: `No '${UI_API}' private endpoint targets workspace ${displayName(ws)}: add one.`,
    fixes: fixesFor(ctx, ws),
  });
}

/**
 * A UI/API endpoint with a DNS zone group after the workspace. Preferred once the workspace can take
 * one (Premium, and VNet-injected unless serverless); before that Azure rejects it, so it is offered
 * with what comes first in its title.
 */
function fixesFor(ctx: RuleContext, ws: Resource): Fix[] {
  if (!canReferTo(ws)) return [];
  const first = endpointPrerequisite(ws);
  const title = `Add a '${UI_API}' private endpoint with a DNS zone group`;
  return [{ title: first ? `${title} (needs ${first} first)` : title, intents: endpointIntents(ws, UI_API), preferred: first === undefined }];
}
