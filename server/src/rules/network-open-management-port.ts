// network-open-management-port: an inbound Allow rule opens SSH, RDP or the Databricks SSH port to the Internet.
import { asString, describeValue, lookupIn } from '../model/query';
import { KIND, type ObjectValue, type Value } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { entries, inlineSecurityRules, isOpenSource, rangeCovers, separateSecurityRule, type SecurityRule, type Unreadable } from './support/network';
import { firstFitting, message } from './support/message';

const PORTS: readonly { port: number; label: string }[] = [
  { port: 22, label: 'SSH (22)' },
  { port: 3389, label: 'RDP (3389)' },
  { port: 2200, label: 'Databricks SSH (2200)' },
];

/** Protocols without ports: a rule for them opens no management port. */
const PORTLESS = new Set(['icmp', 'esp', 'ah']);

export const rule: Rule = {
  meta: {
    id: 'network-open-management-port',
    title: 'A management port is open to the Internet',
    pass: 'No management port open to the Internet',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.networkBestPractices,
    fixable: false,
    kinds: [KIND.nsg, KIND.nsgRule],
    docs: {
      why:
        'SSH and RDP reachable from any address are scanned and brute-forced within minutes of deployment, and port 2200 is the SSH port of Databricks cluster nodes. ' +
        'Allow management ports only from known address ranges, or reach the machines through Azure Bastion or just-in-time VM access instead of an Internet-facing rule.',
      secure: {
        arm: '"properties": {\n  "direction": "Inbound",\n  "access": "Allow",\n  "sourceAddressPrefix": "10.0.0.0/24",\n  "destinationPortRange": "22"\n}',
        bicep: "properties: {\n  direction: 'Inbound'\n  access: 'Allow'\n  sourceAddressPrefix: '10.0.0.0/24'\n  destinationPortRange: '22'\n}",
        terraform: 'security_rule {\n  direction              = "Inbound"\n  access                 = "Allow"\n  source_address_prefix  = "10.0.0.0/24"\n  destination_port_range = "22"\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    const unreadable: Unreadable[] = [];
    const rules: SecurityRule[] = [];
    for (const nsg of ctx.resources(KIND.nsg)) rules.push(...inlineSecurityRules(nsg, unreadable));
    for (const r of ctx.resources(KIND.nsgRule)) {
      const sr = separateSecurityRule(r, unreadable);
      if (sr) rules.push(sr);
    }
    for (const u of unreadable) ctx.unverified(u.resource, u.reason);
    for (const sr of rules) checkRule(ctx, sr);
  },
};

type Field = { state: 'known'; text: string; value: Value } | { state: 'absent' } | { state: 'unknown' };

function field(props: ObjectValue, arm: boolean, armKey: string, tfKey: string): Field {
  const found = lookupIn(props, [arm ? armKey : tfKey], arm);
  if (found.state === 'absent') return { state: 'absent' };
  if (found.state === 'unknown') return { state: 'unknown' };
  const v = found.value;
  if (v.kind === 'null') return { state: 'absent' };
  const text = v.kind === 'string' ? v.value : v.kind === 'number' ? String(v.value) : undefined;
  return text === undefined ? { state: 'unknown' } : { state: 'known', text, value: v };
}

/** The items of a singular and a plural attribute together; `unknown` when any item cannot be read. */
function items(props: ObjectValue, arm: boolean, keys: [string, string, string, string]): { known: { text: string; value: Value }[]; unknown: boolean } {
  const out: { text: string; value: Value }[] = [];
  let unknown = false;
  const single = field(props, arm, keys[0], keys[1]);
  if (single.state === 'known') out.push({ text: single.text, value: single.value });
  else if (single.state === 'unknown') unknown = true;
  const plural = lookupIn(props, [arm ? keys[2] : keys[3]], arm);
  if (plural.state === 'unknown') unknown = true;
  else if (plural.state === 'set' && plural.value.kind !== 'null') {
    for (const item of entries(plural.value)) {
      if (item.kind === 'string') out.push({ text: item.value, value: item });
      else if (item.kind === 'number') out.push({ text: String(item.value), value: item });
      else unknown = true;
    }
  }
  return { known: out, unknown };
}

function checkRule(ctx: RuleContext, sr: SecurityRule): void {
  const arm = sr.resource.schema === 'arm';
  const label = sr.name ? `NSG rule '${sr.name}'` : 'An NSG rule';
  const direction = field(sr.props, arm, 'direction', 'direction');
  const access = field(sr.props, arm, 'access', 'access');
  // Both are required: an absent one is a rule still being typed.
  if (direction.state === 'absent' || access.state === 'absent') return;
  if (direction.state === 'known' && direction.text.toLowerCase() !== 'inbound') return;
  if (access.state === 'known' && access.text.toLowerCase() !== 'allow') return;
  const protocol = field(sr.props, arm, 'protocol', 'protocol');
  if (protocol.state === 'known' && PORTLESS.has(protocol.text.toLowerCase())) return;

  const sources = items(sr.props, arm, ['sourceAddressPrefix', 'source_address_prefix', 'sourceAddressPrefixes', 'source_address_prefixes']);
  const openSource = sources.known.find((s) => isOpenSource(s.text));
  const ports = items(sr.props, arm, ['destinationPortRange', 'destination_port_range', 'destinationPortRanges', 'destination_port_ranges']);
  let covering: { value: Value; labels: string[] } | undefined;
  for (const p of ports.known) {
    const labels = PORTS.filter((m) => rangeCovers(p.text, m.port) === true).map((m) => m.label);
    if (labels.length > 0 && !covering) covering = { value: p.value, labels };
    else if (labels.length > 0 && covering) covering.labels = [...new Set([...covering.labels, ...labels])];
  }
  const unreadableRange = ports.known.some((p) => PORTS.every((m) => rangeCovers(p.text, m.port) === undefined));

  if (direction.state === 'unknown' || access.state === 'unknown') {
    if (openSource && covering) ctx.unverified(sr.resource, `${label}: its direction or access is an expression that cannot be evaluated`);
    return;
  }
  if (openSource && covering) {
    const what = openSource.text === '*' ? "any source ('*')" : describeValue(openSource.value);
    const portText = asString(covering.value) ?? describeValue(covering.value);
    ctx.report({
      resource: sr.resource,
      at: covering.value,
      message: openPortsMessage(sr.name, covering.labels, portText, what),
      related: openSource.value.loc ? [{ loc: openSource.value.loc, message: 'The source that opens the rule to the Internet' }] : undefined,
    });
    return;
  }
  if ((openSource || sources.unknown) && (covering || ports.unknown || unreadableRange) && (sources.unknown || ports.unknown || unreadableRange)) {
    const portsUnknown = ports.unknown || unreadableRange;
    const what = sources.unknown && portsUnknown ? 'its source address and destination ports are expressions' : sources.unknown ? 'its source address is an expression' : 'its destination ports are an expression';
    ctx.unverified(sr.resource, `${label}: ${what} that cannot be evaluated`);
  }
}

/** "NSG rule 'x' allows SSH (22) from '0.0.0.0/0': …", naming the range when it is not just the port. */
function openPortsMessage(name: string | undefined, labels: string[], portText: string, from: string): string {
  const rule = name ? `NSG rule '${name}'` : 'An NSG rule';
  const action = 'restrict the source or use Azure Bastion';
  const single = PORTS.some((m) => String(m.port) === portText.trim());
  const ports = portText.trim() === '*' ? "every port ('*')" : single ? labels.join(', ') : `${labels.join(', ')} via '${portText}'`;
  return firstFitting(message(`${rule} allows ${ports} from ${from}`, action), message(`${rule} allows ${ports} from ${from}`, 'restrict the source or use Bastion'));
}
