using System.Net;
using System.Net.Http.Headers;
using DataRights.Core.Agents;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

/// <summary>
/// Posts answers to the pipeline's signed callback addresses, over HTTPS, signed with the shared secret as the HTTP
/// connector contract signs callbacks. Only addresses under <see cref="AgentOptions.PipelineUrl"/> are called.
/// </summary>
public sealed class CallbackClient(HttpClient http, IOptions<AgentOptions> options, TimeProvider time)
{
    private readonly byte[] _secret = System.Text.Encoding.UTF8.GetBytes(AgentSources.Environment(options.Value.Secret));

    /// <summary>The secret shared with the pipeline (it also opens the sealed commands).</summary>
    internal byte[] Secret => _secret;

    /// <summary>
    /// Asks the pipeline, just before erasing, whether the step may still be carried out (<c>{callback}/proceed</c>):
    /// Accepted to go on; Refused when the step has closed or a legal hold now covers the records (do nothing); TryAgain
    /// when the pipeline could not say. A pipeline without the check (404, from before 2026-12-05) is taken as a yes.
    /// </summary>
    public async Task<(CallbackResult Result, IReadOnlySet<string> Held)> MayProceedAsync(Uri callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var proceed = new UriBuilder(callback);
        proceed.Path = proceed.Path.TrimEnd('/') + "/proceed";
        byte[]? body = null;
        var result = await PostAsync(proceed.Uri, "{}"u8.ToArray(), cancellationToken, notFound: CallbackResult.Accepted, read: b => body = b);
        return (result, result == CallbackResult.Accepted ? Held(body) : new HashSet<string>());
    }

    public Task<CallbackResult> PostAsync(Uri callback, byte[] answer, CancellationToken cancellationToken) =>
        PostAsync(callback, answer, cancellationToken, notFound: CallbackResult.Refused, read: null);

    /// <summary>The hashes of the people held now, from the check's answer (<c>{"proceed": true, "held": [...]}</c>); none when it names none.</summary>
    private static HashSet<string> Held(byte[]? body)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var answer = System.Text.Json.JsonDocument.Parse(body ?? []);
            if (answer.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && answer.RootElement.TryGetProperty("held", out var list)
                && list.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                held.UnionWith(list.EnumerateArray().Where(h => h.ValueKind == System.Text.Json.JsonValueKind.String).Select(h => h.GetString()!));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // A pipeline from before the list (or a 404 taken as a yes) names none.
        }

        return held;
    }

    private async Task<CallbackResult> PostAsync(Uri callback, byte[] answer, CancellationToken cancellationToken, CallbackResult notFound, Action<byte[]>? read)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var pipeline = options.Value.PipelineUrl!;
        if (!callback.IsAbsoluteUri || callback.Scheme != pipeline.Scheme || !string.Equals(callback.Authority, pipeline.Authority, StringComparison.OrdinalIgnoreCase)
            || !callback.AbsolutePath.StartsWith(pipeline.AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return CallbackResult.Refused;
        }

        var timestamp = AgentEnvelope.Timestamp(time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(answer) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-DataRights-Timestamp", timestamp);
        request.Headers.Add("X-DataRights-Signature", AgentEnvelope.Sign(_secret, timestamp, answer));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (read is not null && response.IsSuccessStatusCode)
            {
                read(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            return response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode => CallbackResult.Accepted,
                HttpStatusCode.NotFound => notFound,

                // The step is closed, or the answer can never be taken: sending it again changes nothing.
                HttpStatusCode.Conflict or HttpStatusCode.Gone or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => CallbackResult.Refused,
                _ => CallbackResult.TryAgain,
            };
        }
        catch (HttpRequestException)
        {
            return CallbackResult.TryAgain;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallbackResult.TryAgain;
        }
    }
}
