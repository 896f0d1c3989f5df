using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Host.Links;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>Emailed links: forged, tampered, expired, replayed, wrong-purpose and cross-request tokens change nothing.</summary>
public sealed class LinkSecurityTests
{
    [Fact]
    public async Task VerifyLink_Get_ChangesNothing()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var link = VerifyLink(factory);

        for (var i = 0; i < 3; i++)
        {
            using var page = await client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal("awaiting_verification", await StatusAsync(client, id));
    }

    [Theory]
    [InlineData("tampered-payload")]
    [InlineData("tampered-signature")]
    [InlineData("forged")]
    [InlineData("truncated")]
    public async Task VerifyLink_Altered_IsRefusedAndChangesNothing(string how)
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var token = VerifyLink(factory)["/verify/".Length..];
        var (body, signature) = (token.Split('.')[0], token.Split('.')[1]);
        var altered = how switch
        {
            "tampered-payload" => Flip(body) + "." + signature,
            "tampered-signature" => body + "." + Flip(signature),
            "forged" => "eyJWIjoxLCJQIjoidmVyaWZ5In0." + signature,
            _ => body,
        };

        using var get = await client.GetAsync("/verify/" + altered);
        using var post = await client.PostAsync("/verify/" + altered, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("not valid", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_verification", await StatusAsync(client, id));
    }

    [Fact]
    public async Task VerifyLink_Expired_IsRefusedWith410()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var link = VerifyLink(factory);
        factory.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromSeconds(1));

