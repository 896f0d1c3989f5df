// Service Bus: the `events` topic (request changes and purge reports as CloudEvents, published with the event id as
// MessageId, so a step that sends one twice after a crash is deduplicated) and one queue per on-premises agent,
// agent-NAME (sealed commands for data sources Azure cannot reach; docs/agent.md). Standard tier (topics and duplicate detection need it);
// local (SAS) auth off: everyone signs in with Entra ID.
param name string
param location string
param tags object
param principalId string

@description('On-premises agents: one queue each. principalId (optional) is the agent\'s own identity, given Data Receiver on its queue only.')
param agents agentQueue[] = []

@description('Redeliveries before Service Bus dead-letters a message the handler keeps refusing.')
param maxDeliveryCount int = 10

@export()
type agentQueue = {
  @description('The agent\'s name (1 to 40 lower-case letters, digits or hyphens), as its sources\' connection.agent and its DataRights:Agent:Name; its queue is agent-NAME.')
  @minLength(1)
  @maxLength(40)
  name: string

  @description('Object id of the agent\'s Entra ID identity (service principal), or omitted to grant it yourself.')
  principalId: string?
}

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource events 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: 'events'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: 'P14D'
    supportOrdering: true
    enablePartitioning: false
  }
}

resource agentQueues 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [
  for agent in agents: {
    parent: namespace
    name: 'agent-${agent.name}'
    properties: {
      // MessageId is the command id (step and request): a command sent twice (crash after the send) is deduplicated.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT1H'
      deadLetteringOnMessageExpiration: true
      maxDeliveryCount: maxDeliveryCount
      // Each command carries its own time to live (its source's time limit, at most 7 days): this is only the ceiling.
      defaultMessageTimeToLive: 'P7D'
      // The agent does not renew locks: a command that runs longer is delivered again and answered from the agent's store.
      lockDuration: 'PT5M'
      requiresSession: false
      enablePartitioning: false
    }
  }
]

var roles = {
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  dataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
}

// The app publishes events.
resource publishEvents 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(events.id, principalId, roles.dataSender)
  scope: events
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The app sends commands to each agent's queue.
resource sendToAgents 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (agent, i) in agents: {
    name: guid(agentQueues[i].id, principalId, roles.dataSender)
    scope: agentQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Each agent receives from its own queue only.
resource agentReceives 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (agent, i) in agents: if (!empty(agent.?principalId ?? '')) {
    name: guid(agentQueues[i].id, agent.?principalId ?? '', roles.dataReceiver)
    scope: agentQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataReceiver)
      principalId: agent.?principalId ?? ''
      principalType: 'ServicePrincipal'
    }
  }
]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output eventsTopicName string = events.name
output agentQueueNames string[] = [for (agent, i) in agents: agentQueues[i].name]
