using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Amqp;
using Amqp.Framing;
using Amqp.Handler;
using Amqp.Listener;

namespace DataRights.Testing.ServiceBus;

/// <summary>
/// A small AMQP 1.0 broker (AMQPNetLite) on a free loopback port that the real Azure.Messaging.ServiceBus client talks to
/// as it would to the Service Bus emulator: it answers the client's token on the <c>$cbs</c> node, takes the messages
/// sent to its topics and keeps them (message id, body, properties), and drops a message whose id it has kept within
/// the topic's duplicate detection window, as Service Bus does (accepted, not stored twice). It can be stopped and
/// started again on the same port, keeping what it holds, to play a broker that goes down. Its queues are received from
/// as Service Bus queues are in PeekLock mode (<see cref="StandInQueue"/>): a delivery is locked until the client
/// completes it (gone), abandons it (delivered again, its delivery count one higher) or dead-letters it.
/// </summary>
public sealed class AmqpServiceBusStandIn : IAsyncDisposable
{
    private readonly Dictionary<string, TopicSettings> _topics;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly List<TcpClient> _open = [];
    private ContainerHost? _host;
    private TcpListener? _front;
    private CancellationTokenSource? _stopping;
    private int _backendPort;
    private int _duplicates;
    private int _tokens;

    private readonly Dictionary<string, StandInQueue> _queues;

    public AmqpServiceBusStandIn(IReadOnlyDictionary<string, TopicSettings> topics, TimeProvider? time = null, IReadOnlyDictionary<string, TopicSettings>? queues = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        _topics = new Dictionary<string, TopicSettings>(topics, StringComparer.OrdinalIgnoreCase);
        _queues = (queues ?? new Dictionary<string, TopicSettings>()).ToDictionary(q => q.Key, q => new StandInQueue(q.Key), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, settings) in queues ?? new Dictionary<string, TopicSettings>())
        {
            _topics[name] = settings;
        }

