// Storage for the request store (Table storage), access-request exports (a private Blob container), the Functions
// host (AzureWebJobsStorage: timer locks, and the Durable Functions task hub `DataRights` of host.json, whose queues,
// tables and blobs the Azure Storage provider creates itself) and the Flex Consumption deployment package. Shared keys are off:
// everything signs in with the managed identity.
param name string
param location string
param tags object
param principalId string
param deploymentContainerName string

@description('Private container of the sealed export parts and packages (DataRights__Storage__ExportContainer).')
param exportContainerName string = 'datarights-exports'

@description('Backstop: export blobs older than this are deleted by lifecycle management (the app deletes each export when its link expires, 7 days by default).')
param exportRetentionDays int = 35

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS'])
param skuName string = 'Standard_ZRS'

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: deploymentContainerName
}

// Exports: sealed (AES-256-GCM) by the app before upload; never public.
resource exports 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: exportContainerName
  properties: {
    publicAccess: 'None'
  }
}

// If the app ever misses a deletion (a link expiring while it is down for good), blob storage does it.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${exportContainerName}/']
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: exportRetentionDays }
              }
            }
          }
        }
      ]
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

var roles = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

// Tables: the request store. Blob owner: AzureWebJobsStorage (timer schedule monitor, host locks) and the
// deployment package. Queue: the Functions host's own use of AzureWebJobsStorage. Blob contributor: the
// export container (read, write, list, delete blobs); named on its own so exports keep working if the
// owner role is ever narrowed to what the Functions host needs.
resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalId, role.value)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = account.name
output tableEndpoint string = account.properties.primaryEndpoints.table
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output exportContainerName string = exports.name
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
