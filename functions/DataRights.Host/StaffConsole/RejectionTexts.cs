using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.StaffConsole;

/// <summary>Reasons to reject a request, as staff choose them.</summary>
public static class RejectionTexts
{
    public static string Describe(string wireName) => WireNames.TryParseRejectionReason(wireName, out var reason) ? Describe(reason) : wireName;

    public static string Describe(RejectionReason reason) => reason switch
    {
        RejectionReason.InsufficientVerification => "We could not confirm who they are",
        RejectionReason.NoMatch => "We hold no personal data about them",
        RejectionReason.ManifestlyUnfounded => "Manifestly unfounded",
        RejectionReason.Excessive => "Excessive (for example, repeats a recent request)",
        RejectionReason.OutsideJurisdiction => "The law relied on does not apply",
        RejectionReason.Duplicate => "Repeats a request we are already handling",
        RejectionReason.Withdrawn => "The requester withdrew it",
        RejectionReason.Other => "Another reason (explain below)",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
