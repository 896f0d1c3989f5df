namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>
/// Sends the next entity-group transaction to Azurite, runs <see cref="AfterLanding"/>, then sends it again and
/// answers with the second send's answer: what a client sees when the first answer was lost and its retry refused.
/// </summary>
internal sealed class ResendAfterLanding : DelegatingHandler
{
    public ResendAfterLanding()
        : base(new HttpClientHandler())
    {
    }

    public Func<Task>? AfterLanding { get; set; }

    public int Resent { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (AfterLanding is not { } after || request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("$batch", StringComparison.Ordinal))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        AfterLanding = null;
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        using (var first = await base.SendAsync(Copy(request, body), cancellationToken))
        {
            Assert.True(first.IsSuccessStatusCode, $"the first send was answered {(int)first.StatusCode}");
        }

        await after();
        Resent++;
        return await base.SendAsync(Copy(request, body), cancellationToken);
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[] body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new ByteArrayContent(body), Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in request.Content!.Headers)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
