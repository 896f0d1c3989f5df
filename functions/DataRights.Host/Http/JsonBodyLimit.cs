namespace DataRights.Host.Http;

/// <summary>
/// Endpoint metadata for <see cref="JsonBodyGuard"/>: the largest JSON body this endpoint takes (default 64 KiB);
/// <see cref="OwnReading"/> (0) for an endpoint that reads and checks its body itself.
/// </summary>
public sealed record JsonBodyLimit(int Bytes)
{
    public static JsonBodyLimit OwnReading { get; } = new(0);
}
