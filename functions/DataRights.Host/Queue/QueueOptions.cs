using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Queue;

/// <summary>
/// <c>DataRights:Queue</c>: who delivers the work queue. <c>local</c> (default): the in-process workers lease items
/// from the store. <c>servicebus</c>: a relay hands each committed item to a Service Bus queue and the Functions
/// host's serviceBusTrigger delivers it back to <c>POST /work-item</c>; the local workers stay off.
/// </summary>
public sealed class QueueOptions
{
    public const string Section = "DataRights:Queue";
    public const string Local = "local";
    public const string ServiceBus = "servicebus";

    [Required]
    [RegularExpression("^(?i:local|servicebus)$", ErrorMessage = "DataRights:Queue:Provider must be local or servicebus.")]
    public string Provider { get; set; } = Local;

    /// <summary>Items the relay claims and sends per round.</summary>
    [Range(1, 500)]
    public int RelayBatchSize { get; set; } = 32;

    /// <summary>How long a claimed item is the relay's; a relay that crashes mid-send loses it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan RelayClaimDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A sent item still unprocessed this long after it was due is sent again (the broker lost or dead-lettered it).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the relay sweeps without being woken by a commit (the queue-relay timer also sweeps under Azure).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Relay right after each commit in the background (default). False: only the queue-relay timer relays (tests drive it by hand).</summary>
    public bool BackgroundRelay { get; set; } = true;

    /// <summary>The queue-relay timer function's schedule (six-field NCRONTAB, UTC).</summary>
    [Required]
    public string RelaySchedule { get; set; } = "0 */1 * * * *";

    /// <summary>A delivery this much ahead of its item's due time is still run (clock differences); earlier ones are not.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DeliveryEarlyTolerance { get; set; } = TimeSpan.FromMinutes(1);

    public bool UsesServiceBus => string.Equals(Provider, ServiceBus, StringComparison.OrdinalIgnoreCase);
}
