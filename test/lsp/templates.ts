// Templates shared by the LSP and CLI tests: the acceptance case of a Standard workspace with
// public network access and no secure cluster connectivity.

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
        "managedResourceGroupId": "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'ws-managed')]",
        "publicNetworkAccess": "Enabled"
      }
    }
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
  name                          = "ws"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = var.sku
  public_network_access_enabled = true
}
`;
export const TF_VARIABLES = `variable "sku" {
  type    = string
  default = "premium"
}
`;
export const TF_VARS = `sku = "standard"
`;
