using System.Text;
using DataRights.Core.Events;
using DataRights.Core.Ports;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Events;

/// <summary>
/// The local default when no Service Bus is configured: each event is written as a CloudEvents JSON file in
/// <c>{data}/events</c>, named after its id, at most once (as the topic's duplicate detection keeps one), so events
/// are neither lost nor sent anywhere, and a person running the pipeline locally can read them.
/// </summary>
public sealed class FileEventSink(IOptions<DataRightsOptions> options, ILogger<FileEventSink> logger) : IEventPublisher
{
    public string Folder { get; } = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "events");

    public Task PublishAsync(OutgoingEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        OwnerOnlyFiles.Folder(Folder);
        if (!OwnerOnlyFiles.WriteOnce(Path.Combine(Folder, FileName(e.Id)), new UTF8Encoding(false).GetBytes(e.Body)))
        {
            logger.EventAlreadyWritten(e.Id);
        }

        return Task.CompletedTask;
    }

    /// <summary>The file an event id is written to (ids keep letters, digits, '-', '_' and '.').</summary>
    public static string FileName(string eventId) => OwnerOnlyFiles.SafeName(eventId, ".json");
}
