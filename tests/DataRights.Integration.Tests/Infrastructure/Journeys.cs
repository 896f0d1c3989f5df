using DataRights.Integration.Tests.Workflow;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>The steps most end-to-end tests share: a person asks, then confirms from their email as a person would.</summary>
public static class Journeys
{
    /// <summary>Submits a request and follows its (new) verification link; the work it causes is run.</summary>
    public static async Task SubmitAndVerifyAsync(
        DataRightsFactory factory, HttpClient client, string type, string name, string email, string? details = null, string jurisdiction = "UK", params (string Name, string Value)[] verification)
    {
        var seen = factory.Outbox.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        using (var submitted = await client.PostJsonAsync(new { type, email, fullName = name, jurisdiction, details }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var verify = factory.Outbox.Single(m => !seen.Contains(m.FileName) && m.Subject.StartsWith("Please confirm", StringComparison.Ordinal));
        await WorkflowEndToEndTests.FollowAsync(client, verify.PathOfLink("/verify/"), "Yes, this is my request", verification);
        await factory.DrainAsync();
    }

    /// <summary>
    /// What demo person <paramref name="n"/> gives on the verification page where the law asks for the most (California,
    /// specific pieces): three details the demo sources hold (CRM phone and account, billing's last invoice) and the declaration.
    /// </summary>
    public static (string Name, string Value)[] DemoPersonProof(int n)
    {
        var (name, _, account) = DataRights.Host.Sources.DemoCrmConnector.Person(n);
        return
        [
            ("dataPoints.phone", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+44 7700 9{n:D5}")),
            ("dataPoints.accountNumber", account),
            ("dataPoints.lastInvoiceAmount", "41.99"),
            ("declaration", "yes"),
            ("signedAs", name),
        ];
    }
}
