using Azure.Data.Tables;
using TableEntity = global::Azure.Data.Tables.TableEntity;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// What the program keeps in Table storage, read as an operator would (Storage Explorer, or the SDK): every
/// request and its audit trail, registrations, suppressions, purge runs and the retention chain, and raw rows
/// for what no port lists. Reads only; a test that must change a row says so with <see cref="Table"/>.
/// </summary>
public sealed class StoredRecords(DataRightsFactory factory)
{
    private IServiceProvider Services => factory.Services;

    /// <summary>The Table storage table named <paramref name="name"/> (Requests, Queue, Lookups, Registry, Retention) of this program.</summary>
    public TableClient Table(string name) =>
        Services.GetRequiredService<TableServiceClient>().GetTableClient(Services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix + name);

    /// <summary>Every stored request, open or closed, in the order received (once every public submission answered so far is taken in).</summary>
    public async Task<IReadOnlyList<DataSubjectRequest>> RequestsAsync()
    {
        await Services.TakenInAsync();
        var store = Services.GetRequiredService<IRequestStore>();
        var requests = new List<DataSubjectRequest>();
        await foreach (var row in Table("Requests").QueryAsync<TableEntity>("RowKey eq 'request'", select: ["PartitionKey"]))
        {
            requests.Add(await store.GetAsync(row.PartitionKey, CancellationToken.None)
                ?? throw new InvalidOperationException($"Request row {row.PartitionKey} cannot be read through the store."));
        }

        return [.. requests.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Reference, StringComparer.Ordinal)];
    }

    public async Task<int> RequestCountAsync() => (await RequestsAsync()).Count;

    /// <summary>How many requests are stored now, without waiting for the submissions kept to be taken in.</summary>
    public async Task<int> RequestCountWithoutWaitingAsync()
    {
        var count = 0;
        await foreach (var _ in Table("Requests").QueryAsync<TableEntity>("RowKey eq 'request'", select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>The only stored request (fails the test when there is not exactly one).</summary>
    public async Task<DataSubjectRequest> SingleRequestAsync() => Assert.Single(await RequestsAsync());

    /// <summary>Every request's audit entries, request by request, each trail oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        var store = Services.GetRequiredService<IRequestStore>();
        var entries = new List<AuditEntry>();
        foreach (var request in await RequestsAsync())
        {
            entries.AddRange(await store.GetAuditTrailAsync(request.Id, CancellationToken.None));
        }

        return entries;
    }

    /// <summary>Audit entries of every request with <paramref name="action"/> (and <paramref name="actor"/> when given).</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action, string? actor = null) =>
        [.. (await AuditAsync()).Where(e => e.Action == action && (actor is null || e.Actor == actor))];

    public async Task<int> AuditCountAsync() => (await AuditAsync()).Count;

    /// <summary>Every source registration, active or not.</summary>
    public async Task<IReadOnlyList<StoredRegistration>> RegistrationsAsync() =>
        await Services.GetRequiredService<ISourceRegistrationStore>().ListAsync(CancellationToken.None);

    public async Task<IReadOnlyList<SuppressionEntry>> SuppressionsAsync() =>
        await Services.GetRequiredService<ISuppressionList>().ListAsync(null, 10_000, CancellationToken.None);

    public async Task<IReadOnlyList<PurgeRun>> PurgeRunsAsync() =>
        await Services.GetRequiredService<IPurgeStore>().ListAsync(10_000, CancellationToken.None);

    /// <summary>The retention audit chain (policy changes and purge runs), oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RetentionAuditAsync() =>
        await Services.GetRequiredService<IPurgeStore>().AuditTrailAsync(null, CancellationToken.None);

    /// <summary>Raw rows of one table matching an OData <paramref name="filter"/>, as Storage Explorer shows them.</summary>
    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string table, string? filter = null)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Table(table).QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }
}
