namespace DataRights.Host.Retention;

/// <summary>A region's purge timer: six-field NCRONTAB in the region's own time zone (its night).</summary>
public sealed record PurgeRegion(string Key, string Schedule, string TimeZoneId)
{
    /// <summary>The scheduled job's stable name (also the Azure timer function's): <c>purge-eu-west</c>.</summary>
    public string JobName => "purge-" + Key;

    /// <summary>The region's calendar date at <paramref name="at"/>: retention is counted in local days.</summary>
    public DateOnly LocalDate(DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId)).DateTime);
}
