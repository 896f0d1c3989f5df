using System.ComponentModel.DataAnnotations;
using DataRights.Core.Retention;

namespace DataRights.Host.Retention;

/// <summary>
/// <c>DataRights:Retention</c>: the retention policy per region (seeded into the store at start; staff
/// change it through <c>/api/admin/retention</c>) and how purge runs behave.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "DataRights:Retention";

    /// <summary>
    /// Rules per region key (<c>eu-west</c>, <c>us-east</c>, <c>us-west</c>): a configured region replaces the
    /// stored policy at every start. None configured and none stored: the sample policy, but only while the
    /// demo sources are in use (never for an operator's own sources).
    /// </summary>
    public Dictionary<string, List<RetentionRule>> Policy { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Records one purge step removes (one durable transaction in the source).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Pause between steps, so the source's other users and this host's requests get their turn: a 1000-record step takes about 15 ms of CPU and a flush, so 25 ms keeps a purge to about half of one core.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Timer runs only report what would go and change nothing (staff "run now" says so per call).</summary>
    public bool DryRun { get; set; }

    /// <summary>Orchestrated purges: steps of <see cref="BatchSize"/> one batch activity runs before it saves the line (one activity round trip per this many steps).</summary>
    [Range(1, 10_000)]
    public int BatchesPerActivity { get; set; } = 20;

    /// <summary>Orchestrated purges: batch activities a source's orchestration runs before it continues as new, so its history stays small.</summary>
    [Range(1, 10_000)]
    public int BatchesPerGeneration { get; set; } = 50;

    /// <summary>
    /// How far back a purge timer looks for its region's occurrence. Each trigger fires at every UTC hour the local time can
    /// fall on; both find the same occurrence and start the same instance id, so the second starts nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "23:00:00")]
    public TimeSpan TimerLookBack { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Orchestrated purges: the first pause before a run's start or finish, failing (storage or the broker out), is tried again; the pause doubles up to five minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RunStepRetryFirst { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Orchestrated purges: how long a run's start or finish keeps trying through an outage before the run fails. Nothing
    /// starts an occurrence's run again, so a run that fails there has no report that night.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00")]
    public TimeSpan RunStepRetryFor { get; set; } = TimeSpan.FromHours(6);
}
