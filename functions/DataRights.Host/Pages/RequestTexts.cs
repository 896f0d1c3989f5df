using DataRights.Core.Requests;

namespace DataRights.Host.Pages;

/// <summary>Plain-English words for types, jurisdictions and statuses, shared by pages and the status API.</summary>
public static class RequestTexts
{
    public static (string Label, string Hint) Describe(RequestType type) => type switch
    {
        RequestType.Access => ("See the personal data you hold about me", "You will get a copy of your data and an explanation of how it is used."),
        RequestType.Erasure => ("Delete my personal data", "Some records, such as invoices, may have to be kept by law. We will tell you what and why."),
        RequestType.Rectification => ("Correct personal data that is wrong", "Tell us in the details box what is wrong and what it should say."),
        RequestType.Restriction => ("Stop using my data for now, but keep it", "For example while you dispute whether it is accurate."),
        RequestType.Objection => ("Object to how my data is used", "For example, to stop marketing messages."),
        RequestType.Portability => ("Get a copy of data I gave you, to reuse elsewhere", "You will get it in a structured, machine-readable format."),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>What the requester asked for, as words that follow "your request to".</summary>
    public static string Action(RequestType type) => type switch
    {
        RequestType.Access => "see the personal data we hold about you",
        RequestType.Erasure => "delete your personal data",
        RequestType.Rectification => "correct your personal data",
        RequestType.Restriction => "restrict how we use your personal data",
        RequestType.Objection => "object to how we use your personal data",
        RequestType.Portability => "get a copy of the data you gave us, to reuse elsewhere",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>What the person asked, as staff read it ("Asked to delete their personal data").</summary>
    public static string ActionForStaff(RequestType type) => type switch
    {
        RequestType.Access => "see the personal data we hold about them",
        RequestType.Erasure => "delete their personal data",
        RequestType.Rectification => "correct their personal data",
        RequestType.Restriction => "restrict how we use their personal data",
        RequestType.Objection => "object to how we use their personal data",
        RequestType.Portability => "get a copy of the data they gave us, to reuse elsewhere",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Describe(Jurisdiction jurisdiction) => jurisdiction switch
    {
        Jurisdiction.UK => "United Kingdom",
        Jurisdiction.EU => "European Union or EEA",
        Jurisdiction.UsCa => "California, USA",
        Jurisdiction.BR => "Brazil",
        Jurisdiction.IN => "India",
        Jurisdiction.Other => "Somewhere else",
        _ => throw new ArgumentOutOfRangeException(nameof(jurisdiction)),
    };

    public static string Describe(RequestStatus status) => status switch
    {
        RequestStatus.Received => "We have received your request.",
        RequestStatus.AwaitingVerification => "We are waiting for you to confirm your email address.",
        RequestStatus.Verified => "You have confirmed your identity.",
        RequestStatus.Discovering => "We are searching our systems for your data.",
        RequestStatus.AwaitingApproval => "Our privacy team is reviewing what we found.",
        RequestStatus.AwaitingInformation => "We have asked you for more information.",
        RequestStatus.Executing => "We are carrying out your request.",
        RequestStatus.Completed => "Your request is complete.",
        RequestStatus.Rejected => "We could not carry out your request. We have written to you to explain why.",
        RequestStatus.Expired => "Your request was closed because your email address was not confirmed in time.",
        RequestStatus.Failed => "Something went wrong on our side. Our privacy team has been told and will finish your request.",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>
    /// What a move from <paramref name="from"/> to <paramref name="to"/> meant for the person, in the past tense: a move
    /// back to a stage (their answer received, their details asked for again, a problem dealt with) says so.
    /// </summary>
    public static string Happened(RequestStatus? from, RequestStatus to) => (from, to) switch
    {
        (RequestStatus.AwaitingInformation, RequestStatus.AwaitingApproval) => "We received your answer, and our privacy team started reviewing your request again.",
        (RequestStatus.Discovering, RequestStatus.AwaitingVerification) => "The details you gave did not match our records, so we asked you for them again.",
        (RequestStatus.Failed, not RequestStatus.Failed) => "Our privacy team dealt with the problem on our side, and we carried on with your request.",
        _ => Happened(to),
    };

    /// <summary>What happened when the request moved to <paramref name="status"/>, for the history the requester reads.</summary>
    private static string Happened(RequestStatus status) => status switch
    {
        RequestStatus.Received => "We received your request.",
        RequestStatus.AwaitingVerification => "We emailed you a link to confirm your request.",
        RequestStatus.Verified => "Your request was confirmed.",
        RequestStatus.Discovering => "We started searching our systems for your data.",
        RequestStatus.AwaitingApproval => "Our privacy team started reviewing what we found.",
        RequestStatus.AwaitingInformation => "We asked you for more information.",
        RequestStatus.Executing => "We started carrying out your request.",
        RequestStatus.Completed => "We completed your request.",
        RequestStatus.Rejected => "We could not carry out your request, and wrote to you to explain why.",
        RequestStatus.Expired => "We closed your request, as your email address was not confirmed in time.",
        RequestStatus.Failed => "Something went wrong on our side, and our privacy team was told.",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>A date without its weekday, as an email's subject gives it ("7 January 2027").</summary>
    public static string ShortDate(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
