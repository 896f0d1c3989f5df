using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using DataRights.Queue.ServiceBus;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Azure;

/// <summary>The Service Bus REST sender against a local fake: the exact requests, and its answers to 201, 401, 500, 503.</summary>
public sealed class ServiceBusSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Send_Accepted_PostsTheDocumentedRequestWithAVerifiableSharedAccessSignature()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        var sender = NewSender(fake);
        var body = Encoding.UTF8.GetBytes("""{"workItemId":"wi-1"}""");

        await sender.SendAsync(new ServiceBusOutboundMessage("wi-1", body, "application/json", null, "message"), CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/work-items/messages", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"workItemId":"wi-1"}""", request.Body);
        using var properties = JsonDocument.Parse(request.Header("BrokerProperties"));
        Assert.Equal("wi-1", properties.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal("message", properties.RootElement.GetProperty("Label").GetString());
        Assert.False(properties.RootElement.TryGetProperty("ScheduledEnqueueTimeUtc", out _));
        AssertValidSignature(request.Header("Authorization"), new Uri(fake.Endpoint, "work-items"), Now + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Send_DueLater_CarriesScheduledEnqueueTimeUtcInRfc1123()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        var sender = NewSender(fake);
        var due = new DateTimeOffset(2026, 11, 5, 9, 30, 0, TimeSpan.FromHours(1));

        await sender.SendAsync(new ServiceBusOutboundMessage("wi-2", "{}"u8.ToArray(), ScheduledEnqueueTime: due), CancellationToken.None);

        using var properties = JsonDocument.Parse(Assert.Single(fake.Requests).Header("BrokerProperties"));
        Assert.Equal("Thu, 05 Nov 2026 08:30:00 GMT", properties.RootElement.GetProperty("ScheduledEnqueueTimeUtc").GetString());
    }

    [Fact]
    public async Task Send_Unauthorized_IsNotRetriedAndSaysSo()
    {
        await using var fake = await FakeServiceBus.StartAsync(401);
        var sender = NewSender(fake);

        var error = await Assert.ThrowsAsync<ServiceBusSendException>(() => sender.SendAsync(new ServiceBusOutboundMessage("wi-3", "{}"u8.ToArray()), CancellationToken.None));

        Assert.Equal(401, error.Status);
        Assert.False(error.Transient);
        Assert.Single(fake.Requests);
        Assert.DoesNotContain(FakeServiceBus.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ServerErrorThenCreated_IsRetriedWithTheSameMessageIdAndAFreshSignature()
    {
        await using var fake = await FakeServiceBus.StartAsync(500, 201);
        var sender = NewSender(fake);

        await sender.SendAsync(new ServiceBusOutboundMessage("wi-4", "{}"u8.ToArray()), CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Contains("\"MessageId\":\"wi-4\"", r.Header("BrokerProperties"), StringComparison.Ordinal));
        Assert.All(fake.Requests, r => Assert.StartsWith("SharedAccessSignature ", r.Header("Authorization"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_BusyEveryTime_GivesUpAfterTheRetriesAsTransient()
    {
        await using var fake = await FakeServiceBus.StartAsync(503);
        var sender = NewSender(fake, maxRetries: 2);

        var error = await Assert.ThrowsAsync<ServiceBusSendException>(() => sender.SendAsync(new ServiceBusOutboundMessage("wi-5", "{}"u8.ToArray()), CancellationToken.None));

        Assert.Equal(503, error.Status);
        Assert.True(error.Transient);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Send_WithManagedIdentity_SendsTheEntraTokenForServiceBus()
    {
        await using var fake = await FakeServiceBus.StartAsync(201);
        var credential = new FixedCredential();
        var sender = NewSender(fake, authentication: ServiceBusAuthentication.ManagedIdentity, credential: credential);

        await sender.SendAsync(new ServiceBusOutboundMessage("wi-6", "{}"u8.ToArray()), CancellationToken.None);
        await sender.SendAsync(new ServiceBusOutboundMessage("wi-7", "{}"u8.ToArray()), CancellationToken.None);

        Assert.All(fake.Requests, r => Assert.Equal("Bearer token-for-service-bus", r.Header("Authorization")));
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.Scopes);
    }

    [Theory]
    [InlineData("Endpoint", "http://example.com/")]
    [InlineData("FullyQualifiedNamespace", "")]
    [InlineData("QueueName", "work items")]
    [InlineData("SharedAccessKey", "")]
    public void Options_Invalid_AreRefusedNamingTheSetting(string setting, string value)
    {
        var options = new ServiceBusOptions
        {
            FullyQualifiedNamespace = "contoso.servicebus.windows.net",
            Authentication = ServiceBusAuthentication.SharedAccessKey,
            SharedAccessKeyName = "send",
            SharedAccessKey = "key",
        };
        typeof(ServiceBusOptions).GetProperty(setting)!.SetValue(options, setting == "Endpoint" ? new Uri(value) : value);

        var result = new ServiceBusOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>Recomputes the signature with the test key, as Service Bus would, and checks the token's fields.</summary>
    internal static void AssertValidSignature(string authorization, Uri resource, DateTimeOffset expectedExpiry)
    {
        Assert.StartsWith("SharedAccessSignature ", authorization, StringComparison.Ordinal);
        var fields = authorization["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["se", "sig", "skn", "sr"], fields.Keys.Order());
        Assert.Equal(WebUtility.UrlEncode(resource.AbsoluteUri.ToLowerInvariant()), fields["sr"]);
        Assert.Equal(FakeServiceBus.KeyName, fields["skn"]);
        Assert.Equal(expectedExpiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), fields["se"]);
        var expected = SharedAccessSignature.Sign(FakeServiceBus.Key, fields["sr"] + "\n" + fields["se"]);
        Assert.Equal(expected, WebUtility.UrlDecode(fields["sig"]));
    }

    private static ServiceBusQueueSender NewSender(
        FakeServiceBus fake,
        int maxRetries = 3,
        ServiceBusAuthentication authentication = ServiceBusAuthentication.SharedAccessKey,
        TokenCredential? credential = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(ServiceBusQueueSender.HttpClientName);
        var provider = services.BuildServiceProvider();
        var options = Options.Create(new ServiceBusOptions
        {
            Endpoint = fake.Endpoint,
            QueueName = "work-items",
            Authentication = authentication,
            SharedAccessKeyName = FakeServiceBus.KeyName,
            SharedAccessKey = FakeServiceBus.Key,
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        return new ServiceBusQueueSender(provider.GetRequiredService<IHttpClientFactory>(), options, new FakeTimeProvider(Now), NullLogger<ServiceBusQueueSender>.Instance, credential);
    }

    private sealed class FixedCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("token-for-service-bus", Now.AddHours(1)));
        }
    }
}
