using DataRights.Testing.Http;

namespace DataRights.Email.Tests;

/// <summary>
/// A throw-away SendGrid on a free loopback port (<see cref="ScriptedHttpServer"/>): records every request as it
/// arrived and answers with a scripted sequence of responses, repeating the last one once the script runs out.
/// </summary>
internal sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly ScriptedHttpServer _server;

    private FakeSendGrid(ScriptedHttpServer server) => _server = server;

    public Uri BaseAddress => _server.BaseAddress;

    public IReadOnlyList<RecordedHttpRequest> Requests => _server.Requests;

    public static async Task<FakeSendGrid> StartAsync(params ScriptedHttpResponse[] script) => new(await ScriptedHttpServer.StartAsync(script));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>SendGrid's answers, as the fake gives them.</summary>
internal static class ScriptedResponse
{
    public static ScriptedHttpResponse Accepted(string? messageId) =>
        new(202, messageId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-Message-Id"] = messageId }, null);

    public static ScriptedHttpResponse Status(int statusCode, params (string Name, string Value)[] headers) =>
        new(statusCode, headers.ToDictionary(h => h.Name, h => h.Value), """{"errors":[{"field":null,"message":"scripted failure"}]}""");

    public static ScriptedHttpResponse Errors(int statusCode, params string[] messages) =>
        new(statusCode, new Dictionary<string, string>(), System.Text.Json.JsonSerializer.Serialize(
            new { errors = messages.Select(m => new { message = m, field = "personalizations.0.to.0.email", help = (string?)null }) }));
}
