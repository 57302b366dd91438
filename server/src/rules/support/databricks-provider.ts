// Facts about resources of the databricks Terraform provider that several rules share.
import type { ObjectValue, Property, Resource, Value } from '../../model/types';
import type { RuleContext } from '../types';

/** Declared resources of a databricks provider type (their kind is the Terraform type). */
export function databricksResources(ctx: RuleContext, type: string): Resource[] {
  return ctx.resources(type).filter((r) => r.schema === 'terraform');
}

/** The entries of a map-valued attribute (spark_conf, spark_env_vars, custom_config), or undefined when not a map. */
export function mapEntries(v: Value | undefined): Property[] | undefined {
  return v && v.kind === 'object' ? (v as ObjectValue).props : undefined;
}

/** A Databricks secret reference (`{{secrets/scope/key}}`), which keeps the value out of the template. */
export function isSecretReference(s: string): boolean {
  return /^\s*\{\{\s*secrets\/[^/{}]+\/[^/{}]+\s*\}\}\s*$/.test(s);
}
