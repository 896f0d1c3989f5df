using System.Net.Http.Json;
using System.Text.Json;

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
}
