using System.Net;
using DataRights.Integration.Tests.Infrastructure;

namespace DataRights.Integration.Tests.Intake;

public sealed class StatusLinkTests
{
    [Fact]
    public async Task Status_WithToken_ShowsProgressWithoutPersonalData()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var submitted = await client.PostJsonAsync(Submissions.Valid("private.person@example.com"));
        var token = await factory.Services.StatusTokenAsync("private.person@example.com");

        using var response = await client.GetAsync("/api/status/" + token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var status = await response.JsonAsync();
        Assert.Equal("DR-2026-000001", status.GetProperty("reference").GetString());
        Assert.Equal("awaiting_verification", status.GetProperty("status").GetString());
        Assert.Equal("received", status.GetProperty("history")[0].GetProperty("status").GetString());

        // Now in the present tense, the history in the past.
        Assert.Equal("We are waiting for you to confirm your email address.", status.GetProperty("statusText").GetString());
        Assert.Equal(
            ["We received your request.", "We emailed you a link to confirm your request."],
            status.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
        Assert.DoesNotContain("private.person", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Jane", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPage_WithToken_ShowsReferenceAndDueDate()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var submitted = await client.PostJsonAsync(Submissions.Valid());
        var token = await factory.Services.StatusTokenAsync("jane.doe@example.com");

        using var response = await client.GetAsync("/status/" + token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("DR-2026-000001", html, StringComparison.Ordinal);
        Assert.Contains("Wednesday 2 December 2026", html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Status_ByRequestIdOrReference_RevealsNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        using var submitted = await client.PostJsonAsync(Submissions.Valid());
        var request = await factory.Services.WaitingRequestAsync("jane.doe@example.com");
        var (id, reference) = (request.Id, request.Reference);

        foreach (var path in new[] { $"/api/status/{id}", $"/status/{id}", $"/api/requests/{id}", $"/api/status/{reference}", "/api/status/" + new string('A', 43) })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("Jane", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Restart_NewHostOnTheSameStore_StillServesTheRequestAndContinuesReferences()
    {
        string dataDirectory;
        string statusPath;
        using (var first = new DataRightsFactory { KeepData = true })
        {
            dataDirectory = first.DataDirectory;
            using var client = first.CreateClient();
            using var submitted = await client.PostJsonAsync(Submissions.Valid());
            statusPath = "/api/status/" + await first.Services.StatusTokenAsync("jane.doe@example.com");
        }

        try
        {
            using var second = new DataRightsFactory(dataDirectory: dataDirectory);
            using var client = second.CreateClient();

            using var status = await client.GetAsync(statusPath);
            using var next = await client.PostJsonAsync(Submissions.Valid("another@example.com"));

            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Equal("DR-2026-000001", (await status.JsonAsync()).GetProperty("reference").GetString());
            Assert.Equal("DR-2026-000002", (await second.Services.WaitingRequestAsync("another@example.com")).Reference);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A step of the first host's orchestration finishing as it stopped may still be writing its file; as the
                // factory does, leave what is left to the OS temp cleaner (the clean-clone run failed once here).
            }
        }
    }
}
