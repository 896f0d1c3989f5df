using DataRights.Host.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Requests;

/// <summary>The problem types intake answers with (RFC 9457), each with a plain message and, for a 429, Retry-After.</summary>
public static class IntakeProblems
{
    /// <summary>Too many submissions from one client in a short time (a limit per address is never told: see <see cref="CheckYourEmail"/>).</summary>
    public const string TooManySubmissions = "urn:datarights:problem:too-many-submissions";

    /// <summary>
    /// What every valid public submission is told, whatever became of it (a new request, a repeat, a limit reached), so
    /// the answer says nothing about the address: true in each case.
    /// </summary>
    public const string CheckYourEmail =
        "Thank you. We will email the address you gave: open the link in that email to confirm your request. The email gives your reference, the date we must reply by and a private link to follow your request. If nothing arrives within an hour, check your spam folder. If you asked us recently, use the link in our earlier email.";

    public static ProblemHttpResult TooMany(HttpContext context, TimeSpan retryAfter, string type, string detail)
    {
        context.Response.Headers.RetryAfter = IntakePages.RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail, type: type);
    }

    /// <summary>The plain message for a limit on submissions, with the wait.</summary>
    public static string TooManySubmissionsDetail(TimeSpan retryAfter) =>
        "Too many submissions from your network in a short time."
        + $" Please wait {Wait(retryAfter)} and try again. Nothing was saved.";

    /// <summary>A wait people read: "40 seconds", "5 minutes", "3 hours".</summary>
    public static string Wait(TimeSpan wait) => wait.TotalSeconds switch
    {
        < 90 => $"{IntakePages.RetryAfterSeconds(wait)} seconds",
        < 5400 => $"{Math.Ceiling(wait.TotalMinutes):0} minutes",
        _ => $"{Math.Ceiling(wait.TotalHours):0} hours",
    };
}
