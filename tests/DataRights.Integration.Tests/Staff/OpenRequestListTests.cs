using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Staff;

/// <summary>The staff list of open requests comes in pages and says when there is more, never stopping silently.</summary>
public sealed class OpenRequestListTests
{
    [Fact]
    public async Task OpenRequests_MoreThanOnePage_GivesAContinuationTokenUntilEveryRequestIsListed()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add(await SubmitAsync(client, factory.Services, $"person{i}@example.com"));
        }

        var seen = new List<string>();
        var tokens = new List<string?>();
        var path = "/api/admin/requests?max=2";
        for (var page = 0; page < 5 && path is not null; page++)
        {
            using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, path);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            seen.AddRange(body.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            var token = body.GetProperty("continuationToken").GetString();
            tokens.Add(token);
            path = body.GetProperty("next").GetString();
            Assert.Equal(token is not null, response.Headers.Contains("Link"));
        }

        Assert.Equal(3, tokens.Count);
        Assert.Null(tokens[^1]);
        Assert.Equal(submitted.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("?max=abc", "max")]
    [InlineData("?max=0", "max")]
    [InlineData("?max=501", "max")]
    [InlineData("?max=-1", "max")]
    [InlineData("?continuationToken=not-a-token", "continuationToken")]
    [InlineData("?continuationToken=bzEKMjAyNi0xMi0wMQp4CmRyXzE", "continuationToken")]
    [InlineData("?stauts=open", "stauts")]
    [InlineData("?max=10&status=overdue", "status")]
    public async Task OpenRequests_BadPagingField_Is400ProblemNamingTheField(string query, string field)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/requests" + query);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
