using System.Net;
using System.Text;
using DataRights.Integration.Tests.Infrastructure;

namespace DataRights.Integration.Tests.Intake;

/// <summary>Every kind of bad input gets 400 problem+json naming the field, and nothing is stored.</summary>
public sealed class IntakeBadInputTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "unknown type", """{"type":"delete-everything","email":"a@example.com","fullName":"A B"}""", "type" },
        { "missing type", """{"email":"a@example.com","fullName":"A B"}""", "type" },
        { "malformed JSON", """{"type":"erasure","email":"a@example.com",""", "body" },
        { "not an object", """["erasure","a@example.com"]""", "body" },
        { "empty body", "", "body" },
        { "invalid email", """{"type":"erasure","email":"not-an-email","fullName":"A B"}""", "email" },
        { "email without domain dot", """{"type":"erasure","email":"a@localhost","fullName":"A B"}""", "email" },
        { "missing email", """{"type":"erasure","fullName":"A B"}""", "email" },
        { "missing name", """{"type":"erasure","email":"a@example.com"}""", "fullName" },
        { "blank name", """{"type":"erasure","email":"a@example.com","fullName":"   "}""", "fullName" },
        { "over-long name", $$"""{"type":"erasure","email":"a@example.com","fullName":"{{new string('n', 201)}}"}""", "fullName" },
        { "over-long details", $$"""{"type":"erasure","email":"a@example.com","fullName":"A B","details":"{{new string('d', 4001)}}"}""", "details" },
        { "over-long account reference", $$"""{"type":"erasure","email":"a@example.com","fullName":"A B","accountReference":"{{new string('r', 101)}}"}""", "accountReference" },
        { "control character in name", """{"type":"erasure","email":"a@example.com","fullName":"A\u0007B"}""", "fullName" },
        { "NUL in details", """{"type":"erasure","email":"a@example.com","fullName":"A B","details":"x\u0000y"}""", "details" },
        { "line break in name", """{"type":"erasure","email":"a@example.com","fullName":"A\nB"}""", "fullName" },
        { "direction override in name", """{"type":"erasure","email":"a@example.com","fullName":"A\u202EB"}""", "fullName" },
        { "unknown jurisdiction", """{"type":"erasure","email":"a@example.com","fullName":"A B","jurisdiction":"Mars"}""", "jurisdiction" },
        { "number instead of text", """{"type":"erasure","email":42,"fullName":"A B"}""", "email" },
        { "unknown field", """{"type":"erasure","email":"a@example.com","fullName":"A B","isAdmin":true}""", "isAdmin" },
        { "field given twice", """{"type":"erasure","email":"a@example.com","fullName":"A B","email":"b@example.com"}""", "email" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Submit_BadInput_Returns400NamingTheFieldAndStoresNothing(string why, string json, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostRawAsync(json);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{why}: no error for '{field}' in {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));

        // The detail names what to check, in words that fit their number.
        var named = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Equal(named.Count == 1 ? $"Check this field: {field}." : $"Check these fields: {string.Join(", ", named)}.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_BodyOver64KiB_Returns400NamingTheBody()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var json = $$"""{"type":"erasure","email":"a@example.com","fullName":"A B","details":"{{new string('x', 70_000)}}"}""";

        using var response = await client.PostRawAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Contains("64 KiB", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_ChunkedBodyOver64KiBWithoutLength_Returns400()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var bytes = Encoding.UTF8.GetBytes($$"""{"type":"erasure","email":"a@example.com","fullName":"{{new string('x', 80_000)}}"}""");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task Submit_SeveralProblems_AreAllReportedAtOnce()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostRawAsync("""{"type":"nope","email":"nope","jurisdiction":"nope"}""");

        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("type", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("fullName", out _));
        Assert.True(errors.TryGetProperty("jurisdiction", out _));
    }

    [Fact]
    public async Task Submit_NotJson_Returns415()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostRawAsync("type=erasure", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }
}
