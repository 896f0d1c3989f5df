using System.Globalization;

namespace DataRights.Bench.Measurement;

/// <summary>
/// Runs lanes in rounds (A B C, A B C, ...) rather than one after the other (AAA BBB CCC), so a change in the
/// machine's state (another build, the disk's write cache filling, a noisy neighbour) hits every lane alike
/// and the ratios between lanes stay fair even when the absolute rates drift. With <c>alternate</c>, every second
/// round runs the lanes in the reverse order (A B C, C B A, ...), so no lane always follows the same one. A lane's
/// <see cref="Lane.Before"/> runs before each of its runs, untimed.
/// </summary>
internal static class InterleavedRuns
{
    public static async Task<IReadOnlyList<LaneResult>> RunAsync(
        IReadOnlyList<Lane> lanes, TimeSpan warmup, TimeSpan duration, int rounds, TextWriter output, CancellationToken cancellationToken, bool alternate = false)
    {
        if (warmup > TimeSpan.Zero)
        {
            foreach (var lane in lanes)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Warm-up   : {lane.Name}, {warmup.TotalSeconds:0.#} s"));
                if (lane.Before is { } before)
                {
                    await before(cancellationToken);
                }

                await lane.Run(warmup, cancellationToken);
            }
        }

        var slice = duration / rounds;
        var slices = lanes.Select(_ => new List<LoadResult>(rounds)).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            var reversed = alternate && round % 2 == 0;
            var line = new string[lanes.Count];
            for (var n = 0; n < lanes.Count; n++)
            {
                var i = reversed ? lanes.Count - 1 - n : n;
                if (lanes[i].Before is { } before)
                {
                    await before(cancellationToken);
                }

                var result = await lanes[i].Run(slice, cancellationToken);
                slices[i].Add(result);
                line[i] = string.Create(CultureInfo.InvariantCulture, $"{result.PerSecond:0}/s");
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"Round {round}/{rounds} : {slice.TotalSeconds:0.##} s per lane{(reversed ? ", run in reverse order" : string.Empty)}: {string.Join(" | ", line)} (load {Reporting.MachineFacts.LoadAverage()})"));
        }

        return [.. lanes.Select((lane, i) => new LaneResult(lane, LoadResult.Combine(slices[i]), slices[i]))];
    }
}
