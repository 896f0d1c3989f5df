using System.Diagnostics;
using System.Globalization;
using DataRights.Bench.Storage;

namespace DataRights.Bench.Intake;

/// <summary>
/// Waits, before a lane's run, until the program has finished the work the requests accepted so far started: every
/// submission taken in, their verification emails sent (every message work item done), then this process (the host, its task hub, the clients)
/// and Azurite together using under <see cref="QuietShare"/> of one core for two spans of <see cref="Span"/> in a row
/// (their orchestrations' episodes done; what is left is the task hub polling its queues). Without it, a raw insert
/// lane run straight after an intake lane shared the two cores and Azurite with that lane's orchestrations.
/// </summary>
internal sealed class ProgramIdle(StoreCounts store, int? azuritePid)
{
    private const double QuietShare = 0.10;
    private static readonly TimeSpan Span = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly List<TimeSpan> _waits = [];
    private int _notQuiet;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await StoreCounts.WaitAsync("submissions not taken in", store.SubmissionsNotTakenInAsync, 0, cancellationToken, poll: 50);
        await StoreCounts.WaitAsync("outstanding messages", store.OutstandingMessagesAsync, 0, cancellationToken, poll: 50);
        var quietSpans = 0;
        while (quietSpans < 2)
        {
            if (watch.Elapsed > Limit)
            {
                _notQuiet++;
                break;
            }

            var cpu0 = CpuTime();
            var at = Stopwatch.GetTimestamp();
            await Task.Delay(Span, cancellationToken);
            var share = (CpuTime() - cpu0) / Stopwatch.GetElapsedTime(at);
            quietSpans = share < QuietShare ? quietSpans + 1 : 0;
        }

        _waits.Add(watch.Elapsed);
    }

    /// <summary>How the waits went, for the report.</summary>
    public string Summary() => _waits.Count == 0
        ? "no waits"
        : string.Create(CultureInfo.InvariantCulture,
            $"{_waits.Count} waits for the program to be idle before a lane, {_waits.Min().TotalSeconds:0.0} to {_waits.Max().TotalSeconds:0.0} s (median {_waits.Order().ElementAt(_waits.Count / 2).TotalSeconds:0.0} s){(_notQuiet > 0 ? $"; {_notQuiet} gave up after {Limit.TotalSeconds:0} s without two quiet spans" : string.Empty)}");

    private TimeSpan CpuTime() => Reporting.ProcessCpu.Own() + Reporting.ProcessCpu.Of(azuritePid);
}
