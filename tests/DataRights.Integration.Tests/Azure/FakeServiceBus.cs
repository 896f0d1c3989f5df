using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// A throw-away Service Bus REST endpoint on a free loopback port: records every request as it arrived and answers
/// with a scripted sequence of status codes, repeating the last one once the script runs out. Only a stand-in: what
/// it checks is what the REST documentation says, not what a real namespace does.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "send";
    public const string Key = "dGVzdC1rZXktbm90LWEtcmVhbC1zZXJ2aWNlLWJ1cy1rZXk=";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Queue<int> _script;
    private readonly List<ServiceBusRequest> _requests = [];
    private int _last;

    private FakeServiceBus(WebApplication app, int[] script)
    {
        _app = app;
        _script = new Queue<int>(script);
        _last = script[^1];
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ServiceBusRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeServiceBus> StartAsync(params int[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeServiceBus(app, script.Length == 0 ? [201] : script);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>The settings that point the host's Service Bus sender here, with a shared access key.</summary>
    public Dictionary<string, string?> Settings(string queue = "work-items") => new()
    {
        ["DataRights:Queue:Provider"] = "servicebus",
        ["DataRights:Queue:BackgroundRelay"] = "false",
        ["DataRights:Queue:ServiceBus:Endpoint"] = Endpoint.ToString(),
        ["DataRights:Queue:ServiceBus:QueueName"] = queue,
        ["DataRights:Queue:ServiceBus:Authentication"] = "SharedAccessKey",
        ["DataRights:Queue:ServiceBus:SharedAccessKeyName"] = KeyName,
        ["DataRights:Queue:ServiceBus:SharedAccessKey"] = Key,
        ["DataRights:Queue:ServiceBus:RetryDelay"] = "00:00:00.010",
        ["DataRights:Queue:ServiceBus:MaxRetryDelay"] = "00:00:00.050",
    };

    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < 200 && Requests.Count < count; i++)
        {
            await Task.Delay(25);
        }
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
        int status;
        lock (_lock)
        {
            _requests.Add(new ServiceBusRequest(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            status = _script.TryDequeue(out var next) ? next : _last;
            _last = status;
        }

        context.Response.StatusCode = status;
    }
}

public sealed record ServiceBusRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
