namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="Before"/> before sending the first write (not a read) whose body names <see cref="BodyContaining"/>,
/// then sends it: a test holds one write back, or does something just before it lands.
/// </summary>
internal sealed class GatedWrites : DelegatingHandler
{
    public GatedWrites()
        : base(new HttpClientHandler())
    {
    }

    public string? BodyContaining { get; set; }

    public Func<Task>? Before { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get || request.Content is null || BodyContaining is not { } marker || Before is not { } before)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Content.Headers.ToList();
        request.Content = new ByteArrayContent(body);
        foreach (var header in headers)
        {
            request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (System.Text.Encoding.UTF8.GetString(body).Contains(marker, StringComparison.Ordinal))
        {
            Before = null;
            await before();
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
