using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Verification;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Requests, sources and instants for decider tests, built the way intake stores them.</summary>
internal static class TestRequests
{
    public const string Id = "req-1";

    public static readonly DeadlineCalculator Calculator = new(HolidayCalendars.Default);

    /// <summary>Tuesday 1 September 2026, 10:00 in London: due Thursday 1 October under UK GDPR.</summary>
    public static readonly DateTimeOffset ReceivedAt = Instant("2026-09-01T09:00:00Z");

    public static readonly DataSourceDescriptor Crm = new("crm", "CRM", SourceAccess.ReadWrite, "eu-west");

    public static readonly DataSourceDescriptor Billing = new("billing", "Billing", SourceAccess.ReadWrite, "us-east");

    public static readonly DataSourceDescriptor Logs = new("logs", "Call logs", SourceAccess.Read, "eu-west");

    public static IReadOnlyList<DataSourceDescriptor> AllSources => [Crm, Billing, Logs];

    /// <summary>Settings under which every request is verified by its email link alone (for tests about something else).</summary>
    public static WorkflowSettings EmailOnly { get; } = new() { Verification = VerificationPolicy.Default with { Levels = new Dictionary<(Jurisdiction, RequestType), VerificationLevel>() } };

    public static DataSubjectRequest Received(
        Jurisdiction jurisdiction = Jurisdiction.UK,
        DateTimeOffset? receivedAt = null,
        RequestType type = RequestType.Erasure,
        string? accountReference = null)
    {
        var at = receivedAt ?? ReceivedAt;
        return new DataSubjectRequest
        {
            Id = Id,
            Reference = "DR-2026-000001",
            Type = type,
            Status = RequestStatus.Received,
            Jurisdiction = jurisdiction,
            Channel = IntakeChannel.WebForm,
            Email = "ada@example.com",
            FullName = "Ada Lovelace",
            AccountReference = accountReference,
            ReceivedAt = at,
            Deadline = Calculator.Compute(DeadlineRegimes.Default.For(jurisdiction), at),
            StatusTokenHash = new string('b', 64),
            Fingerprint = new string('c', 64),
            Version = 1,
            AuditHead = new AuditHead(1, new string('a', 64)),
            UpdatedAt = at,
        };
    }

    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
