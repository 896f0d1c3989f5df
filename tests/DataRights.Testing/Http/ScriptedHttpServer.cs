using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Testing.Http;

/// <summary>
/// A throw-away HTTP service on a free loopback port, standing in for a provider's REST API (SendGrid, Service
/// Bus): records every request as it arrived and answers with a scripted sequence of responses, repeating the
/// last one once the script runs out.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Queue<ScriptedHttpResponse> _script;
    private readonly List<RecordedHttpRequest> _requests = [];
    private ScriptedHttpResponse _last;

    private ScriptedHttpServer(WebApplication app, ScriptedHttpResponse[] script)
    {
        _app = app;
        _script = new Queue<ScriptedHttpResponse>(script);
        _last = script[^1];
    }

    /// <summary>The server's root address, ending in '/'.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedHttpRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<ScriptedHttpServer> StartAsync(params ScriptedHttpResponse[] script)
    {
        ArgumentOutOfRangeException.ThrowIfZero(script.Length);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new ScriptedHttpServer(app, script);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(bound.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        ScriptedHttpResponse next;
        lock (_lock)
        {
            _requests.Add(new RecordedHttpRequest(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            next = _script.TryDequeue(out var scripted) ? scripted : _last;
            _last = next;
        }

        context.Response.StatusCode = next.StatusCode;
        foreach (var (name, value) in next.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (next.JsonBody is { } json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted);
        }
    }
}

/// <summary>One request as the scripted server received it.</summary>
public sealed record RecordedHttpRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}

/// <summary>One scripted answer: status, headers, and an optional JSON body.</summary>
public sealed record ScriptedHttpResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string? JsonBody)
{
    public static ScriptedHttpResponse Status(int statusCode) => new(statusCode, new Dictionary<string, string>(), null);
}
