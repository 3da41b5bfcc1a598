// The Function App's identity (ARM, Graph, its storage) and the hub identity every pool's instances carry,
// which the JupyterHub app registration's federated credential trusts (docs/sign-in.md).
param location string
param tags object
param appIdentityName string
param hubIdentityName string

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: appIdentityName
  location: location
  tags: tags
}

resource hubIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: hubIdentityName
  location: location
  tags: tags
}

output appIdentityId string = appIdentity.id
output appIdentityClientId string = appIdentity.properties.clientId
output appIdentityPrincipalId string = appIdentity.properties.principalId
output hubIdentityId string = hubIdentity.id
output hubIdentityName string = hubIdentity.name
output hubIdentityClientId string = hubIdentity.properties.clientId
output hubIdentityPrincipalId string = hubIdentity.properties.principalId
