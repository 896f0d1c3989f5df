using System.Net.Http.Json;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Infrastructure;

public static class Submissions
{
    public static object Valid(string email = "jane.doe@example.com", string type = "erasure", string? details = null) => new
    {
        type,
        email,
        fullName = "Jane Doe",
        jurisdiction = "UK",
        accountReference = "ACC-1001",
        details,
    };

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/requests", body);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string body, string contentType = "application/json") =>
        client.PostAsync("/api/requests", new StringContent(body, System.Text.Encoding.UTF8, contentType));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>
    /// The request waiting for confirmation at <paramref name="email"/>, as the store has it: a public submission is
    /// answered alike whatever became of it, without the request's id (the person gets its reference and links by email).
    /// </summary>
    public static async Task<DataRights.Core.Requests.DataSubjectRequest> WaitingRequestAsync(this IServiceProvider services, string email)
    {
        await services.TakenInAsync();
        return await services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync(email.Trim().ToLowerInvariant(), CancellationToken.None)
            ?? throw new InvalidOperationException("No request waits for confirmation at that address.");
    }

    /// <summary>
    /// Waits until every public submission answered so far has been taken in (a submission is answered once kept, and
    /// taken in after: stored as a request, found a repeat, or past the address's limit), so what it became can be read.
    /// </summary>
    public static Task TakenInAsync(this IServiceProvider services) =>
        services.GetRequiredService<ISubmissionInbox>().AllTakenInAsync(services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>().CountAsync);

    /// <summary>The status link's token of the request waiting for confirmation at <paramref name="email"/>, as its verification email gives it.</summary>
    public static async Task<string> StatusTokenAsync(this IServiceProvider services, string email) =>
        services.GetRequiredService<DataRights.Host.Requests.StatusLinks>().CreateToken(await services.WaitingIdAsync(email));

    /// <summary>The id of the request waiting for confirmation at <paramref name="email"/> (see <see cref="WaitingRequestAsync"/>).</summary>
    public static async Task<string> WaitingIdAsync(this IServiceProvider services, string email) => (await services.WaitingRequestAsync(email)).Id;
}
