// Roster events: a custom topic for DsvmPools.UserAdded and DsvmPools.UserRemoved, delivered to OnboardUsers as an
// Azure Function endpoint (no key copied anywhere), undeliverable events dead-lettered with the topic's identity.
param location string
param tags object
param topicName string
param appName string
param storageName string
param deadLetterContainer string
param userPrincipalId string
@description('Subscribe OnboardUsers: only once the app\'s code is deployed, since Event Grid checks that the function exists.')
param subscribeOnboarding bool

var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var eventGridDataSender = 'd5a91429-5739-47e2-a06b-3470a27159e7'

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: appName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageName
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, topic.id, blobDataContributor)
  scope: storage
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}

resource userSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(topic.id, userPrincipalId, eventGridDataSender)
  scope: topic
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventGridDataSender)
  }
}

resource onboarding 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (subscribeOnboarding) {
  parent: topic
  name: 'onboard-users'
  dependsOn: [deadLetterWriter]
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${site.id}/functions/OnboardUsers'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: ['DsvmPools.UserAdded', 'DsvmPools.UserRemoved']
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

output endpoint string = topic.properties.endpoint
