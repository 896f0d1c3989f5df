using Azure.Storage.Queues.Models;
using DataRights.Host.Requests;

namespace DataRights.Host.Durable;

/// <summary>
/// The stand-alone host's reader of the submission queue, doing what the Function App's queue trigger does on Azure
/// (host.json <c>extensions.queues</c>): up to <see cref="BatchSize"/> messages at a time, each kept and handed to its
/// taking in (<see cref="SubmissionTakeIns.HandOverAsync"/>) and then removed; one that fails is read again after a
/// pause, and after <see cref="MaxDequeueCount"/> tries (or at once, when it is not a submission) moved to the poison
/// queue, which the hourly workflow check empties. Idle, it looks every <see cref="MaxPollingInterval"/>, and at once
/// when this process has just sent a submission. It paces the taking in: while <see cref="MaxInTaking"/> submissions are
/// kept and not yet taken in, or any message is due in the task hub's own queues (the orchestrations have not caught up),
/// it hands over no more (for up to <see cref="LongestHold"/> at a time), so a burst of answers waits on the submission
/// queue instead of piling up in the task hub's control queue, where messages held in memory past the visibility timeout
/// were delivered twice and an orchestration was started twice (measured in the intake bench). A threshold of 32 due
/// messages was not enough: the backend dequeues up to 64 control messages into memory, where a peek cannot see them,
/// and the intake bench started 20 orchestrations twice with it (2026-12-06); the runs that showed none had a reader
/// that failed to peek the backend's messages and so waited whenever one was due, which is this rule.
/// </summary>
public sealed class SubmissionQueueListener(SubmissionQueue queue, SubmissionTakeIns takeIns, Core.Ports.ISubmissionInbox inbox, ILogger<SubmissionQueueListener> logger) : BackgroundService
{
    /// <summary>Submissions kept and not yet taken in beyond which no more are handed over.</summary>
    public const int MaxInTaking = 16;

    /// <summary>Messages due in the task hub's queues at which no more submissions are handed over: any.</summary>
    public const int MaxTaskHubBacklog = 1;

    /// <summary>The longest the reader holds back while <see cref="MaxInTaking"/> are kept (some may be kept for a while: their taking in keeps failing).</summary>
    public static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(10);

    /// <summary>Tries before a message goes to the poison queue (host.json <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Messages read and handled at once (host.json <c>batchSize</c>).</summary>
    public const int BatchSize = 16;

    /// <summary>The longest wait between looks at an empty queue (host.json <c>maxPollingInterval</c>).</summary>
    public static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long a message being handled stays hidden from other readers; a process that dies holding it leaves it to be read again after this.</summary>
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        var held = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                // Paced by what is in hand (real time, as the polling is).
                var kept = (await inbox.ListAsync(DateTimeOffset.MaxValue, MaxInTaking, stoppingToken)).Count;
                if ((kept >= MaxInTaking || await queue.TaskHubBacklogAsync(stoppingToken) >= MaxTaskHubBacklog) && held.Elapsed < LongestHold)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }

                held.Restart();
                messages = await queue.ReceiveAsync(poison: false, Math.Clamp(MaxInTaking - kept, 1, BatchSize), Visibility, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.SubmissionQueueUnreadable(ex.GetType().Name, (int)MaxPollingInterval.TotalSeconds);
                await Task.Delay(MaxPollingInterval, TimeProvider.System, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (messages.Length == 0)
            {
                // Real time: polling is about the queue service, not the program's clock.
                await ((Task)queue.SentAsync(idle, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, MaxPollingInterval.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(50);
            await Task.WhenAll(messages.Select(m => HandleAsync(m, stoppingToken)));
        }
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var received = SubmissionQueue.Read(message.Body.ToString());
        try
        {
            if (received is null || message.DequeueCount > MaxDequeueCount)
            {
                logger.SubmissionPoisoned(message.MessageId, message.DequeueCount);
                await queue.ToPoisonAsync(message, cancellationToken);
                return;
            }

            await takeIns.HandOverAsync(received, cancellationToken);
            await queue.DeleteAsync(poison: false, message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.SubmissionHandOverFailed(received?.Id ?? message.MessageId, message.DequeueCount, ex.GetType().Name);
            try
            {
                // Read again after a pause that doubles with each try (1, 2, 4, 8 s).
                await queue.PauseAsync(message, TimeSpan.FromSeconds(Math.Pow(2, Math.Min(message.DequeueCount - 1, 4))), cancellationToken);
            }
            catch (Exception pause) when (!cancellationToken.IsCancellationRequested)
            {
                // Its hold runs out instead (Visibility), and it is read again then.
                logger.SubmissionQueueUnreadable(pause.GetType().Name, (int)Visibility.TotalSeconds);
            }
        }
    }
}
