using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>The steps most end-to-end tests share: a person asks, then confirms from their email as a person would.</summary>
public static class Journeys
{
    /// <summary>Submits a request and follows its (new) verification link; the work it causes is run.</summary>
    public static async Task SubmitAndVerifyAsync(DataRightsFactory factory, HttpClient client, string type, string name, string email, string? details = null, string jurisdiction = "UK")
    {
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        using (var submitted = await client.PostJsonAsync(new { type, email, fullName = name, jurisdiction, details }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var verify = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        await WorkflowEndToEndTests.FollowAsync(client, verify.PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
    }
}
