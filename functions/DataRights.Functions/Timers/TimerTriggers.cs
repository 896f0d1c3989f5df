namespace DataRights.Functions.Timers;

/// <summary>
/// The timer functions' schedules (six-field NCRONTAB, UTC). Flex Consumption runs timers in UTC only, while each job
/// runs on a local clock (the digest on DataRights:Workflow:DigestTimeZone, a purge on its region's zone). So each
/// trigger fires at every UTC time its job's local occurrence can fall on, summer and winter
/// (<see cref="Host.Scheduling.TimerSchedules.ForUtcTrigger"/> of the job's schedule), and the job runs only an occurrence
/// that is due and not yet run. Attribute schedules must be constants; a test checks each against the stand-alone
/// scheduler's job.
/// </summary>
public static class TimerTriggers
{
    /// <summary>
    /// The digest: every hour on the hour, as DigestSchedule and DigestTimeZone are settings that differ by region (08:00
    /// Monday to Friday in Amsterdam, New York, Los Angeles); the job runs only the occurrence that is due. A schedule or
    /// zone whose occurrences do not fall on a whole UTC hour stops the start (<see cref="DigestTimerValidator"/>).
    /// </summary>
    public const string OverdueDigest = "0 0 * * * *";

    /// <summary>eu-west's purge at 02:30 Europe/London.</summary>
    public const string PurgeEuWest = "0 30 1,2 * * *";

    /// <summary>us-east's purge at 03:30 America/New_York.</summary>
    public const string PurgeUsEast = "0 30 7,8 * * *";

    /// <summary>us-west's purge at 03:30 America/Los_Angeles.</summary>
    public const string PurgeUsWest = "0 30 10,11 * * *";

    /// <summary>The hourly check that every open request has a workflow carrying it (UTC, as its job).</summary>
    public const string WorkflowCheck = Host.Durable.WorkflowCheckJob.HourlySchedule;
}
