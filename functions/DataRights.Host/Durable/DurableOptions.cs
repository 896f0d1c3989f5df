using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Durable;

/// <summary>
/// <c>DataRights:Durable</c>: the request orchestrations (each request's work runs in a Durable Task orchestration of
/// its own) and the local task hub the stand-alone host runs for them. On Azure the Function App's Durable Functions extension is the
/// task hub (host.json <c>extensions.durableTask</c>); locally the host serves the same task hub itself: the gRPC
/// sidecar over the Azure Storage backend Durable Functions uses, on Azurite.
/// </summary>
public sealed class DurableOptions
{
    public const string Section = "DataRights:Durable";

    /// <summary>The setting that holds the task hub's storage connection string (Durable Functions reads the same one).</summary>
    [Required]
    public string Connection { get; set; } = "AzureWebJobsStorage";

    /// <summary>The task hub's name: its queues, tables and blob containers start with it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "DataRights:Durable:HubName must be 3-45 letters and digits, starting with a letter.")]
    public string HubName { get; set; } = "datarights";

    /// <summary>
    /// The Storage queue public submissions wait in between their answer and their taking in, on the task hub's account
    /// (<see cref="Connection"/>). The Function App's queue trigger reads the same setting
    /// (<c>%DataRights:Durable:SubmissionQueue%</c>), so on Azure it must be set as an app setting
    /// (<c>DataRights__Durable__SubmissionQueue</c>); its poison queue is this name with <c>-poison</c>.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,48}[a-z0-9]$", ErrorMessage = "DataRights:Durable:SubmissionQueue must be 3-50 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string SubmissionQueue { get; set; } = DefaultSubmissionQueue;

    /// <summary>The submission queue's name unless set otherwise.</summary>
    public const string DefaultSubmissionQueue = "datarights-submissions";

    /// <summary>Control-queue partitions (1 locally; up to 16 spreads orchestrations over more instances on Azure).</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// How long a message a worker took stays invisible to others, and the partition lease's length: after a crash
    /// the dead process's orchestrations and activities come back within about this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest the task hub waits between polls of an empty queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Activities the local task hub runs at once (fetched and not yet finished); more wait in the queue. A discovery
    /// runs one activity per source, so this bounds how many sources one request (or all requests together) search at once.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>
    /// Activity messages the local task hub fetches from the queue side by side once an orchestration step has scheduled
    /// several (each fetch is one storage call); with nothing just scheduled, one fetch runs at a time.
    /// </summary>
    [Range(1, 100)]
    public int ActivityFetchConcurrency { get; set; } = 20;

    /// <summary>How long a step that could not run yet waits before it is tried again when it does not say (a clock difference between hosts).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan NotNowRetry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A step up to this much before its item is due still runs (clock differences between hosts); earlier, it waits.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan EarlyTolerance { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a request's orchestration waits for a commit announced to it (a decision made outside it says, before it
    /// commits, that work will be in the store): the commit normally lands within milliseconds; one that has not by then
    /// is taken as never landing (the process died first, or the commit was refused), and the orchestration takes nothing
    /// from it. A commit landing later than half of this after its announcement is announced again by its decider; and a
    /// decision waits up to this long for an ended orchestration to complete before starting a new one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AnnouncedCommitWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When the stand-alone host stops (Ctrl+C, SIGTERM, a deployment), how long it waits for the steps in hand to finish
    /// before it stops their worker: it takes no new work meanwhile, and a step finished by then is not run again after the
    /// restart. A step still running after this is cut off and comes back after <see cref="VisibilityTimeout"/>, as after a
    /// crash. The host's own shutdown timeout is raised to this plus 10 s when it is shorter.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many times the program may stop (a crash, a kill) while one step is in progress before the local task hub no
    /// longer runs that step but fails it, so one step that kills its process cannot stop the host at every restart.
    /// </summary>
    [Range(1, 100)]
    public int StopsBeforeGivingUp { get; set; } = 3;

    /// <summary>A request orchestration starts afresh (continue-as-new) after this many steps, so its history stays small.</summary>
    [Range(10, 10000)]
    public int StepsPerGeneration { get; set; } = 100;
}
