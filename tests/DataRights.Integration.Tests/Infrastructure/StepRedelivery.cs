using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// A request orchestration's step delivered again: its activity did a piece of owed work, then its process died before
/// the request recorded it carried out, so the orchestration runs the <c>RunWorkItem</c> activity for it a second time.
/// </summary>
public static class StepRedelivery
{
    /// <summary>
    /// Owes again each piece of work carried out that <paramref name="which"/> picks (by its id), as if its record had
    /// been lost, runs the <c>RunWorkItem</c> activity for each again, then drains; returns how many were owed again and
    /// how many of them are recorded carried out again. An email, an export's step, the suppression list and a
    /// restriction's release are put back; an event to the firm's systems is not (its content is the moment's).
    /// </summary>
    public static async Task<(int PutBack, int RanAgain)> RunStepsAgainAsync(this DataRightsFactory factory, Func<string, bool> which)
    {
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var picked = new List<WorkStep>();
        foreach (var row in await factory.Stored.RowsAsync("Requests", "RowKey eq 'request'"))
        {
            var request = (await store.GetAsync(row.PartitionKey, CancellationToken.None))!;
            var again = request.Progress.WorkDone.Where(which).Select(id => Owed(request.Id, id, factory.Clock.GetUtcNow())).OfType<OwedWork>().ToList();
            if (again.Count == 0)
            {
                continue;
            }

            var putBack = request with
            {
                Version = request.Version + 1,
                Progress = request.Progress with
                {
                    Owed = [.. request.Progress.Owed, .. again],
                    WorkDone = [.. request.Progress.WorkDone.Except(again.Select(o => o.Id), StringComparer.Ordinal)],
                },
            };
            Assert.True(await store.CommitAsync(putBack, request.Version, [], CancellationToken.None));
            picked.AddRange(again.Select(o => new WorkStep(request.Id, o.Id)));
        }

        var activity = factory.Services.GetRequiredService<RunWorkItemActivity>();
        foreach (var step in picked)
        {
            await activity.CarryOutAsync(step, CancellationToken.None);
        }

        await factory.DrainAsync();
        var ranAgain = 0;
        foreach (var step in picked)
        {
            var request = (await store.GetAsync(step.RequestId, CancellationToken.None))!;
            ranAgain += request.Progress.WorkDone.Contains(step.ItemId) && !request.Progress.Owed.Any(o => o.Id == step.ItemId) ? 1 : 0;
        }

        return (picked.Count, ranAgain);
    }

    /// <summary>Whether the work <paramref name="id"/> is an email.</summary>
    public static bool IsEmail(string id) => id.Contains(":message:", StringComparison.Ordinal);

    // The owed work a carried-out id stood for, as its decision owed it; null for an event (not put back).
    private static OwedWork? Owed(string requestId, string id, DateTimeOffset now)
    {
        var rest = id[(requestId.Length + 1)..].Split(':');
        return rest[0] switch
        {
            WorkItem.Message => new OwedWork(id, WorkItem.Message, WorkflowJson.Serialize(new WorkItem.MessagePayload(rest[1])), now),
            WorkItem.Export => new OwedWork(id, WorkItem.Export, WorkflowJson.Serialize(new WorkItem.ExportPayload(rest[1])), now),
            WorkItem.Suppress or WorkItem.Unrestrict => new OwedWork(id, rest[0], "{}", now),
            _ => null,
        };
    }
}
