prefix             = "analytics-dev"
sku                = "standard"
virtual_network_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-dbw"
