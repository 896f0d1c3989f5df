using System.Globalization;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;

namespace DataRights.Host.StaffConsole;

/// <summary>The words staff read in the console: short names of rights and statuses, and time left in words.</summary>
public static class ConsoleTexts
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The right asked for, as staff name it.</summary>
    public static string Right(RequestType type) => type switch
    {
        RequestType.Access => "Access",
        RequestType.Erasure => "Erasure",
        RequestType.Rectification => "Correction",
        RequestType.Restriction => "Restriction",
        RequestType.Objection => "Objection",
        RequestType.Portability => "Portability",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Where the request stands, as staff name it.</summary>
    public static string Status(RequestStatus status) => status switch
    {
        RequestStatus.Received => "Received",
        RequestStatus.AwaitingVerification => "Waiting for the requester to confirm",
        RequestStatus.Verified => "Identity confirmed",
        RequestStatus.Discovering => "Searching the systems",
        RequestStatus.AwaitingApproval => "Waiting for approval",
        RequestStatus.AwaitingInformation => "Waiting for the requester's answer",
        RequestStatus.Executing => "Being carried out",
        RequestStatus.Completed => "Completed",
        RequestStatus.Rejected => "Rejected",
        RequestStatus.Expired => "Closed: not confirmed in time",
        RequestStatus.Failed => "Failed: needs attention",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Who the request waits on now.</summary>
    public static WaitingOn WaitsOn(DataSubjectRequest r) => WaitsOn(r.Status);

    /// <summary>Who a request in <paramref name="status"/> waits on.</summary>
    public static WaitingOn WaitsOn(RequestStatus status) => status switch
    {
        RequestStatus.AwaitingVerification or RequestStatus.AwaitingInformation => WaitingOn.Requester,
        RequestStatus.Discovering or RequestStatus.Executing => WaitingOn.Source,
        RequestStatus.Completed or RequestStatus.Rejected or RequestStatus.Expired => WaitingOn.Nobody,
        _ => WaitingOn.Us,
    };

    public static string Describe(WaitingOn waitingOn) => waitingOn switch
    {
        WaitingOn.Us => "us",
        WaitingOn.Requester => "the requester",
        WaitingOn.Source => "a system or its owner",
        _ => "nobody",
    };

    /// <summary>The days left to the due date, in words: "Overdue by 3 days", "Due today", "1 day left".</summary>
    public static string DaysLeft(DateOnly dueOn, DateOnly today, bool paused)
    {
        var days = dueOn.DayNumber - today.DayNumber;
        var words = days switch
        {
            < 0 => $"Overdue by {Days(-days)}",
            0 => "Due today",
            _ => $"{Days(days)} left",
        };
        return paused ? words + " (clock paused)" : words;
    }

    /// <summary>How urgent the due date is, for the colour beside the words: overdue, soon (a week or less), or later.</summary>
    public static string Urgency(DateOnly dueOn, DateOnly today) => (dueOn.DayNumber - today.DayNumber) switch
    {
        < 0 => "overdue",
        <= 7 => "soon",
        _ => "later",
    };

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", English);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", English);

    public static string Step(StepState state) => state switch
    {
        StepState.NotStarted => "Not started",
        StepState.Pending => "Waiting for an answer",
        StepState.Succeeded => "Done",
        StepState.Failed => "Failed",
        StepState.NotRequired => "Not needed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    private static string Days(int n) => n == 1 ? "1 day" : n.ToString(CultureInfo.InvariantCulture) + " days";
}
