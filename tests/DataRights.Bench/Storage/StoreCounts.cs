using System.Globalization;
using System.Diagnostics;
using Azure.Data.Tables;
using DataRights.Core.Ports;
using DataRights.Host.Durable;
using DataRights.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Bench.Storage;

/// <summary>
/// Counts read straight from a running program's tables (its own Table client and prefix), so a benchmark can wait for
/// the workflow without going through the program: requests by status, work items outstanding or done, audit entries.
/// </summary>
internal sealed class StoreCounts
{
    private readonly TableClient _requests;

    private readonly TableClient _history;

    private readonly ISubmissionInbox _inbox;
    private readonly DataRights.Host.Requests.SubmissionQueue _queue;

    private StoreCounts(TableClient requests, TableClient history, DataRights.Core.Ports.IRequestStore requestStore, ISubmissionInbox inbox, DataRights.Host.Requests.SubmissionQueue queue)
    {
        _requests = requests;
        _history = history;
        RequestStore = requestStore;
        _inbox = inbox;
        _queue = queue;
    }

    /// <summary>The program's request store: where a submission's request is found (the public answer does not name it).</summary>
    public DataRights.Core.Ports.IRequestStore RequestStore { get; }

    public static StoreCounts For(IServiceProvider services)
    {
        var prefix = services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix;
        var hub = services.GetRequiredService<IOptions<DurableOptions>>().Value.HubName;
        var client = services.GetRequiredService<TableServiceClient>();

        // The task hub's history lives on the task hub's account (AzureWebJobsStorage), which may not be the store's.
        var taskHub = services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"] is { Length: > 0 } connection
            ? new TableServiceClient(connection)
            : client;
        return new StoreCounts(client.GetTableClient(prefix + "Requests"), taskHub.GetTableClient(hub + "History"), services.GetRequiredService<DataRights.Core.Ports.IRequestStore>(), services.GetRequiredService<ISubmissionInbox>(), services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>());
    }

    /// <summary>
    /// Activities the request orchestrations scheduled (their task hub's history rows of that event, on the task hub's
    /// storage account): a step that does several work items at once (the timers dropped at a close) is one activity.
    /// </summary>
    public Task<long> ActivitiesScheduledAsync(CancellationToken cancellationToken) =>
        CountAsync(_history, "PartitionKey ge 'request-' and PartitionKey lt 'request.' and EventType eq 'TaskScheduled'", "EventType", null, cancellationToken);

    /// <summary>External events the request orchestrations took (their task hub's history rows of that event): what a trivial lane must raise as many of.</summary>
    public Task<long> EventsRaisedAsync(CancellationToken cancellationToken) =>
        CountAsync(_history, "PartitionKey ge 'request-' and PartitionKey lt 'request.' and EventType eq 'EventRaised'", "EventType", null, cancellationToken);

    /// <summary>Requests whose status is one of <paramref name="statuses"/> (the stored names: completed, executing...).</summary>
    public Task<long> RequestsAsync(IReadOnlyList<string> statuses, CancellationToken cancellationToken) =>
        CountAsync(_requests, $"RowKey eq 'request' and ({string.Join(" or ", statuses.Select(s => $"Status eq '{s}'"))})", "Status", null, cancellationToken);

    /// <summary>Pieces of work carried out or given up (the ids each request keeps of them), over every request.</summary>
    public Task<long> DoneWorkItemsAsync(CancellationToken cancellationToken) =>
        CountWorkAsync(progress => progress.WorkDone.Count, cancellationToken);

    /// <summary>Work still owed (each request's own list of it, its only record) whose kind <paramref name="kind"/> accepts, over every request.</summary>
    public Task<long> OutstandingWorkItemsAsync(Func<string, bool> kind, CancellationToken cancellationToken) =>
        CountWorkAsync(progress => progress.Owed.Count(o => kind(o.Kind)), cancellationToken);

    public Task<long> AuditEntriesAsync(CancellationToken cancellationToken) =>
        CountAsync(_requests, "RowKey ge 'audit_' and RowKey lt 'audit`'", "RowKey", null, cancellationToken);

    /// <summary>Public submissions answered and not taken in yet (0 or 1: whether any is left).</summary>
    public async Task<long> SubmissionsNotTakenInAsync(CancellationToken cancellationToken) =>
        await _queue.CountAsync(cancellationToken) + (await _inbox.ListAsync(DateTimeOffset.MaxValue, 1, cancellationToken)).Count;

    /// <summary>Messages (verification mail and the like) still waiting: the sign that intake's follow-ups have run.</summary>
    public Task<long> OutstandingMessagesAsync(CancellationToken cancellationToken) =>
        OutstandingWorkItemsAsync(k => k == WorkItem.Message, cancellationToken);

    /// <summary>Every work item outstanding (timers are none: the request keeps them, and its orchestration waits for them).</summary>
    public Task<long> OutstandingWorkAsync(CancellationToken cancellationToken) =>
        OutstandingWorkItemsAsync(_ => true, cancellationToken);

    /// <summary>Polls <paramref name="count"/> until it gives <paramref name="expected"/> (at most ten minutes).</summary>
    public static async Task WaitAsync(string what, Func<CancellationToken, Task<long>> count, long expected, CancellationToken cancellationToken, int poll = 10)
    {
        var limit = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        long now;
        while ((now = await count(cancellationToken)) != expected)
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Waited 10 minutes for {what} to reach {expected}.");
            }

            if (limit.Elapsed - reported > TimeSpan.FromSeconds(5))
            {
                // Progress, so a run that crawls or stalls shows where.
                reported = limit.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({what}: {now} of {expected} after {reported.TotalSeconds:0} s)"));
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    // Sums what count gives for each request's progress (one query of the request rows; a long progress is stored in parts).
    private async Task<long> CountWorkAsync(Func<DataRights.Core.Workflow.RequestProgress, int> count, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var row in _requests.QueryAsync<TableEntity>("RowKey eq 'request'", cancellationToken: cancellationToken))
        {
            var parts = row.TryGetValue("Progress_Parts", out var n) ? Convert.ToInt32(n, CultureInfo.InvariantCulture) : 1;
            var text = string.Concat(Enumerable.Range(1, parts).Select(part => row.GetString(part == 1 ? "Progress" : "Progress_" + part.ToString(CultureInfo.InvariantCulture))));
            total += count(DataRights.Core.Workflow.WorkflowJson.Deserialize<DataRights.Core.Workflow.RequestProgress>(text));
        }

        return total;
    }

    private static async Task<long> CountAsync(TableClient table, string filter, string property, Func<string, bool>? accept, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: [property], cancellationToken: cancellationToken))
        {
            if (accept is null || accept(row.GetString(property) ?? string.Empty))
            {
                count++;
            }
        }

        return count;
    }
}
