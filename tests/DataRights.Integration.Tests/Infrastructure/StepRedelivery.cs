using DataRights.Host.Durable;
using Microsoft.Extensions.DependencyInjection;
using TableEntity = global::Azure.Data.Tables.TableEntity;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// A request orchestration's step delivered again: its activity did an item's work, then its process died before the
/// item was marked done, so the orchestration runs the <c>RunWorkItem</c> activity for that item a second time.
/// </summary>
public static class StepRedelivery
{
    /// <summary>
    /// Puts each finished work item that <paramref name="which"/> picks back as not yet done
    /// (<see cref="StoredRecordsWorkflow.RedeliverAsync"/>), runs the <c>RunWorkItem</c> activity for each again, in the
    /// order they were created, then drains; returns how many of them ran to done again.
    /// </summary>
    public static async Task<(int PutBack, int RanAgain)> RunStepsAgainAsync(this DataRightsFactory factory, Func<TableEntity, bool> which)
    {
        var picked = (await factory.Stored.WorkRowsAsync())
            .Where(w => w.GetString("State") == "done" && which(w))
            .OrderBy(w => w.GetString("CreatedAt"), StringComparer.Ordinal)
            .Select(w => new WorkStep(w.GetString("RequestId"), w.GetString("ItemId")))
            .ToList();
        var putBack = await factory.Stored.RedeliverAsync(which);
        Assert.Equal(picked.Count, putBack);
        Assert.All(await factory.Stored.WorkRowsAsync(), w => Assert.False(picked.Exists(p => p.ItemId == w.GetString("ItemId")) && w.GetString("State") == "done"));

        var activity = factory.Services.GetRequiredService<RunWorkItemActivity>();
        foreach (var step in picked)
        {
            await activity.CarryOutAsync(step, CancellationToken.None);
        }

        await factory.DrainAsync();
        var rows = await factory.Stored.WorkRowsAsync();
        return (putBack, picked.Count(p => rows.Single(r => r.GetString("ItemId") == p.ItemId).GetString("State") == "done"));
    }
}
