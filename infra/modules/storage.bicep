// The control plane's own storage: reached by identity only (shared-key access off), with the queues and tables
// the app uses, the Flex Consumption deployment container and the dead letters of Event Grid deliveries.
param location string
param tags object
param name string
@description('The Function App\'s subnet, admitted through the firewall; empty: public access for Azure services.')
param appSubnetId string

var queues = loadJsonContent('../storage-names.json').queues
var tables = loadJsonContent('../storage-names.json').tables
var deploymentContainer = 'app-package'
var deadLetterContainer = 'onboarding-dead-letters'

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
      virtualNetworkRules: empty(appSubnetId) ? [] : [
        { id: appSubnetId, action: 'Allow' }
      ]
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource deadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: deadLetterContainer
  properties: { publicAccess: 'None' }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [for queueName in queues: {
  parent: queueService
  name: queueName
  properties: {}
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [for tableName in tables: {
  parent: tableService
  name: tableName
  properties: {}
}]

output name string = account.name
output id string = account.id
output deploymentContainer string = deploymentContainer
output deadLetterContainer string = deadLetterContainer
output usageQueueUrl string = '${account.properties.primaryEndpoints.queue}usage-reports'
output usageQueueId string = '${queueService.id}/queues/usage-reports'
