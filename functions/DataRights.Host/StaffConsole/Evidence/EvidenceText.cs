using System.Globalization;
using DataRights.Core.Requests;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>How the evidence pack words times, dates, people and names it has no display name for.</summary>
internal static class EvidenceText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>An instant in UTC, to the second: "Tuesday 3 November 2026 at 09:00:05 UTC".</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("dddd d MMMM yyyy 'at' HH:mm:ss 'UTC'", English);

    /// <summary>The short form the timeline's table uses: "3 Nov 2026 09:00:05".</summary>
    public static string ShortTime(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm:ss", English);

    public static string Date(DateOnly date) => RequestTexts.LongDate(date);

    /// <summary>A stored "yyyy-MM-dd" date in words; anything else as it is.</summary>
    public static string StoredDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? Date(date) : text ?? string.Empty;

    /// <summary>A stored round-trip instant in words; anything else as it is.</summary>
    public static string StoredInstant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? Time(at) : text ?? string.Empty;

    public static string Number(string? text) => text ?? "0";

    public static int Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Who acted, as the trail names them ("staff:Priya Officer", "system:timer", "requester:web_form"), in words.</summary>
    public static string Actor(string actor)
    {
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // Steps the requester took by a link they were emailed are recorded as theirs, without a channel.
            return actor switch { "requester" => "The requester", "system" => "DataRights", _ => actor };
        }

        var (kind, who) = (actor[..colon], actor[(colon + 1)..]);
        return kind switch
        {
            "requester" => WireNames.TryParseChannel(who, out var channel) ? $"The requester ({Channel(channel)})" : "The requester",
            "staff" => $"{who} (staff)",
            "approver" => $"{who} (approver, by emailed link)",
            "owner" => $"{who} (owner of a system, by emailed task)",
            "system" => who switch
            {
                "auto-approve" => "DataRights (automatic approval)",
                "timer" => "DataRights (scheduled check)",
                "retention" => "DataRights (retention run)",
                "legal-hold" => "DataRights (legal hold check)",
                "work-queue" => "DataRights (background work)",
                "workflow-check" => "DataRights (hourly workflow check)",
                _ => "DataRights",
            },
            _ => actor,
        };
    }

    public static string Channel(IntakeChannel channel) => channel switch
    {
        IntakeChannel.WebForm => "web form",
        IntakeChannel.Api => "API",
        IntakeChannel.Email => "email",
        IntakeChannel.Post => "post",
        IntakeChannel.Phone => "phone",
        IntakeChannel.InPerson => "in person",
        _ => Readable(channel.Name()),
    };

    public static string Status(RequestStatus status) => Readable(status.Name());

    /// <summary>Words from a key with no display name: "follow_up.erased" reads "Follow up erased", "sourcesWithData" "Sources with data".</summary>
    public static string Readable(string key)
    {
        var words = new System.Text.StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            if (c is '.' or '_' or '-')
            {
                words.Append(' ');
            }
            else if (char.IsUpper(c) && words.Length > 0 && words[^1] != ' ')
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(c);
            }
        }

        var text = words.ToString().Trim();
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
