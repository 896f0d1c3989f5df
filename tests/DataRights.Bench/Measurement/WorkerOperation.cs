namespace DataRights.Bench.Measurement;

/// <summary>One timed operation of worker <paramref name="worker"/>: null on success, otherwise a short error key (e.g. "HTTP 429").</summary>
internal delegate ValueTask<string?> WorkerOperation(int worker, CancellationToken cancellationToken);
