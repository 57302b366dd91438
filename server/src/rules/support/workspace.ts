// Facts about Databricks workspaces that several rules share.
import { asString, lookup } from '../../model/query';
import { KIND, type Resource } from '../../model/types';
import type { RuleContext } from '../types';

/** Declared Databricks workspaces of the unit (Terraform and ARM alike). */
export function workspaces(ctx: RuleContext): Resource[] {
  return ctx.resources(KIND.workspace);
}

/** Whether the workspace is serverless: the rules marked "classic only" don't apply to it. */
export function isServerless(ws: Resource): boolean {
  if (ws.schema !== 'arm') return false; // azurerm always sends computeMode Hybrid
  const mode = lookup(ws, ['properties', 'computeMode']);
  return mode.state === 'set' && asString(mode.value)?.toLowerCase() === 'serverless';
}
