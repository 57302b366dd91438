// Facts about network resources (NSG rules, NICs) that the network rules share.
import { asString, lookup, lookupIn } from '../../model/query';
import type { ObjectValue, Resource, Value } from '../../model/types';

/** The entries of a list-or-single-block value: a Terraform block given once is an object, repeated an array. */
export function entries(v: Value): Value[] {
  if (v.kind === 'array') return v.items;
  return [v];
}

/** One security rule as written: the object holding `direction`, `access`, … and the resource it belongs to. */
export interface SecurityRule {
  resource: Resource;
  /** ARM: the rule's `properties` object; Terraform: the rule block (or object). */
  props: ObjectValue;
  /** The rule's name, when it is a literal. */
  name?: string;
}

/** Where a rule list could not be read: the resource and why. */
export interface Unreadable {
  resource: Resource;
  reason: string;
}

/** Inline rules of an NSG (ARM `properties.securityRules[*].properties`, Terraform `security_rule`). */
export function inlineSecurityRules(nsg: Resource, unreadable: Unreadable[]): SecurityRule[] {
  const arm = nsg.schema === 'arm';
  const list = lookup(nsg, arm ? ['properties', 'securityRules'] : ['security_rule']);
  if (list.state === 'absent') return [];
  if (list.state === 'unknown') {
    unreadable.push({ resource: nsg, reason: 'the security rules are an expression that cannot be evaluated' });
    return [];
  }
  const out: SecurityRule[] = [];
  for (const item of entries(list.value)) {
    if (item.kind === 'null') continue;
    if (item.kind !== 'object') {
      unreadable.push({ resource: nsg, reason: 'a security rule is an expression that cannot be evaluated' });
      continue;
    }
    const name = lookupIn(item, ['name'], arm);
    const ruleName = name.state === 'set' ? asString(name.value) : undefined;
    if (!arm) {
      out.push({ resource: nsg, props: item, name: ruleName });
      continue;
    }
    const props = lookupIn(item, ['properties'], true);
    if (props.state === 'absent') continue;
    if (props.state === 'unknown' || props.value.kind !== 'object') {
      unreadable.push({ resource: nsg, reason: 'the properties of a security rule cannot be evaluated' });
      continue;
    }
    out.push({ resource: nsg, props: props.value, name: ruleName });
  }
  return out;
}

/** A separate security rule resource (ARM `securityRules` child, Terraform `azurerm_network_security_rule`). */
export function separateSecurityRule(rule: Resource, unreadable: Unreadable[]): SecurityRule | undefined {
  const arm = rule.schema === 'arm';
  const name = lookup(rule, ['name']);
  let ruleName = name.state === 'set' ? asString(name.value) : undefined;
  if (ruleName && arm && ruleName.includes('/')) ruleName = ruleName.slice(ruleName.lastIndexOf('/') + 1);
  if (!arm) return { resource: rule, props: rule.body, name: ruleName };
  const props = lookup(rule, ['properties']);
  if (props.state === 'absent') return undefined;
  if (props.state === 'unknown' || props.value.kind !== 'object') {
    unreadable.push({ resource: rule, reason: 'the properties of the security rule cannot be evaluated' });
    return undefined;
  }
  return { resource: rule, props: props.value, name: ruleName };
}

/** Source prefixes that mean any address on the Internet. */
export function isOpenSource(prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  return p === '*' || p === 'internet' || p === '0.0.0.0/0' || p === '::/0';
}

/**
 * Whether a destination port range (`*`, `22`, `20-30`) covers a port; undefined when the text is
 * not a port range we can read.
 */
export function rangeCovers(range: string, port: number): boolean | undefined {
  const r = range.trim();
  if (r === '*') return true;
  const single = /^(\d+)$/.exec(r);
  if (single) return Number(single[1]) === port;
  const span = /^(\d+)\s*-\s*(\d+)$/.exec(r);
  if (span) return Number(span[1]) <= port && port <= Number(span[2]);
  return undefined;
}
