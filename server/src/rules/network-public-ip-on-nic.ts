// network-public-ip-on-nic: a network interface in the template gets a public IP address.
import type { Fix, FixIntent } from '../fixes/intent';
import { asString, lookup, lookupIn } from '../model/query';
import { KIND, type ObjectValue, type Resource, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { entries } from './support/network';
import { message } from './support/message';

/** Key of the one-property wrapper that lets a path reach one item of the ip configuration list. */
const ITEM = 'ipConfiguration';

export const rule: Rule = {
  meta: {
    id: 'network-public-ip-on-nic',
    title: 'A network interface has a public IP address',
    pass: 'No public IP on network interfaces',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.networkBestPractices,
    fixable: true,
    kinds: [KIND.nic],
    docs: {
      why:
        'A public IP address on a network interface exposes the machine directly to the Internet, bypassing any central inspection of inbound traffic. ' +
        'Keep virtual machines on private addresses and reach them through Azure Bastion, a VPN or a load balancer or firewall that filters what comes in.',
      secure: {
        arm: '"ipConfigurations": [\n  {\n    "name": "ipconfig1",\n    "properties": {\n      "privateIPAllocationMethod": "Dynamic",\n      "subnet": { "id": "[parameters(\'subnetId\')]" }\n    }\n  }\n]',
        bicep: "ipConfigurations: [\n  {\n    name: 'ipconfig1'\n    properties: {\n      privateIPAllocationMethod: 'Dynamic'\n      subnet: {\n        id: subnetId\n      }\n    }\n  }\n]",
        terraform: 'ip_configuration {\n  name                          = "internal"\n  subnet_id                     = var.subnet_id\n  private_ip_address_allocation = "Dynamic"\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const nic of ctx.resources(KIND.nic)) check(ctx, nic);
  },
};

function check(ctx: RuleContext, nic: Resource): void {
  const arm = nic.schema === 'arm';
  const list = lookup(nic, arm ? ['properties', 'ipConfigurations'] : ['ip_configuration']);
  if (list.state === 'absent') return;
  if (list.state === 'unknown') return ctx.unverified(nic, 'the IP configurations are an expression that cannot be evaluated');
  for (const item of entries(list.value)) {
    if (item.kind === 'null') continue;
    if (item.kind !== 'object') {
      ctx.unverified(nic, 'an IP configuration is an expression that cannot be evaluated');
      continue;
    }
    const path = arm ? ['properties', 'publicIPAddress'] : ['public_ip_address_id'];
    const pip = lookupIn(item, path, arm);
    if (pip.state === 'absent') continue;
    const name = lookupIn(item, ['name'], arm);
    const configName = name.state === 'set' ? asString(name.value) : undefined;
    const label = configName ? `IP configuration '${configName}'` : 'An IP configuration';
    if (pip.state === 'unknown') {
      ctx.unverified(nic, `${label}: the public IP address is an expression that cannot be evaluated`);
      continue;
    }
    if (!attachesPublicIp(pip.value)) continue;
    ctx.report({
      resource: nic,
      at: pip.value,
      message: message(`${label} attaches a public IP to the network interface`, 'remove it and use Bastion or a VPN', 'the machine is on the Internet'),
      fixes: [removeFix(ctx, nic, item, path, arm, pip.value)],
    });
  }
}

/** Whether a set value attaches an address: null, an empty string or ARM `{ "id": null }` do not. */
function attachesPublicIp(v: Exclude<Value, { kind: 'unknown' }>): boolean {
  if (v.kind === 'null') return false;
  if (v.kind === 'string') return v.value.trim() !== '';
  if (v.kind === 'object') {
    const id = lookupIn(v, ['id'], true);
    return !(id.state === 'set' && id.value.kind === 'null') && v.props.length > 0;
  }
  return true;
}

/**
 * Removes the property from one item of the list (the intent's path goes through a one-item
 * wrapper), and the public IP resource itself when nothing else refers to it (rules.md, Fix
 * safety: no orphaned public IP).
 */
function removeFix(ctx: RuleContext, nic: Resource, item: ObjectValue, path: string[], arm: boolean, value: Value): Fix {
  const wrapper: Resource = { ...nic, body: { kind: 'object', props: [{ key: ITEM, value: item }] } };
  const intents: FixIntent[] = [{ op: 'remove', resource: wrapper, path: [ITEM, ...path] }];
  const id = value.kind === 'object' ? lookupIn(value, ['id'], true) : undefined;
  const ref = value.kind === 'ref' ? value : id?.state === 'set' && id.value.kind === 'ref' ? id.value : undefined;
  const orphan = ref ? orphanedBy(ctx, ref.target) : undefined;
  if (orphan) intents.push({ op: 'removeResource', resource: orphan });
  const detach = arm ? 'Remove the public IP address from the IP configuration' : 'Remove public_ip_address_id from the IP configuration';
  return { title: orphan ? `${detach} and delete ${orphan.symbolicName}, which nothing else uses` : detach, intents, preferred: true };
}

/** The public IP resource when the detached reference is the only use of it in the unit. */
function orphanedBy(ctx: RuleContext, target: Resource): Resource | undefined {
  if (target.existing || target.viaModule || target.loop || target.dialect === 'arm') return undefined;
  let refs = 0;
  const visit = (v: Value) => {
    if (v.kind === 'ref' && v.target.id === target.id) refs++;
    else if (v.kind === 'object') v.props.forEach((p) => visit(p.value));
    else if (v.kind === 'array') v.items.forEach(visit);
  };
  for (const r of ctx.unit.resources) visit(r.body);
  if (refs !== 1) return undefined;
  // Outputs and locals are not in the model: count the uses in the text too.
  const name = target.dialect === 'terraform' ? target.symbolicName : undefined;
  const files = ctx.unit.files.filter((f) => (target.dialect === 'terraform' ? f.path.endsWith('.tf') : f.path === target.file));
  const pattern = name ? new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g') : new RegExp(`(?<![\\w.'-])${target.symbolicName}(?![\\w'-])`, 'g');
  const uses = files.reduce((n, f) => n + (f.text.match(pattern)?.length ?? 0), 0);
  return uses === (name ? 1 : 2) ? target : undefined;
}
