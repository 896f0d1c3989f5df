using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Retention;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// Records kept from an erasure for a legal reason are erased when their retention ends: the request
/// gets a follow-up for that day, the region's purge carries it out, and the request's own trail says so.
/// </summary>
public sealed class FollowUpErasureTests
{
    [Fact]
    public async Task FollowUp_AtTheRetentionEnd_DeletesTheNowExpiredInvoicesAndAuditsItOnTheRequest()
    {
        // Person 2's seeded invoices are 3 to 5 months old (to 2 August 2026); a newer one, 1 October 2026, is added.
        var (name, email, _) = DemoCrmConnector.Person(2);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var billing = Demo(factory, "billing.db");
        Database.Execute(billing, $"INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ('{email}', '2026-10-01', 2999)");

        // Only the follow-up erases invoices here: the policy has no invoice rule of its own.
        await SavePolicyAsync(client, "eu-west");
        var id = await EraseAsync(factory, client, name, email);

        Assert.Equal(4, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("We kept 4 records (Invoices)", completion.Text, StringComparison.Ordinal);
        Assert.Contains("until Saturday 1 October 2033", completion.Text, StringComparison.Ordinal);
        var scheduled = Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray());
        Assert.Equal("2033-10-02", scheduled.GetProperty("dueOn").GetString());
        Assert.Equal("billing", scheduled.GetProperty("sourceKey").GetString());

        // The day before it is due nothing happens; on the day, what has run out of retention goes.
        factory.Clock.SetUtcNow(new DateTimeOffset(2033, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await RunNowAsync(client, "eu-west", dryRun: false);
        Assert.Equal(4, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));

        factory.Clock.SetUtcNow(new DateTimeOffset(2033, 10, 2, 9, 0, 0, TimeSpan.Zero));
        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        Assert.Equal(0, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        Assert.Equal(3 * DemoCrmConnector.SeededPeople - 3, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices"));
        var line = Line(report, "billing", "billing.invoice", kind: "follow_up");
        Assert.Equal("done", line.GetProperty("state").GetString());
        Assert.Equal(id, line.GetProperty("requestId").GetString());
        Assert.Equal(4, Count(line, "purged"));

        using var auditRequest = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var auditResponse = await client.SendAsync(auditRequest);
        var audit = await auditResponse.JsonAsync();
        Assert.True(audit.GetProperty("chainValid").GetBoolean());
        var entry = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "follow_up.erased");
        Assert.Equal("system:retention", entry.GetProperty("actor").GetString());
        Assert.Equal("4", entry.GetProperty("details").GetProperty("erased").GetString());
        Assert.Equal("billing", entry.GetProperty("details").GetProperty("source").GetString());
        Assert.Equal("done", Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal("completed", await WorkflowEndToEndTests.StatusAsync(client, id));
    }

    [Fact]
    public async Task Erasure_OfARetainedCategory_DeletesRecordsPastTheirOwnRetentionAndFollowsUpTheRest()
    {
        var (name, email, _) = DemoCrmConnector.Person(6);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var billing = Demo(factory, "billing.db");

        // One invoice of 2018 has run out of its 7 years by November 2026; the person's three seeded ones (months old) have not.
        Database.Execute(billing, $"INSERT INTO invoices (customer_email, issued_on, amount_pence) VALUES ('{email}', '2018-03-01', 1999)");
        var id = await EraseAsync(factory, client, name, email);

        Assert.Equal(3, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        Assert.Equal(0, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e AND issued_on < '2019-01-01'", ("$e", email)));
        Assert.Contains("We kept 3 records (Invoices)", factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
        var followUp = Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray());
        Assert.Equal("pending", followUp.GetProperty("state").GetString());
    }

    [Fact]
    public async Task FollowUp_UnderALegalHold_WaitsAndSaysSoOnTheRequest()
    {
        var (name, email, _) = DemoCrmConnector.Person(7);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west");
        var id = await EraseAsync(factory, client, name, email);
        using (var hold = await WorkflowEndToEndTests.StaffPostAsync(client, "/api/admin/holds", new { scope = "person", email, reason = "Litigation hold, case 2031/7, keep invoices" }))
        {
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        }

        var due = Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray()).GetProperty("dueOn").GetString()!;
        factory.Clock.SetUtcNow(DateTimeOffset.Parse(due + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        Assert.Equal(3, Database.Scalar(Demo(factory, "billing.db"), "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        Assert.Equal("held", Line(report, "billing", "billing.invoice", kind: "follow_up").GetProperty("state").GetString());
        Assert.Equal("held", Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray()).GetProperty("state").GetString());
        using var auditRequest = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var auditResponse = await client.SendAsync(auditRequest);
        Assert.Contains((await auditResponse.JsonAsync()).GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "follow_up.held");
    }

    [Fact]
    public async Task FollowUp_CarriedOutByTwoRunsAtOnce_IsRecordedOnce_AndTheOtherRunsLineSaysSo()
    {
        var (name, email, _) = DemoCrmConnector.Person(2);
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await SavePolicyAsync(client, "eu-west");
        var id = await EraseAsync(factory, client, name, email);
        var now = new DateTimeOffset(2033, 10, 2, 9, 0, 0, TimeSpan.Zero);
        factory.Clock.SetUtcNow(now);
        var followUps = factory.Services.GetRequiredService<FollowUpErasures>();
        var due = Assert.Single(await factory.Services.GetRequiredService<IFollowUpErasureStore>().ListAsync(id, 10, CancellationToken.None));
        var registry = factory.Services.GetRequiredService<IDataSourceRegistry>();
        var source = registry.ActiveSources().Single(s => s.Key == "billing");
        var billing = registry.Connector("billing")!;
        PurgeContext Run(string runId) => new(
            new PurgeRun(runId, "eu-west", "staff:test", DryRun: false, now, now, PurgeRun.Running),
            PurgeRegions.Find("eu-west")!,
            DateOnly.FromDateTime(now.UtcDateTime),
            new RetentionPolicy("eu-west", []),
            new HashSet<string>(StringComparer.Ordinal),
            new Dictionary<string, LegalHold>(StringComparer.Ordinal),
            [],
            new Dictionary<string, SourceRegistration>(StringComparer.Ordinal),
            [due]);

        // The night's run and a staff run both listed the follow-up as due. While the night's run calls the source, the
        // staff run carries it out to the end.
        PurgeRow? staffLine = null;
        var night = new CallsFirst(billing, async () => staffLine = await followUps.CarryOutAsync(Run("pr_staff"), source, billing, due, null, CancellationToken.None));
        var nightLine = await followUps.CarryOutAsync(Run("pr_night"), source, night, due, null, CancellationToken.None);

        // A third run that listed it before and reaches it after: the source is not called again.
        var late = new CallsFirst(billing, () => Task.CompletedTask);
        var lateLine = await followUps.CarryOutAsync(Run("pr_late"), source, late, due, null, CancellationToken.None);

        Assert.Equal(0, Database.Scalar(Demo(factory, "billing.db"), "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        Assert.Equal((PurgeRow.Done, 3L), (staffLine!.State, staffLine.Purged));
        Assert.Equal((1, 0), (night.Erasures, late.Erasures));
        foreach (var line in new[] { nightLine, lateLine })
        {
            Assert.Equal((PurgeRow.Done, 0L), (line.State, line.Purged));
            Assert.Equal("Another purge run carried out this follow-up at the same time: its report has what was erased.", line.Note);
        }

        var trail = await factory.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(id, CancellationToken.None);
        var entry = Assert.Single(trail, e => e.Action == "follow_up.erased");
        Assert.Contains("pr_staff", entry.Details, StringComparison.Ordinal);
    }

    /// <summary>A source whose erasures are counted, and whose first erasure does something else first.</summary>
    private sealed class CallsFirst(IDataSourceConnector inner, Func<Task> first) : IDataSourceConnector
    {
        private Func<Task>? _first = first;

        public int Erasures { get; private set; }

        public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) => inner.TestAsync(cancellationToken);

        public Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken) => inner.DiscoverAsync(call, cancellationToken);

        public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
        {
            Erasures++;
            if (Interlocked.Exchange(ref _first, null) is { } before)
            {
                await before();
            }

            return await inner.ExecuteAsync(call, action, instructions, cancellationToken);
        }

        public Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken) => inner.ExportAsync(call, sink, cancellationToken);

        public Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken) => inner.PurgeAsync(command, cancellationToken);
    }
}
