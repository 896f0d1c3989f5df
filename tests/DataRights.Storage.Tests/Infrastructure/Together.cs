using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>Lets several submissions to one Table request store gather before its claim runs, as concurrent ones do.</summary>
internal static class Together
{
    /// <summary>
    /// Submits the requests so that they wait for the same claim (in this order), then lets it run: the claim
    /// waits until every one is queued.
    /// </summary>
    public static async Task<SubmitOutcome[]> SubmitAsync(
        AzureTableRequestStore store, IReadOnlyList<NewRequest> requests, Func<DataSubjectRequest, CancellationToken, Task>? announce = null)
    {
        var gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BeforeClaiming = () => gathered.Task;
        var submissions = new List<Task<SubmitOutcome>>();
        foreach (var request in requests)
        {
            submissions.Add(Task.Run(() => store.SubmitAsync(request, request.ReceivedAt - Window, Start, announce, CancellationToken.None)));
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (store.WaitingToClaim < submissions.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), patience.Token);
            }
        }

        gathered.SetResult();
        var outcomes = await Task.WhenAll(submissions);
        store.BeforeClaiming = null;
        return outcomes;
    }
}
