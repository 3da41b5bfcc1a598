// The dsvm-pools control plane, as `azd up` deploys it: one resource group with the Function App (Flex
// Consumption, Java 17) and everything it stands on, and the roles it needs where pools are deployed.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the resources\' unique names.')
param environmentName string

@minLength(1)
@description('Region of the control plane (pools name their own).')
param location string

@description('The deploying user, granted what the Functions samples grant: data access to the app\'s storage and Application Insights.')
param principalId string = ''

@description('Where pools are deployed: empty for the whole subscription, or an existing resource group that every pool names as resourceGroup.')
param poolResourceGroup string = ''

@description('The Function App reaches pools\' shares through VNet integration (their storage firewalls admit only listed subnets).')
param vnetEnabled bool = true

@description('Usage agents on the VMs report to the control plane\'s usage-reports queue (scaling by sessions and kernels) when no usageClientId is given.')
param usageQueueEnabled bool = true

@description('The JupyterHub app registration\'s client id (docs/sign-in.md); empty: pools keep the image\'s sign-in.')
param hubClientId string = ''

@description('The front door\'s app registration\'s client id (docs/front-door.md): users of a pool sign in at /api/p/<pool>, which wakes a pool at zero; its federated credential trusts the app\'s identity. Empty: no front door.')
param doorClientId string = ''

@description('The API app registration\'s client id: every call then needs an Entra access token for api://<it>, which the app checks; empty: function keys only.')
param authClientId string = ''

@description('The usage app registration\'s client id: the VMs report usage over HTTPS with their identity\'s token for api://<it>, each bound to its own pool, and the usage queue is off. A separate audience from the API\'s, so no VM token is ever one for the API. Required with vnetEnabled, whose firewall the VMs cannot pass (hooks/preprovision.sh).')
param usageClientId string = ''

@description('\'true\' once the app\'s code is deployed: the postdeploy hook provisions again with it, so that Event Grid can subscribe OnboardUsers, which must exist by then.')
param onboardingSubscription string = 'false'

@description('Where Graph sends followed groups\' changes: the Event Grid partner topic, as Graph names it; empty: no Graph subscriptions.')
param graphNotificationUrl string = ''

var abbreviation = 'dsvmpools'
// One report path (#27): over HTTPS with the instances' tokens when there is an audience for them, else the queue.
var usageOverQueue = usageQueueEnabled && empty(usageClientId)
var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${abbreviation}-${environmentName}'
  location: location
  tags: tags
}

module identities 'modules/identity.bicep' = {
  name: 'identities'
  scope: group
  params: {
    location: location
    tags: tags
    appIdentityName: 'id-${abbreviation}-${token}'
    hubIdentityName: 'id-${abbreviation}-hub-${token}'
  }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: group
  params: {
    location: location
    tags: tags
    name: 'vnet-${abbreviation}-${token}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: group
  params: {
    location: location
    tags: tags
    name: 'st${abbreviation}${take(token, 13)}'
    appSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${abbreviation}-${token}'
    insightsName: 'appi-${abbreviation}-${token}'
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  scope: group
  params: {
    location: location
    tags: tags
    planName: 'plan-${abbreviation}-${token}'
    appName: 'func-${abbreviation}-${token}'
    identityId: identities.outputs.appIdentityId
    identityClientId: identities.outputs.appIdentityClientId
    identityPrincipalId: identities.outputs.appIdentityPrincipalId
    storageName: storage.outputs.name
    deploymentContainer: storage.outputs.deploymentContainer
    insightsName: monitoring.outputs.insightsName
    subnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    usageQueueUrl: usageOverQueue ? storage.outputs.usageQueueUrl : ''
    usageQueueId: usageOverQueue ? storage.outputs.usageQueueId : ''
    usageClientId: usageClientId
    hubClientId: hubClientId
    doorClientId: doorClientId
    hubIdentityId: identities.outputs.hubIdentityId
    hubIdentityClientId: identities.outputs.hubIdentityClientId
    authClientId: authClientId
    graphNotificationUrl: graphNotificationUrl
    poolResourceGroup: poolResourceGroup
  }
}

module controlPlaneRoles 'modules/control-plane-roles.bicep' = {
  name: 'control-plane-roles'
  scope: group
  params: {
    appPrincipalId: identities.outputs.appIdentityPrincipalId
    userPrincipalId: principalId
    storageName: storage.outputs.name
    insightsName: monitoring.outputs.insightsName
    hubIdentityName: identities.outputs.hubIdentityName
    usageQueueEnabled: usageOverQueue
    poolRoleCondition: poolRoleCondition
  }
}

module events 'modules/events.bicep' = {
  name: 'events'
  scope: group
  params: {
    location: location
    tags: tags
    topicName: 'evgt-${abbreviation}-${token}'
    appName: app.outputs.name
    storageName: storage.outputs.name
    deadLetterContainer: storage.outputs.deadLetterContainer
    userPrincipalId: principalId
    subscribeOnboarding: onboardingSubscription == 'true'
  }
}

// Pools: resources anywhere in the subscription (or in one resource group), and role assignments of the pool
// roles only, by a condition made from the same list the app's PoolRole reads.
var poolRoles = loadJsonContent('pool-roles.json').roles
var poolRoleIds = join(map(poolRoles, role => role.id), ', ')
var poolRoleCondition = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${poolRoleIds}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${poolRoleIds}}))'
var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var rbacAdministrator = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'

resource poolsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (empty(poolResourceGroup)) {
  name: guid(subscription().id, environmentName, contributor)
  properties: {
    principalId: identities.outputs.appIdentityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
  }
}

resource poolsRoleGranting 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (empty(poolResourceGroup)) {
  name: guid(subscription().id, environmentName, rbacAdministrator)
  properties: {
    principalId: identities.outputs.appIdentityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministrator)
    condition: poolRoleCondition
    conditionVersion: '2.0'
  }
}

module poolGroupRoles 'modules/pool-group-roles.bicep' = if (!empty(poolResourceGroup)) {
  name: 'pool-group-roles'
  scope: resourceGroup(empty(poolResourceGroup) ? group.name : poolResourceGroup)
  params: {
    appPrincipalId: identities.outputs.appIdentityPrincipalId
    poolRoleCondition: poolRoleCondition
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output DSVMPOOLS_API_BASE_URL string = '${app.outputs.url}/api'
output DSVMPOOLS_EVENT_TOPIC_ENDPOINT string = events.outputs.endpoint
output DSVMPOOLS_HUB_IDENTITY_ID string = identities.outputs.hubIdentityId
output DSVMPOOLS_HUB_IDENTITY_PRINCIPAL_ID string = identities.outputs.hubIdentityPrincipalId
output DSVMPOOLS_CONTROL_PLANE_PRINCIPAL_ID string = identities.outputs.appIdentityPrincipalId
