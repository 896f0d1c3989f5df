using System.Globalization;

namespace DataRights.Bench.Measurement;

/// <summary>
/// Runs lanes in rounds (A B C, A B C, ...) rather than one after the other (AAA BBB CCC), so a change in the
/// machine's state (another build, the disk's write cache filling, a noisy neighbour) hits every lane alike
/// and the ratios between lanes stay fair even when the absolute rates drift.
/// </summary>
internal static class InterleavedRuns
{
    public static async Task<IReadOnlyList<LaneResult>> RunAsync(
        IReadOnlyList<Lane> lanes, TimeSpan warmup, TimeSpan duration, int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        if (warmup > TimeSpan.Zero)
        {
            foreach (var lane in lanes)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Warm-up   : {lane.Name}, {warmup.TotalSeconds:0.#} s"));
                await lane.Run(warmup, cancellationToken);
            }
        }

        var slice = duration / rounds;
        var slices = lanes.Select(_ => new List<LoadResult>(rounds)).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            var line = new List<string>(lanes.Count);
            for (var i = 0; i < lanes.Count; i++)
            {
                var result = await lanes[i].Run(slice, cancellationToken);
                slices[i].Add(result);
                line.Add(string.Create(CultureInfo.InvariantCulture, $"{result.PerSecond:0}/s"));
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"Round {round}/{rounds} : {slice.TotalSeconds:0.##} s per lane: {string.Join(" | ", line)}"));
        }

        return [.. lanes.Select((lane, i) => new LaneResult(lane, LoadResult.Combine(slices[i]), slices[i]))];
    }
}
