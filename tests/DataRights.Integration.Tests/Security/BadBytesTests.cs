using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Security;

/// <summary>Bytes that are not text, nulls where a list belongs and junk query values are the caller's mistake: 400 naming the field, nothing stored.</summary>
public sealed class BadBytesTests
{
    [Theory]
    [InlineData("lone surrogate", """{"type":"erasure","email":"a@example.com","fullName":"Pro\ud800be"}""")]
    [InlineData("lone low surrogate", """{"type":"erasure","email":"a@example.com","fullName":"Pro\udc00be"}""")]
    public async Task SubmitJson_LoneSurrogate_Returns400NamingTheField(string why, string json)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostRawAsync(json);

        await AssertProblemNamingAsync(response, "fullName", why);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task SubmitJson_InvalidUtf8_Returns400NamingTheField()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"type":"erasure","email":"a@example.com","fullName":"Pro"""), 0xFF, .. Encoding.UTF8.GetBytes("""be"}""")];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/requests", content);

        await AssertProblemNamingAsync(response, "fullName", "raw 0xFF");
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Fact]
    public async Task SubmitForm_NulInAField_Returns400AndStoresNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var token = Forms.CsrfToken(await client.GetStringAsync("/"));
        using var content = new StringContent(
            $"__csrf={Uri.EscapeDataString(token)}&type=erasure&email=a%40example.com&fullName=Pro%00be&jurisdiction=UK",
            Encoding.ASCII,
            "application/x-www-form-urlencoded");

        using var response = await client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("&quot;fullName&quot;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.Stored.RequestCountAsync());
    }

    [Theory]
    [InlineData("note", false)]
    [InlineData("question", false)]
    [InlineData("note", true)]
    [InlineData("question", true)]
    public async Task ApprovalPage_NulInAField_Returns400AndChangesNothing(string field, bool multipart)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approve = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");
        var token = Forms.CsrfToken(await client.GetStringAsync(approve));
        using HttpContent content = multipart
            ? new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new StringContent("ask"), "decision" }, { new StringContent("Why\0not"), field } }
            : new StringContent($"__csrf={Uri.EscapeDataString(token)}&decision=ask&{field}=Why%00not", Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync(approve, content);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {html}");
        Assert.True(html.Contains($"&quot;{field}&quot;", StringComparison.Ordinal) || html.Contains($"\"{field}\"", StringComparison.Ordinal), html);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Theory]
    [InlineData("""{"key":"billing2","displayName":"Billing","connectorType":"manual","access":"read","region":"eu-west","categories":null}""", "categories")]
    [InlineData("""{"key":"billing2","displayName":"Billing","connectorType":"manual","access":"read","region":"eu-west","categories":[null]}""", "categories[0]")]
    public async Task RegisterSource_NullCategories_Returns400NamingThemAndStoresNothing(string json, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await SendStaffAsync(client, HttpMethod.Put, "/api/admin/sources/billing2", json);

        await AssertProblemNamingAsync(response, field, json);
        using var list = await client.SendAsync(Workflow.WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/sources/billing2"));
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/admin/holds", """{"requestId":""", "body")]
    [InlineData("POST", "/api/admin/holds", """{"requestId":"Pro\ud800be","reason":"x"}""", "requestId")]
    [InlineData("PUT", "/api/admin/sources/crm2", """{"key":"crm2","displayName":7}""", "displayName")]
    [InlineData("GET", "/api/admin/suppressions?max=abc", null, "max")]
    [InlineData("GET", "/api/admin/purges?max=abc", null, "max")]
    public async Task StaffRoute_MalformedInput_Returns400NamingTheField(string method, string path, string? json, string field)
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        using var response = await SendStaffAsync(client, new HttpMethod(method), path, json);

        await AssertProblemNamingAsync(response, field, $"{method} {path}");
    }

    private static async Task<HttpResponseMessage> SendStaffAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = Workflow.WorkflowEndToEndTests.Staff(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertProblemNamingAsync(HttpResponseMessage response, string field, string why)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{why}: no error for '{field}' in {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }
}
