// databricks-credential-passthrough: clusters reach storage through Unity Catalog, not with a
// service principal secret, an account key or a SAS token in their Spark configuration.
import { asString, getProp, lookup } from '../model/query';
import type { ObjectValue, Property, Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { clusterSpecs, databricksResources } from './support/databricks-provider';
import { message } from './support/message';

const KINDS = ['databricks_cluster', 'databricks_job', 'databricks_sql_global_config', 'databricks_cluster_policy'];

/** Spark/Hadoop keys that carry a storage credential (`spark.hadoop.` is how a cluster passes them to Hadoop). */
const CREDENTIAL_KEY = /^(?:spark\.hadoop\.)?fs\.azure\.(?:(account\.oauth2\.client\.secret)|(account\.key)\.|(sas)\.)/i;

const ADVICE = 'use a Unity Catalog storage credential';

export const rule: Rule = {
  meta: {
    id: 'databricks-credential-passthrough',
    title: 'Cluster authenticates to storage with a secret or account key',
    pass: 'No storage secrets in cluster configuration',
    severity: 'warning',
    dialects: ['terraform'],
    helpUri: LINKS.storageCredentials,
    fixable: false,
    kinds: KINDS,
    docs: {
      see: [{ title: 'Credential passthrough (legacy, deprecated from Runtime 15.0)', url: LINKS.credentialPassthrough }],
      why:
        'A service principal secret, storage account key or SAS token in Spark configuration is a long-lived shared credential: every user of the cluster acts with it, it must be rotated by hand, and an account key grants full control of the storage account. ' +
        'A Unity Catalog storage credential backed by an Access Connector (a managed identity) with an external location keeps credentials out of the workspace and grants access per user through Unity Catalog permissions.',
      secure: {
        terraform:
          'resource "databricks_storage_credential" "adls" {\n  name = "adls"\n  azure_managed_identity {\n    access_connector_id = azurerm_databricks_access_connector.this.id\n  }\n}\n\nresource "databricks_external_location" "raw" {\n  name            = "raw"\n  url             = "abfss://raw@${azurerm_storage_account.lake.name}.dfs.core.windows.net/"\n  credential_name = databricks_storage_credential.adls.id\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const kind of ['databricks_cluster', 'databricks_job']) {
      for (const r of databricksResources(ctx, kind)) {
        for (const { spec, label } of clusterSpecs(r)) checkConfMap(ctx, r, spec, 'spark_conf', label);
      }
    }
    for (const r of databricksResources(ctx, 'databricks_sql_global_config')) {
      checkConfMap(ctx, r, r.body, 'data_access_config', 'the SQL warehouses');
    }
    for (const r of databricksResources(ctx, 'databricks_cluster_policy')) {
      checkPolicy(ctx, r, 'definition');
      checkPolicy(ctx, r, 'policy_family_definition_overrides');
    }
  },
};

/** What a credential key carries, for messages. */
function credentialKind(key: string): string | undefined {
  const m = CREDENTIAL_KEY.exec(key.trim());
  if (!m) return undefined;
  if (m[1]) return 'a service principal secret';
  if (m[2]) return 'a storage account key';
  return 'a SAS token';
}

function checkConfMap(ctx: RuleContext, r: Resource, owner: ObjectValue, attr: string, label: string): void {
  const prop = getProp(owner, attr, false);
  if (!prop) return;
  if (prop.value.kind === 'unknown') return ctx.unverified(r, `${attr} is an expression that cannot be evaluated`);
  if (prop.value.kind !== 'object') return;
  // Spark reads `spark.hadoop.X` as the Hadoop setting X: both spellings are one credential.
  const groups = new Map<string, Property[]>();
  for (const entry of prop.value.props) {
    if (!credentialKind(entry.key)) continue;
    const key = sameSetting(entry.key);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const entries of groups.values()) reportKey(ctx, r, entries, label);
}

/** The Hadoop setting a Spark configuration key sets (`spark.hadoop.fs.x` and `fs.x` are the same). */
function sameSetting(key: string): string {
  const k = key.trim();
  return k.startsWith('spark.hadoop.') ? k.slice('spark.hadoop.'.length) : k;
}

function reportKey(ctx: RuleContext, r: Resource, entries: Property[], label: string): void {
  const [entry, ...others] = entries;
  const what = credentialKind(entry.key);
  if (!what) return;
  ctx.report({
    resource: r,
    at: entry.keyLoc ?? entry.value,
    message: message(`${capitalise(label)} reaches storage with ${what}`, ADVICE),
    related: others.flatMap((o) => {
      const loc = o.keyLoc ?? o.value.loc;
      return loc ? [{ loc, message: `The same credential as '${o.key}'` }] : [];
    }),
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A cluster policy definition is a JSON document; its `spark_conf.<key>` entries set Spark configuration. */
function checkPolicy(ctx: RuleContext, r: Resource, attr: string): void {
  const def = lookup(r, [attr]);
  if (def.state === 'absent') return;
  if (def.state === 'unknown') return ctx.unverified(r, `${attr} is an expression that cannot be evaluated (for example jsonencode(…))`);
  const text = asString(def.value);
  if (text === undefined) return;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return ctx.unverified(r, `${attr} is not valid JSON`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return;
  const seen = new Set<string>();
  for (const key of Object.keys(doc)) {
    if (!key.startsWith('spark_conf.')) continue;
    const sparkKey = key.slice('spark_conf.'.length);
    const what = credentialKind(sparkKey);
    if (!what || seen.has(sameSetting(sparkKey))) continue;
    seen.add(sameSetting(sparkKey));
    ctx.report({
      resource: r,
      // The definition is often a multi-line heredoc: point at the attribute name.
      at: def.prop.keyLoc ?? def.value,
      message: message(`This cluster policy gives clusters ${what} for storage`, ADVICE),
    });
  }
}
