// The rule registry: every rule module, in the catalogue's order, and Brickguard's own directive rules.
import { rule as backendPrivateLink } from './databricks-backend-private-link';
import { rule as cmkDbfsRoot } from './databricks-cmk-dbfs-root';
import { rule as cmkManagedDisk } from './databricks-cmk-managed-disk';
import { rule as cmkManagedServices } from './databricks-cmk-managed-services';
import { rule as clusterIsolation } from './databricks-cluster-isolation';
import { rule as clusterSsh } from './databricks-cluster-ssh';
import { rule as browserAuthEndpoint } from './databricks-browser-auth-endpoint';
import { rule as credentialPassthrough } from './databricks-credential-passthrough';
import { rule as diagnosticLogs } from './databricks-diagnostic-logs';
import { rule as hardcodedSecret } from './databricks-hardcoded-secret';
import { rule as infrastructureEncryption } from './databricks-infrastructure-encryption';
import { rule as ipAccessList } from './databricks-ip-access-list';
import { rule as ipAccessListOpen } from './databricks-ip-access-list-open';
import { rule as noPublicIp } from './databricks-no-public-ip';
import { rule as premiumSku } from './databricks-premium-sku';
import { rule as privateDnsZone } from './databricks-private-dns-zone';
import { rule as privateEndpoint } from './databricks-private-endpoint';
import { rule as publicNetworkAccess } from './databricks-public-network-access';
import { rule as tokenLifetime } from './databricks-token-lifetime';
import { rule as vnetInjection } from './databricks-vnet-injection';
import { rule as keyVaultPublicNetworkAccess } from './keyvault-public-network-access';
import { rule as keyVaultPurgeProtection } from './keyvault-purge-protection';
import { rule as openManagementPort } from './network-open-management-port';
import { rule as publicIpOnNic } from './network-public-ip-on-nic';
import { rule as storageBlobPublicAccess } from './storage-blob-public-access';
import { rule as storageMinTls } from './storage-min-tls';
import { rule as storagePublicNetworkAccess } from './storage-public-network-access';
import { rule as storageSharedKeyAccess } from './storage-shared-key-access';
import { DIRECTIVE_RULES } from './directives';
import { azurePolicies, type AzurePolicy } from './crossrefs';
import type { Rule, RuleMeta } from './types';

export { AZURE_POLICIES, azurePolicies, canDeny, policyEffectText, policyMarkdown, type AzurePolicy } from './crossrefs';

export const RULES: readonly Rule[] = [
  // Workspace isolation and network
  publicNetworkAccess,
  backendPrivateLink,
  noPublicIp,
  vnetInjection,
  privateEndpoint,
  browserAuthEndpoint,
  privateDnsZone,
  ipAccessList,
  ipAccessListOpen,
  publicIpOnNic,
  openManagementPort,
  // Identity, tier and logging
  premiumSku,
  diagnosticLogs,
  credentialPassthrough,
  hardcodedSecret,
  clusterIsolation,
  clusterSsh,
  tokenLifetime,
  // Encryption
  cmkManagedServices,
  cmkManagedDisk,
  cmkDbfsRoot,
  infrastructureEncryption,
  // Data around the workspace
  storagePublicNetworkAccess,
  storageBlobPublicAccess,
  storageSharedKeyAccess,
  storageMinTls,
  keyVaultPurgeProtection,
  keyVaultPublicNetworkAccess,
];

/** Metadata of every rule, the directive rules included. */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...DIRECTIVE_RULES];

const byId = new Map(ALL_RULE_METAS.map((m) => [m.id, m]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** The catalogue as the CLI's SARIF and the editor's catalogue page list it. */
export function ruleCatalogue(): {
  id: string;
  title: string;
  severity: RuleMeta['severity'];
  dialects: string[];
  fixable: boolean;
  helpUri: string;
  /** Built-in Azure Policy definitions that check the same thing. */
  policies: readonly AzurePolicy[];
}[] {
  return ALL_RULE_METAS.map((m) => ({
    id: m.id,
    title: m.title,
    severity: m.severity,
    dialects: [...m.dialects],
    fixable: m.fixable,
    helpUri: m.helpUri,
    policies: azurePolicies(m.id),
  }));
}
