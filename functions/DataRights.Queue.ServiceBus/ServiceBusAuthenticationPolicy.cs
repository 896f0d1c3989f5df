using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Queue.ServiceBus;

/// <summary>
/// Signs every attempt (it sits per retry): a fresh shared access signature, or an Entra ID token for
/// <c>https://servicebus.azure.net/.default</c>, kept until five minutes before it expires.
/// </summary>
/// <remarks>
/// Not Azure.Core's BearerTokenAuthenticationPolicy: that one refuses plain http, and the tests talk to a local
/// fake over loopback http (the options allow http on loopback only).
/// </remarks>
internal sealed class ServiceBusAuthenticationPolicy(ServiceBusOptions options, TokenCredential? credential, TimeProvider time) : HttpPipelinePolicy
{
    public const string Scope = "https://servicebus.azure.net/.default";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private AccessToken? _token;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The Service Bus sender is asynchronous only.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, await AuthorizationAsync(message.CancellationToken));
        await ProcessNextAsync(message, pipeline);
    }

    private async ValueTask<string> AuthorizationAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (options.Authentication == ServiceBusAuthentication.SharedAccessKey)
        {
            return SharedAccessSignature.Create(options.QueueAddress, options.SharedAccessKeyName!, options.SharedAccessKey!, now + options.SasTokenLifetime);
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_token is not { } token || token.ExpiresOn - TimeSpan.FromMinutes(5) <= now)
            {
                var source = credential ?? throw new InvalidOperationException("No credential for Service Bus: register a TokenCredential or use a shared access key.");
                token = await source.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
                _token = token;
            }

            return "Bearer " + token.Token;
        }
        finally
        {
            _lock.Release();
        }
    }
}
