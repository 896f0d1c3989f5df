using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Integration.Tests.Staff;

/// <summary>
/// A staff list refuses a query parameter it does not take, naming it, rather than answering as if no filter had been
/// asked for; the parameters it does take still work.
/// </summary>
public sealed class ListQueryTests
{
    [Theory]
    [InlineData("/api/admin/purges?region=uk", "region")]
    [InlineData("/api/admin/purges?max=5&dryRun=true", "dryRun")]
    [InlineData("/api/admin/purges/follow-ups?request=DR-2026-000001", "request")]
    [InlineData("/api/admin/suppressions?email=a%40example.com", "email")]
    [InlineData("/api/admin/holds?active=true", "active")]
    [InlineData("/api/admin/sources?type=sql", "type")]
    [InlineData("/api/admin/restrictions?status=lifted", "status")]
    [InlineData("/api/admin/retention?region=eu", "region")]
    public async Task List_GivenAQueryParameterItDoesNotTake_Is400ProblemNamingIt(string path, string field)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, path);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("cannot be filtered", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal($"Check this field: {field}.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/admin/purges?max=5")]
    [InlineData("/api/admin/purges/follow-ups?requestId=DR-2026-000001")]
    [InlineData("/api/admin/suppressions?after=00&max=10")]
    [InlineData("/api/admin/holds")]
    [InlineData("/api/admin/requests?max=3")]
    public async Task List_GivenOnlyTheParametersItTakes_Answers(string path)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        using var client = factory.CreateClient();

        using var request = Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, path);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
