using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Events;

/// <summary>
/// Settings under <c>DataRights:Events</c> that every event carries, wherever it goes. Where it goes is
/// <c>DataRights:Events:ServiceBus</c> (see <c>ServiceBusEventsOptions</c>); with none, the local folder.
/// </summary>
public sealed class EventsOptions
{
    public const string Section = "DataRights:Events";

    /// <summary>The CloudEvents <c>source</c>: names this pipeline (one per region) to the systems that read its events.</summary>
    [Required]
    [RegularExpression(@"^\S+$")]
    public string Source { get; set; } = "/datarights";
}
