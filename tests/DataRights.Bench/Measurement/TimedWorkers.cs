using System.Diagnostics;

namespace DataRights.Bench.Measurement;

/// <summary>
/// Runs N workers, each looping one operation back to back (closed loop) until the time is up, and
/// records every operation's latency. An operation started before the deadline is allowed to finish
/// and counts; the rate divides by the span from start to the last completion.
/// </summary>
internal static class TimedWorkers
{
    // dedicatedThreads: for operations that block (synchronous SQLite, busy waits), one OS thread per
    // worker, so the thread pool's slow growth does not throttle the run.
    public static async Task<LoadResult> RunAsync(
        int concurrency, TimeSpan duration, WorkerOperation operation, bool dedicatedThreads, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var workers = new Worker[concurrency];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var worker = workers[i] = new Worker(i, start);
            tasks[i] = dedicatedThreads
                ? Task.Factory.StartNew(
                    () => worker.RunAsync(operation, stopAt, cancellationToken),
                    cancellationToken,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).Unwrap()
                : Task.Run(() => worker.RunAsync(operation, stopAt, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(tasks);

        var end = workers.Max(w => w.LastEnd);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in workers.SelectMany(w => w.Errors))
        {
            errors[key] = errors.GetValueOrDefault(key) + count;
        }

        return new LoadResult(
            concurrency,
            workers.Sum(w => w.Succeeded),
            errors,
            Stopwatch.GetElapsedTime(start, end),
            cpu,
            [.. workers.SelectMany(w => w.Latencies)]);
    }

    private sealed class Worker(int index, long start)
    {
        public List<long> Latencies { get; } = new(capacity: 16 * 1024);

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long Succeeded { get; private set; }

        public long LastEnd { get; private set; } = start;

        public async Task RunAsync(WorkerOperation operation, long stopAt, CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var begin = Stopwatch.GetTimestamp();
                if (begin >= stopAt)
                {
                    return;
                }

                string? error;
                try
                {
                    error = await operation(index, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = ex.GetType().Name;
                }

                var end = Stopwatch.GetTimestamp();
                Latencies.Add(end - begin);
                LastEnd = end;
                if (error is null)
                {
                    Succeeded++;
                }
                else
                {
                    Errors[error] = Errors.GetValueOrDefault(error) + 1;
                }
            }
        }
    }
}
