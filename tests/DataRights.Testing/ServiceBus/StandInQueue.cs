using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace DataRights.Testing.ServiceBus;

/// <summary>
/// One queue of the <see cref="AmqpServiceBusStandIn"/>, received from in PeekLock mode as Service Bus does: each delivery
/// carries a lock token (its delivery tag) and the delivery count, and stays locked until the receiver settles it: complete
/// removes it, abandon puts it back for the next receive, dead-letter moves it aside. Settlements are answered Accepted,
/// as Service Bus answers a settlement it applied.
/// </summary>
public sealed class StandInQueue(string name) : IMessageSource
{
    private readonly ConcurrentQueue<Entry> _ready = new();
    private readonly ConcurrentDictionary<Guid, Entry> _locked = new();
    private readonly ConcurrentQueue<ReceivedMessage> _completed = new();
    private readonly ConcurrentQueue<(ReceivedMessage Message, string? Reason)> _deadLettered = new();
    private readonly SemaphoreSlim _available = new(0);
    private long _sequence;

    public string Name { get; } = name;

    /// <summary>Messages completed by a receiver, in order.</summary>
    public IReadOnlyList<ReceivedMessage> Completed => [.. _completed];

    /// <summary>Messages dead-lettered by a receiver, with the reason it gave.</summary>
    public IReadOnlyList<(ReceivedMessage Message, string? Reason)> DeadLettered => [.. _deadLettered];

    /// <summary>How many messages wait to be received or are locked by a receiver.</summary>
    public int Pending => _ready.Count + _locked.Count;

    /// <summary>How many times each message id was delivered (abandons and lock expiries deliver again).</summary>
    public IReadOnlyDictionary<string, int> Deliveries => _deliveries;

    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);

    internal void Enqueue(ReceivedMessage message)
    {
        _ready.Enqueue(new Entry(message, Interlocked.Increment(ref _sequence)));
        _available.Release();
    }

    /// <summary>Every locked message goes back to the queue, as when the receivers' locks expire (a receiver that died).</summary>
    public void ExpireLocks()
    {
        foreach (var token in _locked.Keys)
        {
            if (_locked.TryRemove(token, out var entry))
            {
                Requeue(entry);
            }
        }
    }

    public async Task<ReceiveContext> GetMessageAsync(ListenerLink link)
    {
        ArgumentNullException.ThrowIfNull(link);

        // Returns null now and then, so the link can drain and detach (the endpoint asks again).
        if (!await _available.WaitAsync(TimeSpan.FromMilliseconds(200)) || !_ready.TryDequeue(out var entry))
        {
            return null!;
        }

        var token = Guid.NewGuid();
        _locked[token] = entry;
        _deliveries.AddOrUpdate(entry.Message.MessageId, 1, (_, n) => n + 1);
        entry.DeliveryCount++;
        // A data section, as Service Bus delivers a body sent as bytes (the SDK reads no other kind through Body).
        var message = new Message
        {
            BodySection = new Data { Binary = entry.Message.Body },
            Header = new Header { DeliveryCount = (uint)(entry.DeliveryCount - 1) },
            Properties = new Properties { MessageId = entry.Message.MessageId, ContentType = entry.Message.ContentType, Subject = entry.Message.Subject },
            MessageAnnotations = new MessageAnnotations(),
            ApplicationProperties = new ApplicationProperties(),
        };
        message.MessageAnnotations[new Symbol("x-opt-sequence-number")] = entry.Sequence;
        message.MessageAnnotations[new Symbol("x-opt-enqueued-time")] = entry.Message.EnqueuedAt.UtcDateTime;
        message.MessageAnnotations[new Symbol("x-opt-locked-until")] = DateTime.SpecifyKind(DateTime.MaxValue.AddDays(-1), DateTimeKind.Utc);
        foreach (var (key, value) in entry.Message.ApplicationProperties)
        {
            message.ApplicationProperties[key] = value;
        }

        return new ReceiveContext(link, message) { UserToken = token };
    }

    public void DisposeMessage(ReceiveContext receiveContext, DispositionContext dispositionContext)
    {
        ArgumentNullException.ThrowIfNull(receiveContext);
        ArgumentNullException.ThrowIfNull(dispositionContext);
        if (receiveContext.UserToken is Guid token && _locked.TryRemove(token, out var entry))
        {
            switch (dispositionContext.DeliveryState)
            {
                case Accepted:
                    _completed.Enqueue(entry.Message);
                    break;
                case Rejected rejected:
                    _deadLettered.Enqueue((entry.Message, rejected.Error?.Info?[new Symbol("DeadLetterReason")]?.ToString() ?? rejected.Error?.Description));
                    break;
                default:
                    // Modified (abandon) or Released: back on the queue, delivered again.
                    Requeue(entry);
                    break;
            }
        }

        dispositionContext.Complete();
    }

    private void Requeue(Entry entry)
    {
        _ready.Enqueue(entry);
        _available.Release();
    }

    private sealed class Entry(ReceivedMessage message, long sequence)
    {
        public ReceivedMessage Message { get; } = message;

        public long Sequence { get; } = sequence;

        public int DeliveryCount { get; set; }
    }
}
