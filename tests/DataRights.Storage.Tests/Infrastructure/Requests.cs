using System.Security.Cryptography;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>Requests, decisions and work items for store tests, built the way intake and the workflow engine build them.</summary>
public static class Requests
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public static NewRequest New(string email = "kim.lee@example.com", DateTimeOffset? at = null, DateOnly? dueOn = null, string? details = null)
    {
        var receivedAt = at ?? T0;
        var intake = new ValidatedIntake(RequestType.Erasure, email, "Kim Lee", Jurisdiction.UK, "ACC-1002", details);
        var receivedOn = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        return new NewRequest(
            "dr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            intake,
            IntakeChannel.Api,
            receivedAt,
            new Deadline("uk-gdpr", receivedOn, dueOn ?? receivedOn.AddMonths(1), null),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            RequestFingerprint.Compute(intake),
            "requester");
    }

    /// <summary>
    /// The first decision, as the workflow makes it: ask for verification (an email now), and an email due later, both
    /// owed by the request.
    /// </summary>
    public static Decision Start(DataSubjectRequest received)
    {
        Effect[] work =
        [
            new SendMessage($"{received.Id}:verification:1", received.ReceivedAt, MessageKind.Verification),
            new SendMessage($"{received.Id}:verification-reminder:1", received.ReceivedAt.AddDays(3), MessageKind.VerificationReminder),
        ];
        return new(
            received with { Status = RequestStatus.AwaitingVerification, Progress = received.Progress with { VerificationEmailsSent = 1, Owed = [.. work.Select(OwedWork.Of)] } },
            [new AuditDraft(received.ReceivedAt, "system", "verification.requested", "received", "awaiting_verification")],
            work);
    }

    /// <summary>A submission whose first decision changes nothing (no work, one audit entry).</summary>
    public static Decision Unchanged(DataSubjectRequest received) => Decision.Ignore(received, "test");

    /// <summary>The next state change of <paramref name="current"/>, chained after its audit head, as the engine commits it.</summary>
    public static (DataSubjectRequest Updated, IReadOnlyList<AuditEntry> Audit) Advance(
        DataSubjectRequest current, RequestStatus to, DateTimeOffset at, int auditEntries = 1, RequestProgress? progress = null)
    {
        var drafts = Enumerable.Range(1, auditEntries)
            .Select(i => new AuditDraft(at, "staff:tester", "test.step", current.Status.Name(), to.Name(), new Dictionary<string, string?> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToList();
        var (entries, head) = AuditChain.Extend(current.AuditHead, current.Id, drafts);
        var updated = current with
        {
            Status = to,
            Version = current.Version + 1,
            AuditHead = head ?? current.AuditHead,
            UpdatedAt = at,
            Progress = progress ?? current.Progress,
        };
        return (updated, entries);
    }

    /// <summary><paramref name="request"/> owing one more piece of work, <c>{request}:{id}</c>, due at <paramref name="notBefore"/>.</summary>
    public static DataSubjectRequest Owing(DataSubjectRequest request, string id, DateTimeOffset notBefore) =>
        request with { Progress = request.Progress with { Owed = [.. request.Progress.Owed, new OwedWork($"{request.Id}:{id}", WorkItem.Message, WorkflowJson.Serialize(new WorkItem.MessagePayload("test")), notBefore)] } };
}
