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

/** The nested blocks under `key` of an object: one block (ObjectValue) or repeated blocks (ArrayValue of them). */
export function nestedBlocks(obj: ObjectValue, key: string): ObjectValue[] {
  const out: ObjectValue[] = [];
  for (const p of obj.props) {
    if (p.key !== key) continue;
    if (p.value.kind === 'object') out.push(p.value);
    else if (p.value.kind === 'array') for (const item of p.value.items) if (item.kind === 'object') out.push(item);
  }
  return out;
}

/**
 * The cluster specifications of a resource: a databricks_cluster's own body, and the `new_cluster`
 * blocks of a databricks_job (top level, per `job_cluster` and per `task`), with a label for messages.
 */
export function clusterSpecs(resource: Resource): { spec: ObjectValue; label: string }[] {
  if (resource.kind === 'databricks_cluster') return [{ spec: resource.body, label: 'this cluster' }];
  if (resource.kind !== 'databricks_job') return [];
  const out: { spec: ObjectValue; label: string }[] = [];
  for (const c of nestedBlocks(resource.body, 'new_cluster')) out.push({ spec: c, label: "this job's new_cluster" });
  for (const jc of nestedBlocks(resource.body, 'job_cluster')) {
    for (const c of nestedBlocks(jc, 'new_cluster')) out.push({ spec: c, label: 'a job_cluster of this job' });
  }
  for (const t of nestedBlocks(resource.body, 'task')) {
    for (const c of nestedBlocks(t, 'new_cluster')) out.push({ spec: c, label: 'a task cluster of this job' });
  }
  return out;
}
