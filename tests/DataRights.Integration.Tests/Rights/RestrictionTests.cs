using System.Net;
using System.Net.Http.Json;
using DataRights.Core.Ports;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Rights;

/// <summary>Restriction (Art. 18): records marked at each source that can, listed until lifted, and the person told before it is lifted.</summary>
public sealed class RestrictionTests
{
    [Fact]
    public async Task Restriction_IsMarkedListedAndLiftedOnlyAfterThePersonWasTold()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var (name, email, _) = DemoCrmConnector.Person(41);
        var crm = Path.Combine(factory.DataDirectory, "sources", "crm.db");
        var newsletter = Path.Combine(factory.DataDirectory, "sources", "newsletter.db");
        await Journeys.SubmitAndVerifyAsync(factory, client, "restriction", name, email, "I dispute my bill; do not use my data until it is settled.");
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com").PathOfLink("/approve/");
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(approval));
        Assert.Contains("<li>Newsletter subscribers: their data is only stored, not used, until the restriction is lifted.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>Billing: this system cannot mark records as restricted: the privacy team makes sure their data is not used until the restriction is lifted.</li>", page, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, approval, "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Equal(1, Database.Scalar(crm, "SELECT restricted FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(1, Database.Scalar(newsletter, "SELECT restricted FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(crm, "SELECT COUNT(*) FROM contacts WHERE restricted = 1 AND email <> $e", ("$e", email)));
        Assert.Contains("marked 1 record as restricted", factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
        Assert.Equal(
            "Data protection request " + (await factory.Stored.SingleRequestAsync()).Reference + ": use of personal data restricted",
            factory.Outbox.Single(m => m.To == "privacy@crm-host.example").Subject);
        var id = (await factory.Stored.SingleRequestAsync()).Id;
        var listed = await ListAsync(client);
        Assert.Equal(id, Assert.Single(listed).GetProperty("id").GetString());

        using (var tooShort = await LiftAsync(client, id, "ok"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        }

        using (var lift = await LiftAsync(client, id, "The billing dispute was settled on 20 November."))
        {
            Assert.Equal(HttpStatusCode.OK, lift.StatusCode);
        }

        await factory.DrainAsync();
        var notice = factory.Outbox.Single(m => m.Subject.StartsWith("We will lift the restriction", StringComparison.Ordinal));
        Assert.Equal(email, notice.To);
        Assert.Contains("The billing dispute was settled on 20 November.", notice.Text, StringComparison.Ordinal);
        using (var again = await LiftAsync(client, id, "The billing dispute was settled on 20 November."))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        // The closed request keeps the lift's timer (no work item): its run stays open, its orchestration waiting for it.
        var waiting = await Durable.DurableJourneyTests.StepAsync(factory, id, "completed", until: s => s.Timers.Count > 0);
        Assert.Equal(["restriction-lift:1"], waiting.Timers);
        Assert.False((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.RunEnded);

        await factory.AdvanceAsync(TimeSpan.FromDays(6.9));
        Assert.Equal(1, Database.Scalar(crm, "SELECT restricted FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Single(await ListAsync(client));

        await factory.AdvanceAsync(TimeSpan.FromDays(0.2));
        Assert.Equal(0, Database.Scalar(crm, "SELECT restricted FROM contacts WHERE email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(newsletter, "SELECT restricted FROM subscribers WHERE email = $e", ("$e", email)));
        Assert.Empty(await ListAsync(client));
        Assert.Single(await factory.Stored.AuditAsync("restriction.lifted"));

        // Lifted, nothing is left: the run has ended.
        Assert.True((await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.RunEnded);
    }

    private static async Task<List<System.Text.Json.JsonElement>> ListAsync(HttpClient client)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/restrictions");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).EnumerateArray()];
    }

    private static async Task<HttpResponseMessage> LiftAsync(HttpClient client, string id, string reason)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Post, $"/api/admin/restrictions/{id}/lift");
        request.Content = JsonContent.Create(new { reason });
        return await client.SendAsync(request);
    }
}
