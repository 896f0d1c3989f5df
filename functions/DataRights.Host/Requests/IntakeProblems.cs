using DataRights.Host.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Requests;

/// <summary>The problem types intake answers with (RFC 9457), each with a plain message and, for a 429, Retry-After.</summary>
public static class IntakeProblems
{
    /// <summary>Too many submissions from one client, or too many new requests for one address, in a short time.</summary>
    public const string TooManySubmissions = "urn:datarights:problem:too-many-submissions";

    /// <summary>A repeat submission, when the request's link was already emailed as often as the daily limit allows.</summary>
    public const string LinkEmailLimit = "urn:datarights:problem:link-email-limit";

    /// <summary>What a repeat submission is told: never the link, only that it went to the address on the request.</summary>
    public const string RepeatEmailed = "We already have this request. We have emailed its link to the address on the request: please use that email.";

    public static ProblemHttpResult TooMany(HttpContext context, TimeSpan retryAfter, string type, string detail)
    {
        context.Response.Headers.RetryAfter = IntakePages.RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail, type: type);
    }

    /// <summary>The plain message for a limit on submissions, with the wait.</summary>
    public static string TooManySubmissionsDetail(bool perEmail, TimeSpan retryAfter) =>
        (perEmail ? "Too many new requests for this email address in a short time." : "Too many submissions from your network in a short time.")
        + $" Please wait {Wait(retryAfter)} and try again. Nothing was saved.";

    /// <summary>The plain message for a repeat submission past the daily limit on link emails.</summary>
    public static string LinkEmailLimitDetail(string? why) =>
        "We already have this request. " + (why ?? "We have emailed its link as often as we do in a day.") + " Nothing new was saved.";

    /// <summary>A wait people read: "40 seconds", "5 minutes", "3 hours".</summary>
    public static string Wait(TimeSpan wait) => wait.TotalSeconds switch
    {
        < 90 => $"{IntakePages.RetryAfterSeconds(wait)} seconds",
        < 5400 => $"{Math.Ceiling(wait.TotalMinutes):0} minutes",
        _ => $"{Math.Ceiling(wait.TotalHours):0} hours",
    };
}
