using System.Collections.Frozen;
using DataRights.Core.Workflow;

namespace DataRights.Core.Requests;

/// <summary>
/// The one place enums become strings and back: JSON, SQLite columns and pages use these names,
/// so a persisted or queued value never changes when a C# member is renamed.
/// </summary>
public static class WireNames
{
    private static readonly Map<RequestType> Types = new(
        (RequestType.Access, "access"),
        (RequestType.Erasure, "erasure"),
        (RequestType.Rectification, "rectification"),
        (RequestType.Restriction, "restriction"),
        (RequestType.Objection, "objection"),
        (RequestType.Portability, "portability"));

    private static readonly Map<Jurisdiction> Jurisdictions = new(
        (Jurisdiction.UK, "UK"),
        (Jurisdiction.EU, "EU"),
        (Jurisdiction.UsCa, "US-CA"),
        (Jurisdiction.BR, "BR"),
        (Jurisdiction.IN, "IN"),
        (Jurisdiction.Other, "OTHER"));

    private static readonly Map<RequestStatus> Statuses = new(
        (RequestStatus.Received, "received"),
        (RequestStatus.AwaitingVerification, "awaiting_verification"),
        (RequestStatus.Verified, "verified"),
        (RequestStatus.Discovering, "discovering"),
        (RequestStatus.AwaitingApproval, "awaiting_approval"),
        (RequestStatus.AwaitingInformation, "awaiting_information"),
        (RequestStatus.Executing, "executing"),
        (RequestStatus.Completed, "completed"),
        (RequestStatus.Rejected, "rejected"),
        (RequestStatus.Expired, "expired"),
        (RequestStatus.Failed, "failed"));

    private static readonly Map<IntakeChannel> Channels = new(
        (IntakeChannel.WebForm, "web_form"),
        (IntakeChannel.Api, "api"),
        (IntakeChannel.Email, "email"),
        (IntakeChannel.Post, "post"),
        (IntakeChannel.Phone, "phone"),
        (IntakeChannel.InPerson, "in_person"));

    private static readonly Map<RejectionReason> Reasons = new(
        (RejectionReason.InsufficientVerification, "insufficient_verification"),
        (RejectionReason.NoMatch, "no_match"),
        (RejectionReason.ManifestlyUnfounded, "manifestly_unfounded"),
        (RejectionReason.Excessive, "excessive"),
        (RejectionReason.OutsideJurisdiction, "outside_jurisdiction"),
        (RejectionReason.Duplicate, "duplicate"),
        (RejectionReason.Withdrawn, "withdrawn"),
        (RejectionReason.Other, "other"));

    public static IReadOnlyList<string> AllTypes => Types.Names;

    public static IReadOnlyList<string> AllRejectionReasons => Reasons.Names;

    public static string Name(this RejectionReason value) => Reasons.ToName(value);

    public static bool TryParseRejectionReason(string? name, out RejectionReason value) => Reasons.TryParse(name, out value);

    public static IReadOnlyList<string> AllJurisdictions => Jurisdictions.Names;

    public static string Name(this RequestType value) => Types.ToName(value);

    public static string Name(this Jurisdiction value) => Jurisdictions.ToName(value);

    public static string Name(this RequestStatus value) => Statuses.ToName(value);

    public static string Name(this IntakeChannel value) => Channels.ToName(value);

    public static bool TryParseType(string? name, out RequestType value) => Types.TryParse(name, out value);

    public static bool TryParseJurisdiction(string? name, out Jurisdiction value) => Jurisdictions.TryParse(name, out value);

    /// <summary>The right a submission names, read as intake reads it: spaces around it and letter case do not matter.</summary>
    public static bool TryParseSentType(string? sent, out RequestType value) => TryParseType(sent?.Trim().ToLowerInvariant(), out value);

    /// <summary>The place a submission names, read as intake reads it: spaces around it and letter case do not matter.</summary>
    public static bool TryParseSentJurisdiction(string? sent, out Jurisdiction value) => TryParseJurisdiction(sent?.Trim().ToUpperInvariant(), out value);

    public static bool TryParseStatus(string? name, out RequestStatus value) => Statuses.TryParse(name, out value);

    public static bool TryParseChannel(string? name, out IntakeChannel value) => Channels.TryParse(name, out value);

    public static RequestType ParseType(string name) => Types.Parse(name);

    public static Jurisdiction ParseJurisdiction(string name) => Jurisdictions.Parse(name);

    public static RequestStatus ParseStatus(string name) => Statuses.Parse(name);

    public static IntakeChannel ParseChannel(string name) => Channels.Parse(name);

    private sealed class Map<T>
        where T : struct, Enum
    {
        private readonly FrozenDictionary<T, string> _toName;
        private readonly FrozenDictionary<string, T> _fromName;

        public Map(params (T Value, string Name)[] pairs)
        {
            _toName = pairs.ToFrozenDictionary(p => p.Value, p => p.Name);
            _fromName = pairs.ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            Names = [.. pairs.Select(p => p.Name)];
            if (_toName.Count != Enum.GetValues<T>().Length)
            {
                throw new InvalidOperationException($"Every {typeof(T).Name} needs a wire name.");
            }
        }

        public IReadOnlyList<string> Names { get; }

        public string ToName(T value) => _toName[value];

        public bool TryParse(string? name, out T value)
        {
            if (name is not null && _fromName.TryGetValue(name, out value))
            {
                return true;
            }

            value = default;
            return false;
        }

        public T Parse(string name) =>
            TryParse(name, out var value) ? value : throw new FormatException($"'{name}' is not a known {typeof(T).Name}.");
    }
}
