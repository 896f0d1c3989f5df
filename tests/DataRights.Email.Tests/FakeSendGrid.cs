using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Email.Tests;

/// <summary>
/// A throw-away SendGrid on a free loopback port: records every request as it arrived and answers with a scripted
/// sequence of responses, repeating the last one once the script runs out.
/// </summary>
internal sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Queue<ScriptedResponse> _script;
    private readonly List<RecordedRequest> _requests = [];
    private ScriptedResponse _last;

    private FakeSendGrid(WebApplication app, ScriptedResponse[] script)
    {
        _app = app;
        _script = new Queue<ScriptedResponse>(script);
        _last = script[^1];
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeSendGrid> StartAsync(params ScriptedResponse[] script)
    {
        ArgumentOutOfRangeException.ThrowIfZero(script.Length);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeSendGrid(app, script);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(bound.TrimEnd('/') + "/");
        return fake;
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
        ScriptedResponse next;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
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

internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

internal sealed record ScriptedResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string? JsonBody)
{
    public static ScriptedResponse Accepted(string? messageId) =>
        new(202, messageId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-Message-Id"] = messageId }, null);

    public static ScriptedResponse Status(int statusCode, params (string Name, string Value)[] headers) =>
        new(statusCode, headers.ToDictionary(h => h.Name, h => h.Value), """{"errors":[{"field":null,"message":"scripted failure"}]}""");

    public static ScriptedResponse Errors(int statusCode, params string[] messages) =>
        new(statusCode, new Dictionary<string, string>(), System.Text.Json.JsonSerializer.Serialize(
            new { errors = messages.Select(m => new { message = m, field = "personalizations.0.to.0.email", help = (string?)null }) }));
}