        _time = time ?? TimeProvider.System;
        Port = LoopbackPorts.Free();
    }

    public int Port { get; }

    /// <summary>A connection string the SDK accepts for this broker (plain AMQP on <see cref="Port"/>, as for the emulator).</summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";

    /// <summary>The messages the topics kept, in the order they arrived (duplicates dropped).</summary>
    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    /// <summary>A queue's state: what waits, what is locked, what was completed or dead-lettered.</summary>
    public StandInQueue Queue(string name) => _queues[name];

    /// <summary>How many messages were dropped as duplicates.</summary>
    public int Duplicates => _duplicates;

    /// <summary>How many tokens were put to <c>$cbs</c>.</summary>
    public int TokensReceived => _tokens;

    public bool IsRunning => _host is not null;

    public void Start()
    {
        if (_host is not null)
        {
            return;
        }

        // AMQPNetLite's listener offers only SASL ANONYMOUS, EXTERNAL and PLAIN, and its mechanism type is internal, while the
        // SDK signs in with MSSBCBS (its token follows on $cbs). So the front port does the SASL exchange itself (offers
        // MSSBCBS, answers OK), then relays the AMQP connection byte for byte to the AMQPNetLite host on a second port.
        _backendPort = LoopbackPorts.Free();
        var host = new ContainerHost(new Address($"amqp://127.0.0.1:{_backendPort}"));
        host.Listeners[0].AMQP.MaxFrameSize = 65536;
        host.Listeners[0].HandlerFactory = _ => new LockTokenTags();
        host.RegisterRequestProcessor("$cbs", new CbsProcessor(this));
        host.RegisterLinkProcessor(new TopicLinkProcessor(this));
        host.Open();
        _host = host;

        _stopping = new CancellationTokenSource();
        var front = new TcpListener(IPAddress.Loopback, Port);
        front.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        front.Start();
        _front = front;
        _ = AcceptAsync(front, _stopping.Token);
    }

    /// <summary>Closes the listener and every connection: the broker is down until <see cref="Start"/>.</summary>
    public void Stop()
    {
        _stopping?.Cancel();
        _front?.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }

        _host?.Close();
        _stopping?.Dispose();
        _host = null;
        _front = null;
        _stopping = null;
    }

    private async Task AcceptAsync(TcpListener front, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await front.AcceptTcpClientAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_open)
            {
                _open.Add(client);
            }

            _ = RelayAsync(client, _backendPort, stopping);
        }
    }

    private async Task RelayAsync(TcpClient client, int backendPort, CancellationToken stopping)
    {
        using var backend = new TcpClient();
        try
        {
            var front = client.GetStream();
            var header = new byte[8];
            await front.ReadExactlyAsync(header, stopping);
            await front.WriteAsync(SaslHeader, stopping);
            await front.WriteAsync(SaslMechanisms, stopping);
            var size = new byte[4];
            await front.ReadExactlyAsync(size, stopping);
            await front.ReadExactlyAsync(new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(size) - 4], stopping);
            await front.WriteAsync(SaslOutcomeOk, stopping);

            lock (_open)
            {
                _open.Add(backend);
            }

            await backend.ConnectAsync(IPAddress.Loopback, backendPort, stopping);
            var back = backend.GetStream();
            await Task.WhenAny(front.CopyToAsync(back, stopping), back.CopyToAsync(front, stopping));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // The client went away, or the broker was stopped.
        }
        finally
        {
            client.Dispose();
        }
    }

    // "AMQP" 3 1 0 0: the SASL layer's protocol header.
    private static readonly byte[] SaslHeader = [0x41, 0x4D, 0x51, 0x50, 3, 1, 0, 0];

    // A SASL frame (type 1) with sasl-mechanisms (descriptor 0x40): [ "MSSBCBS" ].
    private static readonly byte[] SaslMechanisms =
        [0, 0, 0, 23, 2, 1, 0, 0, 0x00, 0x53, 0x40, 0xC0, 10, 1, 0xA3, 7, .. "MSSBCBS"u8];

    // A SASL frame with sasl-outcome (descriptor 0x44): code 0, ok.
    private static readonly byte[] SaslOutcomeOk = [0, 0, 0, 16, 2, 1, 0, 0, 0x00, 0x53, 0x44, 0xC0, 3, 1, 0x50, 0];

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }


    private void Receive(string topic, Message message)
    {
        var settings = _topics[topic];
        var id = message.Properties?.MessageId?.ToString() ?? string.Empty;
        var now = _time.GetUtcNow();
        if (settings.RequiresDuplicateDetection && id.Length > 0)
        {
            lock (_seen)
            {
                if (_seen.TryGetValue(topic + "|" + id, out var first) && now - first < settings.DuplicateDetectionWindow)
                {
                    Interlocked.Increment(ref _duplicates);
                    return;
                }

                _seen[topic + "|" + id] = now;
            }
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.ApplicationProperties is { } map)
        {
            foreach (var key in map.Map.Keys)
            {
                properties[key.ToString()!] = map.Map[key];
            }
        }

        var body = message.Body switch
        {
            byte[] bytes => bytes,
            string text => System.Text.Encoding.UTF8.GetBytes(text),
            _ => [],
        };
        var kept = new ReceivedMessage(topic, id, message.Properties?.ContentType?.ToString(), message.Properties?.Subject, body, properties, now);
        _messages.Enqueue(kept);
        if (_queues.TryGetValue(topic, out var queue))
        {
            queue.Enqueue(kept);
        }
    }

    /// <summary>Service Bus's lock token is the delivery tag (16 bytes, a GUID), which the SDK settles by: each delivery gets its lock's.</summary>
    private sealed class LockTokenTags : IHandler
    {
        public bool CanHandle(EventId id) => id == EventId.SendDelivery;

        public void Handle(Event protocolEvent)
        {
            if (protocolEvent.Context is IDelivery { UserToken: ReceiveContext { UserToken: Guid lockToken } } delivery)
            {
                delivery.Tag = lockToken.ToByteArray();
            }
        }
    }

    /// <summary>Answers every put-token with 202 Accepted: the stand-in checks no signature (nothing here is secret).</summary>
    private sealed class CbsProcessor(AmqpServiceBusStandIn broker) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext requestContext)
        {
            Interlocked.Increment(ref broker._tokens);
            var response = new Message
            {
                Properties = new Properties { CorrelationId = requestContext.Message.Properties?.MessageId },
                ApplicationProperties = new ApplicationProperties(),
            };
            response.ApplicationProperties["status-code"] = 202;
            response.ApplicationProperties["status-description"] = "Accepted";
            requestContext.Complete(response);
        }
    }

    /// <summary>Lets a client send to a known topic (and nothing else), with the message size Service Bus Standard allows.</summary>
    private sealed class TopicLinkProcessor(AmqpServiceBusStandIn broker) : ILinkProcessor
    {
        public void Process(AttachContext attachContext)
        {
            // The SDK names the entity as a path ("/events"), or a full address on some versions.
            var address = (attachContext.Attach.Target as Target)?.Address ?? string.Empty;
            var target = (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("amqp", StringComparison.Ordinal) ? uri.AbsolutePath : address).Trim('/');
            if (attachContext.Attach.Role)
            {
                // The client receives: from a queue only.
                var sourceAddress = (attachContext.Attach.Source as Source)?.Address ?? string.Empty;
                var queueName = (Uri.TryCreate(sourceAddress, UriKind.Absolute, out var sourceUri) && sourceUri.Scheme.StartsWith("amqp", StringComparison.Ordinal)
                    ? sourceUri.AbsolutePath : sourceAddress).Trim('/');
                if (!broker._queues.TryGetValue(queueName, out var queue))
                {
                    attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity '{queueName}' could not be found." });
                    return;
                }

                attachContext.Complete(new SourceLinkEndpoint(queue, attachContext.Link), 0);
                return;
            }

            if (!broker._topics.ContainsKey(target))
            {
                attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity '{target}' could not be found." });
                return;
            }

            attachContext.Attach.MaxMessageSize = 256 * 1024;
            attachContext.Complete(new TargetLinkEndpoint(new TopicProcessor(broker, target), attachContext.Link), 100);
        }
    }

    private sealed class TopicProcessor(AmqpServiceBusStandIn broker, string topic) : IMessageProcessor
    {
        public int Credit => 100;

        public void Process(MessageContext messageContext)
        {
            broker.Receive(topic, messageContext.Message);
            messageContext.Complete();
        }
    }
}