        using var response = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("awaiting_verification", await StatusAsync(client, id));
    }

    [Fact]
    public async Task VerifyLink_PostWithoutTheFormToken_IsRefused()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();

        using var response = await client.PostAsync(VerifyLink(factory), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("awaiting_verification", await StatusAsync(client, id));
    }

    [Fact]
    public async Task VerifyLink_UsedTwice_SecondTimeShowsWhatHappened()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var link = VerifyLink(factory);
        await FollowAsync(client, link, "Yes, this is my request");

        // The confirmation's work (the search of each system) runs in the request's orchestration at once: let it finish.
        await factory.DrainAsync();
        var audit = await factory.Stored.AuditCountAsync();

        var again = await client.GetStringAsync(link);

        Assert.DoesNotContain("Yes, this is my request", again, StringComparison.Ordinal);
        Assert.Contains("You confirmed this request on", again, StringComparison.Ordinal);
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
    }

    [Fact]
    public async Task ApprovalLink_UsedOnTheVerifyPage_IsRefusedAsTheWrongPurpose()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approve = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");

        using var response = await client.GetAsync(approve.Replace("/approve/", "/verify/", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task VerifyLink_OfAnotherRequest_VerifiesOnlyItsOwnRequest()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var first = await SubmitAsync(client, factory.Services, "first@example.com");
        var second = await SubmitAsync(client, factory.Services, "second@example.com");
        await factory.DrainAsync();
        var firstLink = factory.Outbox.Single(m => m.To == "first@example.com").PathOfLink("/verify/");

        await FollowAsync(client, firstLink, "Yes, this is my request");
        await factory.DrainAsync();

        Assert.Equal("awaiting_approval", await StatusAsync(client, first));
        Assert.Equal("awaiting_verification", await StatusAsync(client, second));
    }

    [Fact]
    public async Task ApprovalLink_SecondDecision_ShowsTheFirstOneAndChangesNothing()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approve = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");
        await FollowAsync(client, approve, "Reject the request", ("decision", "reject"), ("reason", "excessive"), ("note", "Third identical request this month."));

        var page = await client.GetStringAsync(approve);

        Assert.Contains("Decision: rejected by approver@example.com (approver, by emailed link)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Approve and carry out", page, StringComparison.Ordinal);
        Assert.Equal("rejected", await StatusAsync(client, id));
    }

    [Fact]
    public async Task ApprovalLink_FromRoundOnePostedAfterTheRequesterAnswered_IsRefusedAndChangesNothing()
    {
        using var factory = TwoApprovers();
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var linkA = factory.Outbox.Single(m => m.To == "a@example.com").PathOfLink("/approve/");
        var linkB = factory.Outbox.Single(m => m.To == "b@example.com").PathOfLink("/approve/");
        var pageB = await client.GetStringAsync(linkB);
        Assert.Contains("Approve and carry out", pageB, StringComparison.Ordinal);

        await FollowAsync(client, linkA, "Send question", ("decision", "ask"), ("question", "Which account do you mean?"));
        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single(m => m.Links.Any(l => l.Contains("/information/", StringComparison.Ordinal))).PathOfLink("/information/"),
            "Send my answer", ("answer", "The one ending 1001."));
        await factory.DrainAsync();
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        var audit = await factory.Stored.AuditCountAsync();

        using var post = await client.PostAsync(linkB, new FormUrlEncodedContent([new("decision", "approve"), new("__csrf", Forms.CsrfToken(pageB))]));
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Contains("earlier round", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
        var stale = await client.GetStringAsync(linkB);
        Assert.DoesNotContain("Approve and carry out", stale, StringComparison.Ordinal);
        var roundTwo = factory.Outbox.Where(m => m.To == "b@example.com").Select(m => m.PathOfLink("/approve/")).Last();
        Assert.Contains("Approve and carry out", await client.GetStringAsync(roundTwo), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InformationLink_AnsweredOnce_SecondPostChangesNothing()
    {
        using var factory = TwoApprovers();
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        await FollowAsync(client, factory.Outbox.Single(m => m.To == "a@example.com").PathOfLink("/approve/"), "Send question", ("decision", "ask"), ("question", "Which account?"));
        await factory.DrainAsync();
        var info = factory.Outbox.Single(m => m.Links.Any(l => l.Contains("/information/", StringComparison.Ordinal))).PathOfLink("/information/");
        var page = await client.GetStringAsync(info);
        await FollowAsync(client, info, "Send my answer", ("answer", "First answer."));
        await factory.DrainAsync();
        var audit = await factory.Stored.AuditCountAsync();

        using var again = await client.PostAsync(info, new FormUrlEncodedContent([new("answer", "Second answer."), new("__csrf", Forms.CsrfToken(page))]));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Nothing was changed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    private static DataRightsFactory TwoApprovers() => new(settings: new Dictionary<string, string?>
    {
        ["DataRights:Workflow:Approvers:0"] = "a@example.com",
        ["DataRights:Workflow:Approvers:1"] = "b@example.com",
    })
    { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };

    [Fact]
    public async Task VerifyLink_PostedTwice_TheSecondDecidedAfterTheFirstConfirmed_SaysItIsConfirmed_NotThatItFailed()
    {
        OneStaleRead? store = null;
        using var factory = StaleReadFactory(s => store = s);
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.DrainAsync();
        var link = VerifyLink(factory);
        var csrf = Forms.CsrfToken(await client.GetStringAsync(link));
        var asSent = await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None);

        using (var first = await client.PostAsync(link, Form(csrf)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await factory.DrainAsync();
        // A double click: the second post read the request before the first one's decision landed.
        store!.Next = asSent;
        using var second = await client.PostAsync(link, Form(csrf));
        var page = await second.Content.ReadAsStringAsync();

        Assert.Contains("You confirmed this request on", page, StringComparison.Ordinal);
        Assert.DoesNotContain("could not confirm", page, StringComparison.Ordinal);
        Assert.Single(await factory.Stored.AuditAsync("identity.verified"));
    }

    [Fact]
    public async Task ApprovalLink_PostedTwice_TheSecondDecidedAfterTheFirst_ShowsTheDecision_NotThatItWasNotDone()
    {
        OneStaleRead? store = null;
        using var factory = StaleReadFactory(s => store = s);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approve = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");
        var csrf = Forms.CsrfToken(await client.GetStringAsync(approve));
        var asSent = await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None);
        (string, string)[] reject = [("decision", "reject"), ("reason", "excessive")];

        using (var first = await client.PostAsync(approve, Form(csrf, reject)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await factory.DrainAsync();
        store!.Next = asSent;
        using var second = await client.PostAsync(approve, Form(csrf, reject));
        var page = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync());

        Assert.Contains("Decision: rejected by approver@example.com (approver, by emailed link)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("That was not done", page, StringComparison.Ordinal);
        Assert.Equal("rejected", await StatusAsync(client, id));
    }

    private static FormUrlEncodedContent Form(string csrf, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__csrf", csrf)));

    private static DataRightsFactory StaleReadFactory(Action<OneStaleRead> made) => new()
    {
        Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")),
        // Only the link pages read through it; the engine that decides reads the store itself.
        ConfigureServices = services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LinkContext>(sp, OneStaleRead.Around(sp.GetRequiredService<IRequestStore>(), made))),
    };

    /// <summary>The request store as the link pages read it: the next read (once <see cref="Next"/> is set) answers with that request as it was.</summary>
    public class OneStaleRead : System.Reflection.DispatchProxy
    {
        private IRequestStore? _inner;
        private DataSubjectRequest? _next;

        public DataSubjectRequest? Next
        {
            set => Volatile.Write(ref _next, value);
        }

        public static IRequestStore Around(IRequestStore inner, Action<OneStaleRead> made)
        {
            var proxy = Create<IRequestStore, OneStaleRead>();
            var stale = (OneStaleRead)(object)proxy;
            stale._inner = inner;
            made(stale);
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IRequestStore.GetAsync) && Interlocked.Exchange(ref _next, null) is { } stale
                ? Task.FromResult<DataSubjectRequest?>(stale)
                : targetMethod.Invoke(_inner, args);
    }

    private static DataRightsFactory NewFactory() => new() { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };

    private static string VerifyLink(DataRightsFactory factory) =>
        factory.Outbox.Single(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal)).PathOfLink("/verify/");

    private static string Flip(string text) => (text[5] == 'A' ? "B" : "A") is var c ? text[..5] + c + text[6..] : text;
}
