using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Queue.ServiceBus;

/// <summary>
/// Sends to a Service Bus queue with the REST API: <c>POST {namespace}/{queue}/messages</c>, the broker properties
/// (<c>MessageId</c>, <c>ScheduledEnqueueTimeUtc</c> in RFC 1123, <c>Label</c>) as JSON in the <c>BrokerProperties</c>
/// header, 201 Created on success. Runs on an Azure.Core <see cref="HttpPipeline"/>: retries with exponential
/// backoff on 408, 429, 5xx and no answer; a shared access signature or an Entra ID token on every attempt.
/// Thin on purpose, so Azure.Messaging.ServiceBus can replace it where that package is available.
/// </summary>
public sealed class ServiceBusQueueSender
{
    public const string HttpClientName = "DataRights.Queue.ServiceBus";

    private readonly ServiceBusOptions _options;
    private readonly HttpPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly Uri _messages;

    public ServiceBusQueueSender(
        IHttpClientFactory httpClientFactory,
        IOptions<ServiceBusOptions> options,
        TimeProvider time,
        ILogger<ServiceBusQueueSender> logger,
        TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _messages = new Uri(_options.QueueAddress.AbsoluteUri.TrimEnd('/') + "/messages");
        var clientOptions = new SenderClientOptions { Transport = new HttpClientTransport(httpClientFactory.CreateClient(HttpClientName)) };
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = _options.MaxRetries;
        clientOptions.Retry.Delay = _options.RetryDelay;
        clientOptions.Retry.MaxDelay = _options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = _options.NetworkTimeout;
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], [new ServiceBusAuthenticationPolicy(_options, credential, time)], new ResponseClassifier());
    }

    public string QueueName => _options.QueueName;

    /// <summary>Returns once Service Bus has the message (201); throws <see cref="ServiceBusSendException"/> otherwise.</summary>
    public async Task SendAsync(ServiceBusOutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var http = _pipeline.CreateMessage();
        var request = http.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_messages);
        request.Headers.SetValue("BrokerProperties", BrokerProperties(message));
        request.Headers.SetValue(HttpHeader.Names.ContentType, message.ContentType);
        request.Content = RequestContent.Create(message.Body);
        try
        {
            await _pipeline.SendAsync(http, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.NoAnswer(message.MessageId, _options.QueueName, ex.GetType().Name);
            throw new ServiceBusSendException($"No answer from Service Bus for message {message.MessageId}.", 0, transient: true, ex);
        }

        var status = http.Response.Status;
        if (status == 201)
        {
            _logger.Sent(message.MessageId, _options.QueueName, message.ScheduledEnqueueTime is not null);
            return;
        }

        var transient = http.ResponseClassifier.IsRetriableResponse(http);
        _logger.Refused(message.MessageId, _options.QueueName, status, transient);
        throw new ServiceBusSendException($"Service Bus answered {status} for message {message.MessageId}.", status, transient);
    }

    /// <summary>The BrokerProperties header: JSON of the broker-set properties of the message.</summary>
    public static string BrokerProperties(ServiceBusOutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var properties = new Dictionary<string, string> { ["MessageId"] = message.MessageId };
        if (message.Label is { } label)
        {
            properties["Label"] = label;
        }

        if (message.ScheduledEnqueueTime is { } at)
        {
            properties["ScheduledEnqueueTimeUtc"] = at.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        }

        return JsonSerializer.Serialize(properties);
    }

    private sealed class SenderClientOptions : ClientOptions;
}
