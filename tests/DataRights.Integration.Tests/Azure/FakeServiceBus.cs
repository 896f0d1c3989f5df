using DataRights.Testing.Http;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// A throw-away Service Bus REST endpoint on a free loopback port (<see cref="ScriptedHttpServer"/>): records every
/// request as it arrived and answers with a scripted sequence of status codes, repeating the last one once the
/// script runs out. Only a stand-in: what it checks is what the REST documentation says, not what a real namespace does.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "send";
    public const string Key = "dGVzdC1rZXktbm90LWEtcmVhbC1zZXJ2aWNlLWJ1cy1rZXk=";

    private readonly ScriptedHttpServer _server;

    private FakeServiceBus(ScriptedHttpServer server) => _server = server;

    public Uri Endpoint => _server.BaseAddress;

    public IReadOnlyList<RecordedHttpRequest> Requests => _server.Requests;

    public static async Task<FakeServiceBus> StartAsync(params int[] script) =>
        new(await ScriptedHttpServer.StartAsync([.. (script.Length == 0 ? [201] : script).Select(ScriptedHttpResponse.Status)]));

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

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
