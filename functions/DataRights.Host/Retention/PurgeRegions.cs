namespace DataRights.Host.Retention;

/// <summary>
/// The regions with a purge timer, defined once: stand-alone, the in-process scheduler runs them; under
/// Azure each becomes a timerTrigger function named after <see cref="PurgeRegion.JobName"/>. Times avoid
/// the hours clocks skip or repeat in spring and autumn.
/// </summary>
public static class PurgeRegions
{
    public static IReadOnlyList<PurgeRegion> All { get; } =
    [
        new("eu-west", "0 30 2 * * *", "Europe/London"),
        new("us-east", "0 30 3 * * *", "America/New_York"),
        new("us-west", "0 30 3 * * *", "America/Los_Angeles"),
    ];

    public static PurgeRegion? Find(string? key) => All.FirstOrDefault(r => r.Key == key);
}
