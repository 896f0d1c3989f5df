using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Host.Storage;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>
/// The submission queue: a Storage queue on the task hub's account (<see cref="DurableOptions.Connection"/>, the account
/// the Functions host's triggers read), named by <see cref="DurableOptions.SubmissionQueue"/>, with its poison queue
/// beside it (the name with <c>-poison</c>, as the Functions host names it). Each message is one submission as JSON,
/// base64-encoded as the queue trigger reads it; it holds the person's details only until it is kept and taken in.
/// </summary>
public sealed class SubmissionQueue(IOptions<DurableOptions> options, IConfiguration configuration, IOptions<StorageClientDefaults> defaults) : ISubmissionQueue
{
    /// <summary>The suffix the Functions host gives a queue's poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _sent = new(0, 1);
    private Task<(QueueClient Queue, QueueClient Poison)>? _ready;
    private QueueClient[]? _taskHubQueues;
    private QueueServiceClient? _taskHubService;

    /// <summary>The queue's name.</summary>
    public string Name => options.Value.SubmissionQueue;

    public async Task SendAsync(ReceivedSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var queue = await QueueAsync(poison: false, cancellationToken);
        await queue.SendMessageAsync(Write(submission), cancellationToken);

        // A listener in this process looks at once, rather than at its next poll.
        if (_sent.CurrentCount == 0)
        {
            try
            {
                _sent.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>Waits until a submission is sent from this process, or <paramref name="timeout"/> passes.</summary>
    public Task<bool> SentAsync(TimeSpan timeout, CancellationToken cancellationToken) => _sent.WaitAsync(timeout, cancellationToken);

    /// <summary>Up to <paramref name="max"/> messages, each hidden from other readers for <paramref name="visibility"/>.</summary>
    public async Task<QueueMessage[]> ReceiveAsync(bool poison, int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var queue = await QueueAsync(poison, cancellationToken);
        return (await queue.ReceiveMessagesAsync(max, visibility, cancellationToken)).Value;
    }

    /// <summary>Removes a message read from the queue (or its poison queue); one already gone changes nothing.</summary>
    public async Task DeleteAsync(bool poison, QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = await QueueAsync(poison, cancellationToken);
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already (its hold ran out and another reader took it, or it was removed).
        }
    }

    /// <summary>Hides a message that could not be handled for <paramref name="pause"/>, after which it is read again.</summary>
    public async Task PauseAsync(QueueMessage message, TimeSpan pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = await QueueAsync(poison: false, cancellationToken);
        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: pause, cancellationToken: cancellationToken);
    }

    /// <summary>Moves a message that failed too often to the poison queue, as the Functions host does.</summary>
    public async Task ToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var poison = await QueueAsync(poison: true, cancellationToken);
        await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await DeleteAsync(poison: false, message, cancellationToken);
    }

    /// <summary>How many messages the queue holds, those being handled included (the service's approximate count); the poison queue's with <paramref name="poison"/>.</summary>
    public async Task<int> CountAsync(bool poison, CancellationToken cancellationToken)
    {
        var queue = await QueueAsync(poison, cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    /// <summary>How many submissions wait on the queue (not the poison queue), those being handled included.</summary>
    public Task<int> CountAsync(CancellationToken cancellationToken) => CountAsync(poison: false, cancellationToken);

    /// <summary>
    /// How many messages are ready and waiting in the task hub's own queues on the same account (its control queues and
    /// its work-item queue, as the Azure Storage backend names them), up to 32 a queue: how far behind the orchestrations
    /// are. Read by peeking, which sees only messages due now (a durable timer is a message hidden until it is due, and
    /// the approximate count includes them). A queue not there counts 0.
    /// </summary>
    public async Task<int> TaskHubBacklogAsync(CancellationToken cancellationToken)
    {
        var queues = _taskHubQueues;
        if (queues is null)
        {
            await QueueAsync(poison: false, cancellationToken);
            var o = options.Value;

            // The task hub's messages are the backend's own JSON, not Base64 as this queue's are: peeked without decoding
            // (a decoding client throws FormatException on them, which held the reader up 2 s at a time until 2026-12-06).
            var service = _taskHubService!;
            var hub = o.HubName.ToLowerInvariant();
            _taskHubQueues = queues = [.. Enumerable.Range(0, o.PartitionCount).Select(i => service.GetQueueClient($"{hub}-control-{i:00}")), service.GetQueueClient(hub + "-workitems")];
        }

        var backlog = 0;
        foreach (var queue in queues)
        {
            try
            {
                backlog += (await queue.PeekMessagesAsync(32, cancellationToken)).Value.Length;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // No such queue: the task hub is elsewhere (in memory), or not created yet.
            }
        }

        return backlog;
    }

    /// <summary>A submission as its message carries it.</summary>
    public static string Write(ReceivedSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return JsonSerializer.Serialize(new Message(submission.Id, submission.Channel.Name(), AuditChain.FormatInstant(submission.ReceivedAt), submission.Submission), Json);
    }

    /// <summary>The submission a message carries, or null when it is not one (such a message is put aside, never retried).</summary>
    public static ReceivedSubmission? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Message>(text, Json) is { Id: { Length: > 0 } id, Channel: { } channel, ReceivedAt: { } at, Submission: { } submission }
                && WireNames.TryParseChannel(channel, out var parsed)
                ? new ReceivedSubmission(id, parsed, AuditChain.ParseInstant(at), submission)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    private async Task<QueueClient> QueueAsync(bool poison, CancellationToken cancellationToken)
    {
        var ready = _ready;
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            _ready = ready = CreateAsync();
        }

        var (queue, poisonQueue) = await ready.WaitAsync(cancellationToken);
        return poison ? poisonQueue : queue;
    }

    private async Task<(QueueClient Queue, QueueClient Poison)> CreateAsync()
    {
        var o = options.Value;
        var failures = new List<string>();
        var account = StorageAccount.FromConnectionSetting(o.Connection, configuration, failures)
            ?? throw new InvalidOperationException("The submission queue has no storage account: " + string.Join(" ", failures));
        var service = account.CreateQueueServiceClient(defaults.Value.Apply(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), o.Connection);
        _taskHubService = account.CreateQueueServiceClient(defaults.Value.Apply(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }), o.Connection);
        var queue = service.GetQueueClient(o.SubmissionQueue);
        var poison = service.GetQueueClient(o.SubmissionQueue + PoisonSuffix);
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        return (queue, poison);
    }

    private sealed record Message(string? Id, string? Channel, string? ReceivedAt, IntakeSubmission? Submission);
}
