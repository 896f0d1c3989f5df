using DurableTask.Core;

namespace DataRights.Host.Durable;

/// <summary>
/// A backend for the stand-alone host's task hub other than Azure Storage: registered in the services, the local task
/// hub serves it instead (the tests' in-memory hub whose timers follow the program's clock). Unregistered, the task hub
/// runs on the Azure Storage backend Durable Functions uses.
/// </summary>
public sealed record TaskHubBackend(IOrchestrationService Service, IOrchestrationServiceClient Client);
