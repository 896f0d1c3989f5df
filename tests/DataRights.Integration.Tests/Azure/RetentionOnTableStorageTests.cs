using System.Globalization;
using DataRights.Core.Retention;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Storage.AzureTables;
using DataRights.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// Table storage (Azurite): the retention bookkeeping (policies, purge
/// reports and their audit chain, follow-up erasures) lives in Table storage with everything else, so any
/// instance can run or report a purge and nothing is kept in the instance's data folder.
/// </summary>
public sealed class RetentionOnTableStorageTests
{
    [Fact]
    public async Task OnTableStorage_AFollowUpErasure_IsScheduledCarriedOutAndReported_WithNoStoreFileOnTheInstance()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var settings = new Dictionary<string, string?>(DataRights.Testing.SharedTestKeys.Settings())
        {
            ["DataRights:Storage:TableEndpoint"] = azurite.TableEndpoint.ToString(),
            ["DataRights:Storage:BlobEndpoint"] = azurite.BlobEndpoint.ToString(),
            ["DataRights:Storage:AccountKey"] = AzureTableConnection.DevelopmentAccountKey,
            ["DataRights:Storage:TablePrefix"] = "Ret" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),

            // The Functions host's own account: the submission queue (and, on Azure, the task hub).
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
        };
        var (name, email, _) = DemoCrmConnector.Person(2);
        using var factory = new DataRightsFactory(settings: settings);
        using var client = factory.CreateClient();
        Assert.IsType<AzureTableRetentionPolicyStore>(factory.Services.GetRequiredService<IRetentionPolicyStore>());
        Assert.IsType<AzureTablePurgeStore>(factory.Services.GetRequiredService<IPurgeStore>());
        Assert.IsType<AzureTableFollowUpErasureStore>(factory.Services.GetRequiredService<IFollowUpErasureStore>());

        await SavePolicyAsync(client, "eu-west");
        var id = await EraseAsync(factory, client, name, email);
        var billing = Demo(factory, "billing.db");
        Assert.Equal(3, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        var scheduled = Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray());
        var due = scheduled.GetProperty("dueOn").GetString()!;

        factory.Clock.SetUtcNow(DateTimeOffset.Parse(due + "T09:00:00Z", CultureInfo.InvariantCulture));
        var report = await RunNowAsync(client, "eu-west", dryRun: false);

        Assert.Equal(0, Database.Scalar(billing, "SELECT COUNT(*) FROM invoices WHERE customer_email = $e", ("$e", email)));
        var line = Line(report, "billing", "billing.invoice", kind: "follow_up");
        Assert.Equal(("done", id, 3L), (line.GetProperty("state").GetString(), line.GetProperty("requestId").GetString(), Count(line, "purged")));
        Assert.True(report.GetProperty("audit").GetProperty("chainValid").GetBoolean());
        Assert.Contains(report.GetProperty("audit").GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "purge.finished");
        Assert.Equal("done", Assert.Single((await GetAsync(client, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray()).GetProperty("state").GetString());

        using var auditRequest = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var auditResponse = await client.SendAsync(auditRequest);
        var trail = await auditResponse.JsonAsync();
        Assert.True(trail.GetProperty("chainValid").GetBoolean());
        Assert.Single(trail.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "follow_up.erased");

        // Another instance on the same tables sees the same report, follow-up and policy.
        using var other = new DataRightsFactory(settings: settings);
        using var otherClient = other.CreateClient();
        var runId = report.GetProperty("id").GetString()!;
        Assert.Contains((await GetAsync(otherClient, "/api/admin/purges")).EnumerateArray(), r => r.GetProperty("id").GetString() == runId);
        Assert.Equal(3L, Count(Line(await GetAsync(otherClient, $"/api/admin/purges/{runId}"), "billing", "billing.invoice", kind: "follow_up"), "purged"));
        Assert.Equal("done", Assert.Single((await GetAsync(otherClient, $"/api/admin/purges/follow-ups?requestId={id}")).EnumerateArray()).GetProperty("state").GetString());
        Assert.Empty((await GetAsync(otherClient, "/api/admin/retention/eu-west")).GetProperty("rules").EnumerateArray());
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "datarights.db")), "a SQLite store file was opened on Table storage");
    }
}
