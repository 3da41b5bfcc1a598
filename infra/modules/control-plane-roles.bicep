// The Function App's roles in its own resource group, as Microsoft's Flex Consumption samples grant them (and the
// deploying user's, where the samples grant them); the right to give pools' scale sets a role on the usage queue
// (by the pool-role condition) and to let them carry the hub identity.
param appPrincipalId string
param userPrincipalId string
param storageName string
param insightsName string
param hubIdentityName string
param usageQueueEnabled bool
param poolRoleCondition string

var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var managedIdentityOperator = 'f1a07417-d97a-45cb-824c-7a7467783830'
var rbacAdministrator = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
var storageRoles = [blobDataOwner, queueDataContributor, tableDataContributor]

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}

resource usageQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' existing = {
  parent: queueService
  name: 'usage-reports'
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource hubIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: hubIdentityName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, appPrincipalId, role)
  scope: storage
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource userStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, role)
  scope: storage
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource appMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, appPrincipalId, metricsPublisher)
  scope: insights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
  }
}

resource userMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(insights.id, userPrincipalId, metricsPublisher)
  scope: insights
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
  }
}

// ARM lets a scale set carry a user-assigned identity only for a caller who may assign it.
resource hubIdentityOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hubIdentity.id, appPrincipalId, managedIdentityOperator)
  scope: hubIdentity
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', managedIdentityOperator)
  }
}

// Each pool gives its scale set "Storage Queue Data Message Sender" on the usage queue: the app may grant that
// (and the other pool roles) there, nothing else.
resource usageQueueGranting 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (usageQueueEnabled) {
  name: guid(usageQueue.id, appPrincipalId, rbacAdministrator)
  scope: usageQueue
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministrator)
    condition: poolRoleCondition
    conditionVersion: '2.0'
  }
}
