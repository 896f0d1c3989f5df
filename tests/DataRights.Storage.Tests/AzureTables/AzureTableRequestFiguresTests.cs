using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The metrics' read of request rows written before the rows carried their figures.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableRequestFiguresTests(AzuriteFixture azurite)
{
    private static readonly string[] FigureColumns = ["ClosedAt", "Extended", "ClockStopped", "InPart", "Rejection"];

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task ListReceived_RowWithoutFigureColumns_IsReadInFull_ClosedWhenItsTrailSaysSo()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (rejected, refusal) = Advance(stored, RequestStatus.Rejected, T0.AddDays(4), progress: stored.Progress with { Rejection = RejectionReason.NoMatch });
        Assert.True(await store.CommitAsync(rejected, stored.Version, refusal, None));
        var (later, tidying) = Advance(rejected, RequestStatus.Rejected, T0.AddDays(9));
        Assert.True(await store.CommitAsync(later, rejected.Version, tidying, None));
        await StripFigureColumnsAsync(tables, stored.Id);

        var figures = Assert.Single(await ((IRequestListing)store).ListReceivedAsync(T0, T0.AddDays(1), 10, None));

        Assert.Equal(stored.Id, figures.Id);
        Assert.Equal(RequestStatus.Rejected, figures.Status);
        Assert.Equal(T0.AddDays(4), figures.ClosedAt);
        Assert.Equal(RejectionReason.NoMatch, figures.Rejection);
    }

    /// <summary>Makes the request's row look as it did before the figure columns were written.</summary>
    private static async Task StripFigureColumnsAsync(AzureTableStore tables, string id)
    {
        var row = (await tables.Client.GetAsync(tables.RequestsTable, TableRows.RequestPartition(id), TableRows.Request, None))!;
        Assert.All(FigureColumns, c => Assert.True(row.Properties.Remove(c), c));
        await tables.Client.ExecuteAsync(tables.RequestsTable, TableOperation.Replace(row, row.ETag!), None);
    }
}
