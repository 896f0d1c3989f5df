using System.Globalization;
using System.Net.Http.Json;
using DataRights.Testing;

namespace DataRights.Bench.Workflow;

/// <summary>What the end-to-end benchmarks share: submitting and verifying requests through HTTP, (waiting on the store: <see cref="Storage.StoreCounts"/>).</summary>
internal static class WorkflowRuns
{
    /// <summary>Submits <paramref name="count"/> erasure requests (8 at a time), each person known to every source; returns their ids.</summary>
    public static async Task<string[]> SubmitAsync(HttpClient client, DataRights.Core.Ports.IRequestStore store, IReadOnlyList<InMemoryDataSource> sources, int count, CancellationToken cancellationToken, string prefix = "bench")
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}@example.com");
            foreach (var source in sources)
            {
                source.Add(email, 3);
            }

            using var response = await client.PostAsJsonAsync("/api/requests", new { type = "erasure", email, fullName = "Bench Person", jurisdiction = "UK" }, token);
            response.EnsureSuccessStatusCode();
            ids[i] = await IdAsync(store, email, token);
        });
        return ids;
    }

    /// <summary>Submits one request for <paramref name="email"/>; returns its id.</summary>
    public static async Task<string> SubmitOneAsync(HttpClient client, DataRights.Core.Ports.IRequestStore store, string email, CancellationToken cancellationToken)
    {
        using var submitted = await client.PostAsJsonAsync("/api/requests", new { type = "erasure", email, fullName = "Fan Out", jurisdiction = "UK" }, cancellationToken);
        submitted.EnsureSuccessStatusCode();
        return await IdAsync(store, email, cancellationToken);
    }

    /// <summary>The request waiting for confirmation at <paramref name="email"/>: the public answer is the same for every submission and names none.
    /// It is stored once the submission is taken in, after the answer: looked for until then (at most a minute).</summary>
    private static async Task<string> IdAsync(DataRights.Core.Ports.IRequestStore store, string email, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await store.FindAwaitingVerificationAsync(email, cancellationToken) is { } request)
            {
                return request.Id;
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException("The submission stored no request within a minute.");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Verifies every request through the staff API (8 at a time).</summary>
    public static Task VerifyAllAsync(HttpClient client, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            using var response = await client.PostAsJsonAsync($"/api/admin/requests/{ids[i]}/verify", new { }, token);
            response.EnsureSuccessStatusCode();
        });
}
