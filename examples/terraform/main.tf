resource "azurerm_resource_group" "this" {
  name     = "rg-${var.prefix}"
  location = var.location
}

resource "azurerm_databricks_workspace" "this" {
  name                = "dbw-${var.prefix}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = var.sku

  custom_parameters {
    virtual_network_id = var.virtual_network_id
  }

  tags = {
    environment = "dev"
  }
}
