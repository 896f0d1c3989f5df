using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Text;
using DataRights.Host.Staff;

namespace DataRights.Host.StaffConsole;

/// <summary>The inbox's filters and page, read from the query string; <see cref="Errors"/> names each field that could not be read.</summary>
public sealed record InboxQuery
{
    public RequestStatus? Status { get; init; }

    public RequestType? Type { get; init; }

    public Jurisdiction? Jurisdiction { get; init; }

    public WaitingOn? WaitingOn { get; init; }

    public bool OverdueOnly { get; init; }

    /// <summary>A reference (whole, or its start) or a whole email address, matched without regard to case.</summary>
    public string? Search { get; init; }

    public OpenRequestCursor? After { get; init; }

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public static InboxQuery Read(IQueryCollection query)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = new InboxQuery();
        if (Value(query, "status") is { } status)
        {
            q = WireNames.TryParseStatus(status, out var s) ? q with { Status = s } : Error(q, errors, "status", "Choose a status from the list.");
        }

        if (Value(query, "right") is { } right)
        {
            q = WireNames.TryParseType(right, out var t) ? q with { Type = t } : Error(q, errors, "right", "Choose a right from the list.");
        }

        if (Value(query, "jurisdiction") is { } jurisdiction)
        {
            q = WireNames.TryParseJurisdiction(jurisdiction, out var j) ? q with { Jurisdiction = j } : Error(q, errors, "jurisdiction", "Choose a place from the list.");
        }

        if (Value(query, "waiting") is { } waiting)
        {
            q = waiting switch
            {
                "us" => q with { WaitingOn = StaffConsole.WaitingOn.Us },
                "requester" => q with { WaitingOn = StaffConsole.WaitingOn.Requester },
                "source" => q with { WaitingOn = StaffConsole.WaitingOn.Source },
                _ => Error(q, errors, "waiting", "Choose who the request waits on from the list."),
            };
        }

        q = q with { OverdueOnly = Value(query, "overdue") == "yes" };
        if (Value(query, "q") is { } search)
        {
            q = search.Length > 254 ? Error(q, errors, "q", "Search for a reference or an email address of up to 254 characters.") : q with { Search = search };
        }

        if (Value(query, "after") is { } after)
        {
            q = ContinuationTokens.Read(after) is { } cursor ? q with { After = cursor } : Error(q, errors, "after", "That page link is broken. Start again from the first page.");
        }

        return q with { Errors = errors };
    }

    /// <summary>Whether <paramref name="r"/> passes the filters; <paramref name="today"/> is the request's own local date.</summary>
    public bool Matches(DataSubjectRequest r, DateOnly today) =>
        (Status is null || r.Status == Status)
        && (Type is null || r.Type == Type)
        && (Jurisdiction is null || r.Jurisdiction == Jurisdiction)
        && (WaitingOn is null || ConsoleTexts.WaitsOn(r) == WaitingOn)
        && (!OverdueOnly || r.Deadline.DueOn < today)
        && (Search is null
            || r.Reference.StartsWith(Search.Trim(), StringComparison.OrdinalIgnoreCase)
            || (EmailAddress.TryNormalize(Search, out var email) && string.Equals(r.Email, email, StringComparison.Ordinal)));

    /// <summary>
    /// These filters as the inbox index reads them. Overdue: due before the latest "today" of the places asked about
    /// (each request's own local date is checked again by <see cref="Matches"/>).
    /// </summary>
    public InboxFilter ToFilter(DeadlineRegimes regimes, DateTimeOffset now) => new InboxFilter
    {
        Status = Status,
        AnyOfStatuses = WaitingOn is { } waitingOn ? [.. Enum.GetValues<RequestStatus>().Where(s => ConsoleTexts.WaitsOn(s) == waitingOn)] : null,
        Type = Type,
        Jurisdiction = Jurisdiction,
        DueBefore = OverdueOnly
            ? (Jurisdiction is { } j ? [regimes.For(j)] : regimes.All).Max(r => DeadlineCalculator.LocalDate(r, now))
            : null,
    }.WithSearch(Search);

    /// <summary>The query string of these filters (without the page), for the next page's link.</summary>
    public string FilterQuery()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("status", Status?.Name());
        Add("right", Type?.Name());
        Add("jurisdiction", Jurisdiction?.Name());
        Add("waiting", WaitingOn?.ToString().ToLowerInvariant());
        Add("overdue", OverdueOnly ? "yes" : null);
        Add("q", Search);
        return string.Join('&', parts);
    }

    private static string? Value(IQueryCollection query, string name) => query[name].ToString().Trim() is { Length: > 0 } v && v != "any" ? v : null;

    private static InboxQuery Error(InboxQuery q, Dictionary<string, string> errors, string field, string message)
    {
        errors[field] = message;
        return q;
    }
}
