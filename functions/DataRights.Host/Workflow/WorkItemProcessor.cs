using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Workflow;

/// <summary>
/// The work queue's workers (in both hosts): lease due work items, run their handler, complete them; on an
/// exception retry with exponential backoff and jitter; after the last attempt dead-letter the item
/// and tell the request (which alerts staff). A crashed worker's lease runs out and the item returns.
/// </summary>
public sealed class WorkItemProcessor(
    IWorkQueue queue,
    IEnumerable<IWorkHandler> handlers,
    WorkflowEngine engine,
    WorkSignal signal,
    IOptions<WorkflowOptions> options,
    IOptions<Durable.DurableOptions> durable,
    TimeProvider time,
    ILogger<WorkItemProcessor> logger) : BackgroundService
{
    private readonly Dictionary<string, IWorkHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // With Durable the request orchestrations run the work: no local polling then.
        var workers = durable.Value.Enabled ? 0 : options.Value.Workers;
        return workers == 0 ? Task.CompletedTask : Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkLoopAsync(stoppingToken)));
    }

    /// <summary>Processes items until none is due now; returns how many were processed (tests and benchmarks drive this directly).</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (await ProcessBatchAsync(16, cancellationToken) is var n and > 0)
        {
            total += n;
        }

        return total;
    }

    private async Task WorkLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ProcessBatchAsync(options.Value.BatchSize, stoppingToken, concurrently: true) == 0)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queue itself failed (disk full, file locked): back off, keep the worker alive.
                logger.WorkerLoopFailed(ex.GetType().Name);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    private async Task<int> ProcessBatchAsync(int max, CancellationToken cancellationToken, bool concurrently = false)
    {
        var o = options.Value;
        var leased = await queue.LeaseAsync(max, time.GetUtcNow(), o.LeaseDuration, cancellationToken);
        if (concurrently)
        {
            // Items wait mostly on sources and mail, so one worker runs its whole batch at once:
            // a fan-out to 20 sources takes one source's latency, not twenty.
            await Task.WhenAll(leased.Select(item => ProcessAsync(item, o, cancellationToken)));
            return leased.Count;
        }

        foreach (var item in leased)
        {
            await ProcessAsync(item, o, cancellationToken);
        }

        return leased.Count;
    }

    private async Task ProcessAsync(LeasedWorkItem item, WorkflowOptions o, CancellationToken cancellationToken)
    {
        var isLast = item.Attempt >= o.MaxAttempts;
        try
        {
            await RunHandlerAsync(item, isLast, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A refusal that will not change on retry (SendGrid 400/401/403) goes to the dead letter at once.
            if (isLast || IsPermanent(ex))
            {
                await GiveUpAsync(item, Describe(ex), cancellationToken);
                return;
            }

            var delay = Backoff(item.Attempt, o);
            await queue.RetryAsync(item, time.GetUtcNow() + delay, Describe(ex), cancellationToken);
            logger.WorkRetried(item.Item.Id, item.Item.Kind, item.Attempt, (int)delay.TotalSeconds, ex.GetType().Name);
        }
    }

    /// <summary>Runs a leased item's handler and completes the item; throws when the handler fails (the caller retries or gives up).</summary>
    public async Task RunHandlerAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        await HandleAsync(item, isLastAttempt, cancellationToken);
        await CompleteAsync(item, cancellationToken);
    }

    /// <summary>Runs a leased item's handler only; throws when the handler fails.</summary>
    public Task HandleAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _handlers.TryGetValue(item.Item.Kind, out var handler)
            ? handler.HandleAsync(item, isLastAttempt, cancellationToken)
            : throw new InvalidOperationException($"No handler for work of kind '{item.Item.Kind}'.");
    }

    /// <summary>Marks a leased item done (a lease that was lost in the meantime changes nothing).</summary>
    public async Task CompleteAsync(LeasedWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await queue.CompleteAsync(item, time.GetUtcNow(), cancellationToken);
        logger.WorkDone(item.Item.Id, item.Item.Kind, item.Attempt);
    }

    /// <summary>Gives up on a leased item: dead-letters it and tells its request, which records the failure and alerts staff.</summary>
    public async Task GiveUpAsync(LeasedWorkItem item, string error, CancellationToken cancellationToken)
    {
        await queue.DeadLetterAsync(item, time.GetUtcNow(), error, cancellationToken);
        logger.WorkDeadLettered(item.Item.Id, item.Item.Kind, item.Attempt, error[..Math.Max(0, error.IndexOf(':', StringComparison.Ordinal))]);
        var (source, round) = SourceOf(item.Item);
        await engine.ApplyAsync(item.Item.RequestId, new WorkDeadLettered("system:work-queue", item.Item.Id, item.Item.Kind, error, source, round), cancellationToken);
    }

    /// <summary>A failure that will not change on retry.</summary>
    public static bool IsPermanent(Exception ex) => ex is DataRights.Email.SendGrid.PermanentEmailException;

    /// <summary>What a failure is recorded as: its type and the first line of its message, capped.</summary>
    public static string Describe(Exception ex) => ex.GetType().Name + ": " + Sanitize(ex.Message);

    /// <summary>Exponential backoff with ±20% jitter, capped.</summary>
    public static TimeSpan Backoff(int attempt, WorkflowOptions o)
    {
        var exponential = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, o.RetryMaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter only spreads retries; it needs no cryptographic randomness.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    private static (string? Source, int? Round) SourceOf(WorkItem item)
    {
        if (item.Kind is not (WorkItem.Discover or WorkItem.Execute))
        {
            return (null, null);
        }

        var payload = WorkflowJson.Deserialize<WorkItem.SourcePayload>(item.Payload);
        return (payload.Source, payload.Round);
    }

    // Exception text from connectors may quote what they were given; keep the first line and cap it.
    private static string Sanitize(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
