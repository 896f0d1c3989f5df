// eastus: one deployment, its own resource group; this region's requests and their data stay here.
using '../main.bicep'

param location = 'eastus'
param name = 'eastus'
param dataRegion = 'eastus'
param publicBaseUrl = 'https://privacy-eastus.example.com'
param entraAudience = 'api://datarights'
param operatorName = 'Example Telecom Ltd'
param operatorAddress = '1 Example Street, London EC1A 1AA, United Kingdom'
param privacyContactEmail = 'privacy@example.com'
param approvers = ['approver@example.com']
param fallbackApprover = 'dpo@example.com'
param staffAlerts = 'privacy-team@example.com'
param defaultJurisdiction = 'US-CA'
// The staff digest's clock: the region's own time zone.
param digestTimeZone = 'America/New_York'
param sendGridFromEmail = 'privacy@example.com'
// On-premises agents that serve this region's data sources: one Service Bus queue each (agent-NAME).
param agents = [
  { name: 'eastus-1' }
]
param tags = { environment: 'production' }
