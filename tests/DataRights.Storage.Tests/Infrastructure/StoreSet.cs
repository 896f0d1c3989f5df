using DataRights.Core.Ports;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>Every store port of one backend over one fresh, empty store.</summary>
public sealed record StoreSet(
    IRequestStore Requests,
    ISourceRegistrationStore Sources,
    ILegalHoldStore Holds,
    IJobRunStore Jobs,
    ISuppressionList Suppressions,
    IRetentionPolicyStore RetentionPolicies,
    IPurgeStore Purges,
    IFollowUpErasureStore FollowUps,
    DataRights.Storage.AzureTables.AzureTableStore Tables,
    Func<ValueTask> Cleanup) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Cleanup();
}
