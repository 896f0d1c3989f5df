using System.Globalization;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Retention;
using DataRights.Host.Retention.Durable;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>The words administrators read for sources, regions, retention rules and purge runs, never the keys behind them.</summary>
public static class AdminTexts
{
    /// <summary>What kind of system a connector type reaches.</summary>
    public static string Kind(string connectorType) => connectorType switch
    {
        "demo-crm" => "Demo customer records",
        "sqlite" => "SQLite database",
        "postgres" => "PostgreSQL database",
        "manual" => "Handled by hand by its owner",
        "http" => "Web service",
        SourceRegistrationValidator.AzureTableType => "Azure Table storage",
        SourceRegistrationValidator.AgentType => "On-premises agent",
        _ => "Other",
    };

    public static string Access(string access) => access == "read" ? "Read only: never changed by us" : "Read and change";

    /// <summary>A region as people name it: "EU West" for <c>eu-west</c>.</summary>
    public static string Region(string key) => string.Join(' ', key.Split('-', StringSplitOptions.RemoveEmptyEntries)
        .Select((part, i) => i == 0 && part.Length == 2 ? part.ToUpperInvariant() : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>A purge timer in words: "Every night at 02:30, London time". Only daily timers exist; any other reads as "On its own schedule".</summary>
    public static string Schedule(PurgeRegion region)
    {
        var zone = region.TimeZoneId[(region.TimeZoneId.LastIndexOf('/') + 1)..].Replace('_', ' ') + " time";
        return region.Schedule.Split(' ') is [var second, var minute, var hour, "*", "*", "*"]
            && int.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s == 0
            && int.TryParse(minute, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60
            && int.TryParse(hour, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h < 24
            ? $"Every {(h < 6 ? "night" : "day")} at {h:00}:{m:00}, {zone}"
            : $"On its own schedule, {zone}";
    }

    /// <summary>How long a rule keeps data, in words: "6 months from when the record was made".</summary>
    public static string KeptFor(RetentionRule rule)
    {
        if (!RetentionPolicyValidator.TryParseMaxAge(rule.MaxAge, out var period))
        {
            return "A period this page cannot read";
        }

        var none = period.Years + period.Months + period.Weeks + period.Days == 0;
        return rule.CountsFrom switch
        {
            RetentionEvents.EndOfCalendarMonthAfterClosure when none => "Until the end of the calendar month in which the account is closed",
            RetentionEvents.EndOfCalendarMonthAfterClosure => $"{period.Describe()} from the end of the calendar month in which the account is closed",
            RetentionEvents.LastActivity => $"{period.Describe()} from the last activity",
            RetentionEvents.AccountClosed => $"{period.Describe()} after the account is closed",
            _ => $"{period.Describe()} from when the record was made",
        };
    }

    public static string Trigger(string trigger) => trigger == PurgeOrchestrations.TimerActor ? "The nightly timer" : Evidence.EvidenceText.Actor(trigger);

    public static string RunStatus(string status) => status switch
    {
        PurgeRun.Running => "Running",
        PurgeRun.Completed => "Completed",
        PurgeRun.Incomplete => "Incomplete: a system was busy and is purged on a later run",
        _ => status,
    };

    public static string RowKind(string kind) => kind == PurgeRow.FollowUpKind ? "Erasure follow-up" : "Past its retention";

    public static string RowState(string state) => state switch
    {
        PurgeRow.Running => "In progress",
        PurgeRow.Done => "Done",
        PurgeRow.Failed => "Failed",
        PurgeRow.Busy => "Busy: tried again on a later run",
        PurgeRow.OnHold => "Kept: under a legal hold",
        PurgeRow.NotSupported => "This system cannot purge by age",
        PurgeRow.TaskSent => "Task emailed to the system's owner",
        PurgeRow.TaskOpen => "The owner's earlier task is still open",
        _ => state,
    };
}
