// Templates shared by the LSP and CLI tests: the acceptance case of a Standard workspace with
// public network access and no secure cluster connectivity. Its customer-managed keys are set, so
// raising the tier to Premium brings in no encryption finding.

// The workspace is VNet-injected and has its private endpoints, DNS zone group and diagnostic
// setting, so the cross-resource rules pass and the public-access fix is preferred.
const PRIVATE_LINK_ARM = `,
    {
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2024-05-01",
      "name": "pe-ws",
      "location": "westeurope",
      "properties": {
        "subnet": { "id": "/subscriptions/0000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe" },
        "privateLinkServiceConnections": [
          { "name": "ui-api", "properties": { "privateLinkServiceId": "[resourceId('Microsoft.Databricks/workspaces', 'ws')]", "groupIds": ["databricks_ui_api"] } },
          { "name": "auth", "properties": { "privateLinkServiceId": "[resourceId('Microsoft.Databricks/workspaces', 'ws')]", "groupIds": ["browser_authentication"] } }
        ]
      },
      "resources": [
        {
          "type": "privateDnsZoneGroups",
          "apiVersion": "2024-05-01",
          "name": "default",
          "properties": { "privateDnsZoneConfigs": [{ "name": "databricks", "properties": { "privateDnsZoneId": "/subscriptions/0000/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.azuredatabricks.net" } }] }
        }
      ]
    },
    {
      "type": "Microsoft.Insights/diagnosticSettings",
      "apiVersion": "2021-05-01-preview",
      "name": "audit",
      "scope": "Microsoft.Databricks/workspaces/ws",
      "properties": {
        "workspaceId": "/subscriptions/0000/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/law",
        "logs": [{ "categoryGroup": "allLogs", "enabled": true }]
      }
    }`;

/** Expects exactly databricks-public-network-access, databricks-no-public-ip and databricks-premium-sku. */
export const INSECURE_ARM = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2023-02-01",
      "name": "ws",
      "location": "westeurope",
      "sku": { "name": "standard" },
      "properties": {
        "parameters": {
          "customVirtualNetworkId": { "value": "/subscriptions/0000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet" },
          "customPublicSubnetName": { "value": "public" },
          "customPrivateSubnetName": { "value": "private" },
          "prepareEncryption": { "value": true },
          "requireInfrastructureEncryption": { "value": true },
          "encryption": { "value": { "keySource": "Microsoft.Keyvault", "keyvaulturi": "https://kv.vault.azure.net/", "KeyName": "dbfs", "keyversion": "1" } }
        },
        "managedResourceGroupId": "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'ws-managed')]",
        "encryption": {
          "entities": {
            "managedServices": { "keySource": "Microsoft.Keyvault", "keyVaultProperties": { "keyVaultUri": "https://kv.vault.azure.net/", "keyName": "services", "keyVersion": "1" } },
            "managedDisk": { "keySource": "Microsoft.Keyvault", "keyVaultProperties": { "keyVaultUri": "https://kv.vault.azure.net/", "keyName": "disks", "keyVersion": "1" } }
          }
        },
        "publicNetworkAccess": "Enabled"
      }
    }${PRIVATE_LINK_ARM}
  ]
}
`;

export const ACCEPTANCE_RULES = ['databricks-no-public-ip', 'databricks-premium-sku', 'databricks-public-network-access'];

/** Same workspace on API 2024-05-01, where enableNoPublicIp defaults to true. */
export const INSECURE_ARM_2024 = INSECURE_ARM.replace('"2023-02-01"', '"2024-05-01"');

/** A template that breaks off in the middle of a resource. */
export const MALFORMED_ARM = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2023-02-01",
      "name": "ws",
      "sku": { "name": 
`;

// VNet injection, private endpoints and diagnostic setting of the Terraform workspace (see PRIVATE_LINK_ARM).
const TF_PRIVATE_LINK = `
  custom_parameters {
    no_public_ip                                         = true
    virtual_network_id                                   = "/subscriptions/0000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet"
    public_subnet_name                                   = "public"
    private_subnet_name                                  = "private"
    public_subnet_network_security_group_association_id  = "public-nsg"
    private_subnet_network_security_group_association_id = "private-nsg"
  }
}

resource "azurerm_private_endpoint" "ui_api" {
  name                = "pe-ws"
  resource_group_name = "rg"
  location            = "westeurope"
  subnet_id           = "pe-subnet"

  private_service_connection {
    name                           = "ui-api"
    private_connection_resource_id = azurerm_databricks_workspace.ws.id
    subresource_names              = ["databricks_ui_api"]
    is_manual_connection           = false
  }

  private_service_connection {
    name                           = "auth"
    private_connection_resource_id = azurerm_databricks_workspace.ws.id
    subresource_names              = ["browser_authentication"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = ["zone"]
  }
}

resource "azurerm_monitor_diagnostic_setting" "audit" {
  name                       = "audit"
  target_resource_id         = azurerm_databricks_workspace.ws.id
  log_analytics_workspace_id = "law"

  enabled_log {
    category_group = "allLogs"
  }
}
`;

/** A Terraform module in three files: the tier comes from terraform.tfvars. */
export const TF_MAIN = `terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

resource "azurerm_databricks_workspace" "ws" {
  name                                  = "ws"
  resource_group_name                   = "rg"
  location                              = "westeurope"
  sku                                   = var.sku
  customer_managed_key_enabled          = true
  infrastructure_encryption_enabled     = true
  managed_services_cmk_key_vault_key_id = "https://kv.vault.azure.net/keys/services/1"
  managed_disk_cmk_key_vault_key_id     = "https://kv.vault.azure.net/keys/disks/1"
  public_network_access_enabled         = true
${TF_PRIVATE_LINK}
resource "azurerm_databricks_workspace_root_dbfs_customer_managed_key" "ws" {
  workspace_id     = azurerm_databricks_workspace.ws.id
  key_vault_key_id = "https://kv.vault.azure.net/keys/dbfs/1"
}
`;
export const TF_VARIABLES = `variable "sku" {
  type    = string
  default = "premium"
}
`;
export const TF_VARS = `sku = "standard"
`;
