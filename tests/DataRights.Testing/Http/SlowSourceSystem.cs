using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Testing.Http;

/// <summary>
/// A customer system speaking the HTTP source contract on a loopback port, in the caller's process, that takes
/// <see cref="Latency"/> over every discovery and erasure: the host's step against it is in flight that long, so the
/// host can be killed or stopped mid-step and what becomes of the step seen (a second run arriving, or none).
/// It does not check signatures.
/// </summary>
public sealed class SlowSourceSystem : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlowSourceCall> _calls = new();

    private SlowSourceSystem(WebApplication app, TimeSpan latency)
    {
        _app = app;
        Latency = latency;
    }

    public TimeSpan Latency { get; }

    /// <summary>The address to register as the source's <c>baseUrl</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every discovery or erasure call received, answered or cut off, in order of arrival.</summary>
    public IReadOnlyList<SlowSourceCall> Calls => [.. _calls];

    /// <summary>
    /// The body of its registration (<c>PUT /api/admin/sources/{key}</c>): an HTTP source in eu-west holding contact emails,
    /// its shared secret read from the environment variable <paramref name="secretVariable"/>.
    /// </summary>
    public object Registration(string secretVariable) => new
    {
        displayName = "Slow system",
        connectorType = "http",
        access = "read-write",
        region = "eu-west",
        identityFields = new[] { "email" },
        connection = new Dictionary<string, string> { ["baseUrl"] = BaseAddress.AbsoluteUri, ["secret"] = "env:" + secretVariable },
        secretSettings = new[] { "secret" },
        categories = new[] { new { key = "contact.email", displayName = "Contact email", strategy = "delete" } },
    };

    public static async Task<SlowSourceSystem> StartAsync(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        var app = builder.Build();
        var system = new SlowSourceSystem(app, latency);
        app.MapGet("/src/health", () => Results.Ok());
        app.MapPost("/src/{operation}", system.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        system.BaseAddress = new Uri(bound.TrimEnd('/') + "/src/");
        return system;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string operation)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var requestId = body.RootElement.TryGetProperty("requestId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
        var call = new SlowSourceCall(operation, requestId, TimeProvider.System.GetUtcNow());
        _calls.Enqueue(call);
        try
        {
            await Task.Delay(Latency, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The host died with the call open.
            return;
        }

        call.AnsweredAt = TimeProvider.System.GetUtcNow();
        await context.Response.WriteAsJsonAsync<object>(operation == "discover"
            ? new { records = 1, categories = new[] { "contact.email" }, accountMatched = false }
            : new { erased = 1, masked = 0, retained = Array.Empty<object>() });
    }
}
