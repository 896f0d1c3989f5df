using System.Net.Http.Headers;
using System.Text;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Security;

/// <summary>
/// Every mapped route, with each of its methods, signed in as Admin, gets garbage: malformed JSON, wrong types,
/// nulls, a lone surrogate, invalid UTF-8, an oversize body, forms with NUL and bad bytes, and junk query values.
/// None may answer 5xx.
/// </summary>
public sealed class EveryRouteGarbageTests
{
    private const string JunkQuery = "?max=abc&limit=-1&take=zz&continuationToken=%FF%FE&from=notadate&until=x&dryRun=maybe&page=%00&status=%00";

    private static readonly (string Name, string ContentType, byte[] Body)[] Bodies =
    [
        ("malformed JSON", "application/json", Encoding.UTF8.GetBytes("""{"type":"erasure","email":""")),
        ("wrong types", "application/json", Encoding.UTF8.GetBytes(
            """{"key":1,"type":[],"email":{},"fullName":true,"categories":"x","connection":[1],"decision":5,"reason":[1],"dryRun":"yes","until":7,"answers":"x","region":false}""")),
        ("null", "application/json", Encoding.UTF8.GetBytes("null")),
        ("array of null", "application/json", Encoding.UTF8.GetBytes("[null]")),
        ("null categories", "application/json", Encoding.UTF8.GetBytes("""{"key":"x1","displayName":"X","connectorType":"manual","categories":[null],"identityFields":null}""")),
        ("lone surrogate", "application/json", Encoding.UTF8.GetBytes(
            """{"key":"Pro\ud800be","type":"erasure","email":"a\ud800@example.com","fullName":"Pro\ud800be","reason":"Pro\ud800be","displayName":"Pro\ud800be","region":"\udc00"}""")),
        ("invalid UTF-8", "application/json", [.. Encoding.UTF8.GetBytes("""{"type":"erasure","email":"a@example.com","fullName":"Pro"""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("""be","key":"x"}""")]),
        ("oversize", "application/json", Encoding.UTF8.GetBytes($$"""{"fullName":"{{new string('x', 300_000)}}"}""")),
        ("form with NUL", "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("answer=%00&decision=approve&reason=a%00b&fullName=%00&email=a%00@example.com&type=erasure&__csrf=x")),
        ("form with bad bytes", "application/x-www-form-urlencoded", [.. Encoding.ASCII.GetBytes("fullName=Pro"), 0xFF, .. Encoding.ASCII.GetBytes("be&reason=%FF%FE&type=erasure")]),
        ("text", "text/plain", Encoding.UTF8.GetBytes("hello")),
    ];

    [Fact]
    public async Task EveryRoute_GarbageAsAdmin_NeverAnswers5xx()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(DevUserAuthenticationHandler.HeaderName, "Garbage Admin");
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => (Method: m, Path: PathOf(e))))
            .Distinct()
            .ToList();
        var failures = new List<string>();

        foreach (var (method, path) in routes)
        {
            await SendAsync(factory, client, method, path + JunkQuery, null, failures);
            if (method is "GET" or "HEAD" or "OPTIONS")
            {
                continue;
            }

            foreach (var body in Bodies)
            {
                await SendAsync(factory, client, method, path + JunkQuery, body, failures);
            }
        }

        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task SendAsync(DataRightsFactory factory, HttpClient client, string method, string url, (string Name, string ContentType, byte[] Body)? body, List<string> failures)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is { } b)
        {
            request.Content = new ByteArrayContent(b.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(b.ContentType);
        }

        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode >= 500)
        {
            var error = factory.Logs.Lines.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal)) ?? string.Empty;
            failures.Add($"{method} {url} ({body?.Name ?? "no body"}): {(int)response.StatusCode} {error[..Math.Min(error.Length, 400)]}");
        }
    }

    // Route parameters get a plausible value; constraints that refuse it simply make the route 404.
    private static string PathOf(RouteEndpoint endpoint) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "x1",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        }))));
}
