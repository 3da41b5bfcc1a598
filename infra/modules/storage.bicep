// The control plane's own storage: reached by identity only (shared-key access off), with the queues and tables
// the app uses, the Flex Consumption deployment container and the dead letters of Event Grid deliveries.
param location string
param tags object
param name string
@description('The Function App\'s subnet, the one network the firewall admits (with Azure\'s trusted services, for Event Grid\'s dead letters); empty: no firewall.')
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
    // With the app's subnet, everything else is denied: a virtual network rule does nothing while the default
    // action is Allow (#27). The app reaches the account through the subnet's Microsoft.Storage.Global service
    // endpoint; Event Grid writes dead letters as a trusted service with its topic's identity; azd deploys a
    // Flex Consumption app through the app's publish endpoint, and the platform writes the package with the app's
    // identity, as Microsoft's Flex Consumption sample does with public access off. The VMs never reach this
    // account then: they report usage over HTTPS (main.bicep).
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: empty(appSubnetId) ? 'Allow' : 'Deny'
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
