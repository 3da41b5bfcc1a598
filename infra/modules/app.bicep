// The Function App on Flex Consumption: Java 17 in functionAppConfig (no FUNCTIONS_WORKER_RUNTIME or
// FUNCTIONS_EXTENSION_VERSION app setting on this plan), its package in a blob container reached with its
// identity, its storage by identity (AzureWebJobsStorage__credential), timers in UTC.
param location string
param tags object
param planName string
param appName string
param identityId string
param identityClientId string
param identityPrincipalId string
param storageName string
param deploymentContainer string
param insightsName string
param subnetId string
param usageQueueUrl string
param usageQueueId string
param hubClientId string
param doorClientId string = ''
param hubIdentityId string
param hubIdentityClientId string
param authClientId string
param usageClientId string = ''
param graphNotificationUrl string
@description('The one existing resource group pools go to, or empty for a group of each pool\'s own')
param poolResourceGroup string = ''

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 40
      }
      runtime: {
        name: 'java'
        version: '17'
      }
    }
  }
}

var baseSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
  AZURE_TENANT_ID: tenant().tenantId
  DSVMPOOLS_SUBSCRIPTION_ID: subscription().subscriptionId
  DSVMPOOLS_CONTROL_PLANE_PRINCIPAL_ID: identityPrincipalId
  DSVMPOOLS_RECOVERY_SCHEDULE: '0 */5 * * * *'
  DSVMPOOLS_SCALE_SCHEDULE: '0 * * * * *'
  DSVMPOOLS_ROSTER_SCHEDULE: '0 0 3 * * *'
}
var networkSettings = empty(subnetId) ? {} : {
  DSVMPOOLS_CONTROL_PLANE_SUBNET_ID: subnetId
}
var usageQueueSettings = empty(usageQueueUrl) ? {} : {
  DSVMPOOLS_USAGE_QUEUE_URL: usageQueueUrl
  DSVMPOOLS_USAGE_QUEUE_ID: usageQueueId
}
var hubSettings = empty(hubClientId) ? {} : {
  DSVMPOOLS_HUB_CLIENT_ID: hubClientId
  DSVMPOOLS_HUB_IDENTITY_ID: hubIdentityId
  DSVMPOOLS_HUB_IDENTITY_CLIENT_ID: hubIdentityClientId
}
// The front door signs users in itself (Flex Consumption has no App Service Authentication to do it) and comes
// back to the app's own host name; the app registration lists <that>/door/signed-in as its redirect URI.
var doorSettings = empty(doorClientId) ? {} : {
  DSVMPOOLS_DOOR_CLIENT_ID: doorClientId
  DSVMPOOLS_DOOR_URL: 'https://${site.properties.defaultHostName}/api'
}
// Callers' Entra tokens are checked by the app itself: on Flex Consumption, App Service Authentication does not
// block unauthenticated callers (Microsoft's "Flex Consumption plan hosting", Considerations).
// The API takes only users' delegated tokens and its app roles' holders: never a managed identity (docs/security.md).
var apiSettings = empty(authClientId) ? {} : {
  DSVMPOOLS_API_AUDIENCE: 'api://${authClientId}'
}
// The VMs' reports come over HTTPS with their instance's token for an audience of their own, each accepted only
// from the pool's own instances; the queue trigger is then off, so the queue steers nothing (#27).
var usageSettings = empty(usageClientId) ? {} : {
  DSVMPOOLS_USAGE_AUDIENCE: 'api://${usageClientId}'
  DSVMPOOLS_USAGE_URL: 'https://${site.properties.defaultHostName}/api/usage'
  'AzureWebJobs.IngestUsage.Disabled': 'true'
}
// A spec may name only the group the app's role reaches; unset, every pool makes a group of its own (#27).
var poolGroupSettings = empty(poolResourceGroup) ? {} : {
  DSVMPOOLS_ALLOWED_RESOURCE_GROUPS: poolResourceGroup
}
var graphSettings = empty(graphNotificationUrl) ? {} : {
  DSVMPOOLS_GRAPH_NOTIFICATION_URL: graphNotificationUrl
}

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, networkSettings, usageQueueSettings, usageSettings, hubSettings, apiSettings,
    graphSettings, poolGroupSettings, doorSettings)
}

output name string = site.name
output id string = site.id
output url string = 'https://${site.properties.defaultHostName}'
