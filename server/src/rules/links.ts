// Guidance links, in one table so a moved page is one edit (rules.md, "Guidance links").
const LEARN = 'https://learn.microsoft.com';

export const LINKS = {
  privateLinkConcepts: `${LEARN}/azure/databricks/security/network/concepts/private-link`,
  backendPrivateLink: `${LEARN}/azure/databricks/security/network/classic/private-link`,
  frontendPrivateLink: `${LEARN}/azure/databricks/security/network/front-end/front-end-private-connect`,
  secureClusterConnectivity: `${LEARN}/azure/databricks/security/network/classic/secure-cluster-connectivity`,
  vnetInjection: `${LEARN}/azure/databricks/security/network/classic/vnet-inject`,
  ipAccessLists: `${LEARN}/azure/databricks/security/network/front-end/ip-access-list-workspace`,
  diagnosticLogDelivery: `${LEARN}/azure/databricks/admin/account-settings/audit-log-delivery`,
  diagnosticLogCategories: `${LEARN}/azure/azure-monitor/reference/supported-logs/microsoft-databricks-workspaces-logs`,
  cmkOverview: `${LEARN}/azure/databricks/security/keys/customer-managed-keys`,
  cmkManagedServices: `${LEARN}/azure/databricks/security/keys/cmk-managed-services-azure/`,
  cmkManagedDisks: `${LEARN}/azure/databricks/security/keys/cmk-managed-disks-azure/`,
  cmkDbfsRoot: `${LEARN}/azure/databricks/security/keys/customer-managed-keys-dbfs/`,
  storageCredentials: `${LEARN}/azure/databricks/connect/unity-catalog/cloud-storage/storage-credentials`,
  credentialPassthrough: `${LEARN}/azure/databricks/archive/credential-passthrough/adls-passthrough`,
  accessModes: `${LEARN}/azure/databricks/compute/configure`,
  tokens: `${LEARN}/azure/databricks/admin/access-control/tokens`,
  // Not in the catalogue's table; unverified: check before release.
  wellArchitectedDatabricks: `${LEARN}/azure/well-architected/service-guides/azure-databricks`,
  anonymousBlobAccess: `${LEARN}/azure/storage/blobs/anonymous-read-access-prevent`,
  minimumTls: `${LEARN}/azure/storage/common/transport-layer-security-configure-minimum-version`,
  storageNetworkSecurity: `${LEARN}/azure/storage/common/storage-network-security`,
  sharedKeyAuthorization: `${LEARN}/azure/storage/common/shared-key-authorization-prevent`,
  keyVaultPurgeProtection: `${LEARN}/azure/key-vault/general/soft-delete-overview`,
  keyVaultNetworkSecurity: `${LEARN}/azure/key-vault/general/network-security`,
  networkBestPractices: `${LEARN}/azure/security/fundamentals/network-best-practices`,
} as const;
