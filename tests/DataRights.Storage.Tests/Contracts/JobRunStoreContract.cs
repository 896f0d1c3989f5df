using DataRights.Core.Ports;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="IJobRunStore"/> must do: remember, per job, the last occurrence it ran for.</summary>
public abstract class JobRunStoreContract : StoreContract
{
    private IJobRunStore Store => Stores.Jobs;

    [Fact]
    public async Task LastRun_OfAJobNeverRun_IsNull() => Assert.Null(await Store.LastRunAsync("overdue-digest", None));

    [Fact]
    public async Task Record_ThenLastRun_IsTheLatestOccurrence_PerJob()
    {
        await Store.RecordAsync("overdue-digest", T0, T0.AddSeconds(3), None);
        await Store.RecordAsync("overdue-digest", T0.AddDays(1), T0.AddDays(1).AddSeconds(2), None);
        await Store.RecordAsync("retention purge/eu", T0.AddHours(2), T0.AddHours(2).AddMinutes(1), None);

        Assert.Equal(T0.AddDays(1), await Store.LastRunAsync("overdue-digest", None));
        Assert.Equal(T0.AddHours(2), await Store.LastRunAsync("retention purge/eu", None));
        Assert.Null(await Store.LastRunAsync("something-else", None));
    }
}
