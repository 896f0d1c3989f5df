using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Testing;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The gateway over Azure.Data.Tables against a fake Table service (no Azurite): paging, retries, tokens, refusals.</summary>
public sealed class TableGatewayTests
{
    private static readonly Uri Azurite = new("http://127.0.0.1:10002/devstoreaccount1");

    [Fact]
    public async Task Query_FollowsContinuationHeaders_ThroughEmptyPages()
    {
        var service = new FakeTableService(
            Page(["a"], next: ("p1", "r1")),
            Page([], next: ("p2", "r2")),
            Page([], next: ("p3", "r3")),
            Page(["b", "c"], next: null));
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Paging") with { Transport = service.Transport });

        var rows = await store.Client.QueryAsync("PagingQueue", "PartitionKey eq 'queue'", null, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], rows.Select(r => r.RowKey));
        Assert.Equal(4, service.Requests.Count);
        Assert.DoesNotContain("NextPartitionKey", service.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=p1&NextRowKey=r1", service.Requests[1].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=p3&NextRowKey=r3", service.Requests[3].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_WithALimit_StopsOnceItHasEnough_EvenWithMorePages()
    {
        var service = new FakeTableService(Page([], next: ("p1", "r1")), Page(["a", "b"], next: ("p2", "r2")), Page(["c"], next: null));
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Paging") with { Transport = service.Transport });

        var rows = await store.Client.QueryAsync("PagingQueue", "PartitionKey eq 'queue'", 2, CancellationToken.None);

        Assert.Equal(["a", "b"], rows.Select(r => r.RowKey));
        Assert.Equal(2, service.Requests.Count);
        Assert.Contains("top=2", service.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryPages_StoppedByItsPageLimit_SaysWhereTheServiceStopped_InAzuresAndAzuritesEncodings()
    {
        var service = new FakeTableService(
            Page([], next: (AzureKey("20261201"), AzureKey("20261201_0638999_dr_1"))),
            Page([], next: (AzuriteKey("20261202"), AzuriteKey("20261202_0638999_dr_2"))),
            Page([], next: (AzureKey("20261203"), null)));
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Pages") with { Transport = service.Transport });

        var (_, first, _) = await store.Client.QueryPagesAsync("PagesInbox", "PartitionKey ge '2026'", 5, 1, CancellationToken.None);
        var (_, second, _) = await store.Client.QueryPagesAsync("PagesInbox", "PartitionKey ge '2026'", 5, 1, CancellationToken.None);
        var (_, third, _) = await store.Client.QueryPagesAsync("PagesInbox", "PartitionKey ge '2026'", 5, 1, CancellationToken.None);

        Assert.Equal(new ContinuationPlace("20261201", "20261201_0638999_dr_1"), first);
        Assert.Equal(new ContinuationPlace("20261202", "20261202_0638999_dr_2"), second);
        Assert.Equal(new ContinuationPlace("20261203", null), third);
    }

    [Fact]
    public async Task Inbox_ServiceStoppingBetweenDaysWithNothingFoundYet_GoesOnFromTheNextDay_NotTheEndOfTheList()
    {
        // Azure may end a page between partitions with no rows and no row key: the reading spends its round trips and
        // must say where to go on from, not that the list has ended.
        var service = new FakeTableService(
            Page([], next: (AzureKey("20261020"), null)),
            Page([], next: (AzureKey("20261021"), null)),
            Page([], next: (AzureKey("20261022"), null)),
            Page([], next: (AzureKey("20261023"), null)));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
        var store = new AzureTableRequestStore(new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Inbox") with { Transport = service.Transport }, clock));

        var page = await store.ListAsync(new InboxFilter(), null, 25, CancellationToken.None);

        Assert.Empty(page.Entries);
        Assert.True(page.ScannedOut);
        Assert.Equal(new OpenRequestCursor(new DateOnly(2026, 10, 23), DateTimeOffset.MinValue, "0"), page.Next);
    }

    [Fact]
    public async Task Retries_AreSignedAfresh_WithTheirOwnDate()
    {
        var busy = new FakeResponse(HttpStatusCode.ServiceUnavailable, "{}", new Dictionary<string, string> { ["Retry-After"] = "1" });
        var service = new FakeTableService(busy, Page([], next: null));
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Retry") with { Transport = service.Transport });

        await store.Client.QueryAsync("RetryQueue", "PartitionKey eq 'queue'", null, CancellationToken.None);

        Assert.Equal(2, service.Requests.Count);
        Assert.NotEqual(service.Requests[0].Headers["x-ms-date"], service.Requests[1].Headers["x-ms-date"]);
        Assert.NotEqual(service.Requests[0].Headers["Authorization"], service.Requests[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task WithATokenCredential_SendsAnEntraBearerTokenForStorage()
    {
        var service = new FakeTableService(Page([], next: null));
        var credential = new FakeCredential();
        var connection = AzureTableConnection.WithCredential(new Uri("https://contoso.table.core.windows.net"), null, credential) with { Transport = service.Transport };
        var store = new AzureTableStore(connection);

        await store.Client.QueryAsync("DataRightsQueue", "PartitionKey eq 'queue'", null, CancellationToken.None);

        Assert.Equal("contoso", connection.AccountName);
        Assert.Equal("Bearer token-for-storage", Assert.Single(service.Requests).Headers["Authorization"]);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task AnUnexpectedRefusal_ThrowsWithStatusAndCode_NotTheBody()
    {
        var service = new FakeTableService(new FakeResponse(HttpStatusCode.Forbidden, """{"odata.error":{"code":"AuthorizationFailure","message":{"lang":"en-US","value":"Server failed to authenticate the request."}}}"""));
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "Refused") with { Transport = service.Transport });

        var error = await Assert.ThrowsAsync<TableStorageException>(() => store.Client.GetAsync("RefusedRequests", "dr_1", "request", CancellationToken.None));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailure", error.ErrorCode);
        Assert.Contains("read from RefusedRequests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_AreEscapedToUrlSafeText_AndSafeKeysStayAsTheyAre()
    {
        Assert.Equal("dr_0a1B-2.c", TableKeys.Escape("dr_0a1B-2.c"));
        Assert.Equal("a~002fb~0023c~003fd~005ce~007e~00e9", TableKeys.Escape("a/b#c?d\\e~é"));
        Assert.NotEqual(TableKeys.Escape("a/b"), TableKeys.Escape("a~002fb"));
    }

    // A key as Azure sends it in a continuation header (1!length!base64, '-' for '='), and as Azurite does (base64).
    private static string AzureKey(string key)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(key));
        return "1!" + encoded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "!" + encoded.Replace('=', '-');
    }

    private static string AzuriteKey(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    private static FakeResponse Page(string[] rowKeys, (string Partition, string? Row)? next)
    {
        var json = "{\"value\":[" + string.Join(",", rowKeys.Select(k => $$"""{"odata.etag":"W/\"1\"","PartitionKey":"queue","RowKey":"{{k}}","Attempts":1}""")) + "]}";
        var headers = new Dictionary<string, string>();
        if (next is { } n)
        {
            headers["x-ms-continuation-NextPartitionKey"] = n.Partition;
            if (n.Row is not null)
            {
                headers["x-ms-continuation-NextRowKey"] = n.Row;
            }
        }

        return new FakeResponse(HttpStatusCode.OK, json, headers);
    }

    private sealed record FakeResponse(HttpStatusCode Status, string Body, Dictionary<string, string>? Headers = null);

    private sealed record SeenRequest(Uri Uri, Dictionary<string, string> Headers);

    /// <summary>Answers each request with the next scripted response and remembers what was sent.</summary>
    private sealed class FakeTableService(params FakeResponse[] responses) : HttpMessageHandler
    {
        private int _next;

        public List<SeenRequest> Requests { get; } = [];

        public HttpPipelineTransport Transport => new HttpClientTransport(this);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new SeenRequest(request.RequestUri!, headers));
            var scripted = responses[Math.Min(_next++, responses.Length - 1)];
            var response = new HttpResponseMessage(scripted.Status) { Content = new StringContent(scripted.Body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in scripted.Headers ?? [])
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        }
    }

    private sealed class FakeCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-storage", TimeProvider.System.GetUtcNow().AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
