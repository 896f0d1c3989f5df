// The durable work queue. Standard tier (duplicate detection needs it); local (SAS) auth off: the app sends and the
// Functions host receives with the managed identity.
param name string
param location string
param tags object
param queueName string
param principalId string

@description('Redeliveries before Service Bus dead-letters a message the handler keeps refusing.')
param maxDeliveryCount int = 10

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    // MessageId is the work item id: a relay that sends the same item twice (crash after the send) is deduplicated.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: maxDeliveryCount
    // Longer than the longest durable timer (verification expiry 14 days, escalations, extensions).
    defaultMessageTimeToLive: 'P60D'
    lockDuration: 'PT5M'
    requiresSession: false
    enablePartitioning: false
  }
}

var roles = {
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  dataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(queue.id, principalId, role.value)
  scope: queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = queue.name
