using System.Globalization;
using DataRights.Core.Requests;
using DataRights.Core.Text;
using DataRights.Core.Verification;

namespace DataRights.Host.Verification;

/// <summary>How a request's requester was verified, in the words staff read on the approval page and in its email.</summary>
public static class IdentityTexts
{
    public static string ForStaff(DataSubjectRequest r) => r.Progress.Identity switch
    {
        null => r.Progress.VerifiedBy == Core.Workflow.IdentityVerified.ByStaff ? "Verified by hand by staff." : "The requester confirmed by following the emailed link.",
        { Outcome: IdentityCheckOutcome.ByStaff, StaffReason: var reason } => $"Verified by hand by staff: {reason}",
        { Outcome: IdentityCheckOutcome.Categories } check =>
            $"Only {Matched(check)} matched our records, fewer than the {check.Required} the law asks before disclosing specific pieces. Approving sends the requester the categories of data found in each system, not a copy.",
        { Outcome: IdentityCheckOutcome.Passed } check when check.Required > 0 => $"Followed the emailed link; {Matched(check)} matched our records ({check.Required} needed).{Signed(check)}",
        var check => $"Followed the emailed link.{Signed(check)}",
    };

    private static string Matched(IdentityCheck check) =>
        $"{(check.Matched ?? 0).ToString(CultureInfo.InvariantCulture)} of the {Plural.Count(check.Given.Count, "detail")} they gave";

    private static string Signed(IdentityCheck check) => check.Declaration is { } d
        ? $" Declaration signed as \"{d.SignedAs}\" on {d.At.UtcDateTime.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture)}."
        : string.Empty;
}
