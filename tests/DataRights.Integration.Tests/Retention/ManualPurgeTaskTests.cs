using System.Net;
using System.Net.Http.Json;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Retention;

/// <summary>
/// Retention purges of a manual source: its owner is emailed one task per category (not one a night), confirms
/// from a signed link how many records they deleted, and the report line and the retention chain record it.
/// </summary>
public sealed class ManualPurgeTaskTests
{
    private const string Owner = "accounts.clerk@example.com";

    [Fact]
    public async Task RegionPurge_EmailsTheOwnerOneTask_WhoseConfirmationCompletesTheLine_AndIsAudited()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await SavePolicyAsync(client, "eu-west", Rule("billing.ledger", "P6Y"));

        var first = await RunNowAsync(client, "eu-west", dryRun: false);

        var line = Line(first, "sage", "billing.ledger");
        Assert.Equal("task_sent", line.GetProperty("state").GetString());
        Assert.Equal("completed", first.GetProperty("status").GetString());
        var task = Assert.Single(factory.Outbox, m => m.To == Owner);
        Assert.Contains("delete Billing ledger dated before", task.Subject, StringComparison.Ordinal);
        Assert.Contains("Test rule: kept this long", task.Text, StringComparison.Ordinal);
        Assert.Contains("keeps Billing ledger for 6 years counted from created", task.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("billing.ledger", task.Subject + task.Text, StringComparison.Ordinal);
        Assert.Contains("Nobody is under a legal hold", task.Text, StringComparison.Ordinal);

        // The next night: the task is still open, so no second email.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var second = await RunNowAsync(client, "eu-west", dryRun: false);
        var open = Line(second, "sage", "billing.ledger");
        Assert.Equal("task_open", open.GetProperty("state").GetString());
        Assert.Contains("is still open: no new one was sent", open.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Single(factory.Outbox, m => m.To == Owner);

        var path = task.PathOfLink("/purge-task/");
        var page = await client.GetStringAsync(path);
        Assert.Contains("Delete old records in Sage accounts", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Records</dt><dd>Billing ledger</dd>", page, StringComparison.Ordinal);
        await WorkflowEndToEndTests.FollowAsync(client, path, "Record what I deleted", ("deleted", "17"), ("note", "Ledgers before 2020 removed from the archive."));

        var report = await GetAsync(client, $"/api/admin/purges/{first.GetProperty("id").GetString()}");
        var done = Line(report, "sage", "billing.ledger");
        Assert.Equal(("done", 17L), (done.GetProperty("state").GetString(), Count(done, "purged")));
        Assert.Contains("Deleted by hand by its owner", done.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains(": 17 records.", done.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("Billing ledger", done.GetProperty("categoryName").GetString());
        Assert.Contains("Ledgers before 2020 removed", done.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Owner, report.GetRawText(), StringComparison.Ordinal);
        var audit = report.GetProperty("audit");
        Assert.True(audit.GetProperty("chainValid").GetBoolean());
        var entry = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "purge.confirmed_by_owner");
        Assert.Equal("owner of sage", entry.GetProperty("actor").GetString());
        Assert.Equal("17", entry.GetProperty("details").GetProperty("purged").GetString());
        Assert.False(entry.GetProperty("details").TryGetProperty("note", out _));

        // Single use: the link now says the task is done, and a second answer changes nothing.
        Assert.Contains("This task is done", await client.GetStringAsync(path), StringComparison.Ordinal);

        // Once answered, the next run sends a new task for what has run out since.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await RunNowAsync(client, "eu-west", dryRun: false);
        Assert.Equal(2, factory.Outbox.Count(m => m.To == Owner));
    }

    [Fact]
    public async Task Confirmation_WithABadCount_RecordsNothing_AndATamperedLinkIsRefused()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await SavePolicyAsync(client, "eu-west", Rule("billing.ledger", "P6Y"));
        var run = await RunNowAsync(client, "eu-west", dryRun: false);
        var path = factory.Outbox.Single(m => m.To == Owner).PathOfLink("/purge-task/");

        var page = await client.GetStringAsync(path);
        using var bad = await client.PostAsync(path, new FormUrlEncodedContent([new("deleted", "-3"), new("__csrf", Forms.CsrfToken(page))]));
        using var tampered = await client.GetAsync(path[..^3] + (path[^3..] == "AAA" ? "BBB" : "AAA"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        var report = await GetAsync(client, $"/api/admin/purges/{run.GetProperty("id").GetString()}");
        Assert.Equal("task_sent", Line(report, "sage", "billing.ledger").GetProperty("state").GetString());
    }

    [Fact]
    public async Task DryRun_SendsNoTask()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        await RegisterAsync(client);
        await SavePolicyAsync(client, "eu-west", Rule("billing.ledger", "P6Y"));

        var report = await RunNowAsync(client, "eu-west", dryRun: true);

        Assert.Contains("would be emailed a task", Line(report, "sage", "billing.ledger").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Outbox, m => m.To == Owner);
    }

    private static async Task RegisterAsync(HttpClient client)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Put, "/api/admin/sources/sage");
        request.Content = JsonContent.Create(new
        {
            displayName = "Sage accounts", connectorType = "manual", access = "read-write", region = "eu-west",
            connection = new Dictionary<string, string> { ["owner"] = Owner },
            identityFields = new[] { "email", "name" },
            categories = new[] { new { key = "billing.ledger", displayName = "Billing ledger", strategy = "delete" } },
        });
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
