// The Function App's subnet. Pools' storage firewalls admit listed subnets only and Microsoft.Web is not a
// trusted service, so onboarding reaches a pool's share from here; the global storage endpoint because pools
// may be in other regions than the control plane. Flex Consumption wants the subnet delegated to
// Microsoft.App/environments.
param location string
param tags object
param name string

resource network 'Microsoft.Network/virtualNetworks@2025-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: ['10.100.0.0/16']
    }
    subnets: [
      {
        name: 'functions'
        properties: {
          addressPrefix: '10.100.0.0/24'
          serviceEndpoints: [
            { service: 'Microsoft.Storage.Global' }
          ]
          delegations: [
            {
              name: 'flex-consumption'
              properties: { serviceName: 'Microsoft.App/environments' }
            }
          ]
        }
      }
    ]
  }
}

output appSubnetId string = '${network.id}/subnets/functions'
