namespace DataRights.Core.Ports;

/// <summary>
/// Where access-request exports are kept between the sources copying their data and the link expiring:
/// named objects grouped by request (<c>&lt;requestId&gt;/&lt;name&gt;</c>). The store only ever sees
/// sealed bytes; the host seals and opens them. An object written here is visible under its name only
/// once its upload is committed, so a reader never meets half of one; an upload disposed without a
/// commit leaves nothing behind under the name (an older object of the same name stays as it was).
/// </summary>
public interface IExportStore
{
    /// <summary>Starts writing an object (replacing any of the same name once committed).</summary>
    Task<IExportUpload> CreateAsync(string requestId, string name, CancellationToken cancellationToken);

    /// <summary>The object's bytes as a stream read as it goes, or null when there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string requestId, string name, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string requestId, string name, CancellationToken cancellationToken);

    /// <summary>Deletes one object; one that is not there is fine.</summary>
    Task DeleteAsync(string requestId, string name, CancellationToken cancellationToken);

    /// <summary>Deletes every object of a request (idempotent); returns how many were deleted.</summary>
    Task<int> DeleteAllAsync(string requestId, CancellationToken cancellationToken);
}
