// databricks-ip-access-list-open: an ALLOW list must not admit the whole internet.
import { basename } from 'node:path';
import { asBool, asString, lookup } from '../model/query';
import type { Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { databricksResources } from './support/databricks-provider';
import { message } from './support/message';

const KIND_LIST = 'databricks_ip_access_list';
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

export const rule: Rule = {
  meta: {
    id: 'databricks-ip-access-list-open',
    title: 'IP access list allows every address',
    pass: 'IP access lists are restricted',
    severity: 'error',
    dialects: ['terraform'],
    helpUri: LINKS.ipAccessLists,
    fixable: false,
    kinds: [KIND_LIST],
    docs: {
      why:
        'An ALLOW list containing 0.0.0.0/0 or ::/0 admits every address on the internet, so the IP access list protects nothing while looking like a control. ' +
        'List only the egress ranges of your corporate network, VPN and CI agents.',
      secure: {
        terraform: 'resource "databricks_ip_access_list" "corp" {\n  label        = "corporate"\n  list_type    = "ALLOW"\n  ip_addresses = var.allowed_cidrs # e.g. ["203.0.113.0/24"]\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const list of databricksResources(ctx, KIND_LIST)) checkList(ctx, list);
  },
};

function checkList(ctx: RuleContext, list: Resource): void {
  const enabled = lookup(list, ['enabled']);
  if (enabled.state === 'set' && asBool(enabled.value) === false) return; // a disabled list admits nothing
  const type = lookup(list, ['list_type']);
  if (type.state === 'unknown') return ctx.unverified(list, 'list_type is an expression that cannot be evaluated');
  if (type.state !== 'set' || asString(type.value)?.trim().toUpperCase() !== 'ALLOW') return;
  const addresses = lookup(list, ['ip_addresses']);
  if (addresses.state === 'unknown') return ctx.unverified(list, 'ip_addresses is an expression that cannot be evaluated');
  if (addresses.state !== 'set' || addresses.value.kind !== 'array') return;
  for (const item of addresses.value.items) {
    const cidr = asString(item)?.trim();
    if (cidr === undefined || !ANYWHERE.has(cidr)) continue;
    // Point at the item itself when it is written in the resource's file, else at the attribute that brings it in.
    const keyLoc = addresses.prop.keyLoc;
    const at = item.loc?.file === list.file || !keyLoc ? item : keyLoc;
    const from = item.origin?.name
      ? ` (variable ${item.origin.name}${item.origin.kind === 'parameter-file' ? `, set in ${basename(item.origin.at.file)}` : ''})`
      : '';
    ctx.report({
      resource: list,
      at,
      message: message(`This ALLOW list contains ${cidr}${from}, every address`, 'list only your corporate, VPN and CI egress ranges'),
    });
  }
}
