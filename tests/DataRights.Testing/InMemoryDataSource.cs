using System.Collections.Concurrent;
using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Testing;

/// <summary>
/// An in-memory fake of the connector port: records per email, an optional delay, failures on
/// demand, and a count of every call so tests can prove a second delivery made no second call.
/// </summary>
public sealed class InMemoryDataSource(string key, string displayName, SourceAccess access = SourceAccess.ReadWrite) : IDataSourceConnector
{
    private readonly ConcurrentDictionary<string, int> _records = new(StringComparer.OrdinalIgnoreCase);
    private int _discoverCalls;
    private int _executeCalls;

    public DataSourceDescriptor Descriptor { get; } = new(key, displayName, access, "eu-west");

    public TimeSpan Delay { get; set; }

    /// <summary>Awaited at the start of every discovery (tests use it to hold calls until others arrive).</summary>
    public Func<CancellationToken, Task>? BeforeDiscover { get; set; }

    /// <summary>Awaited at the start of every execution (tests use it to hold a call, or to fail it).</summary>
    public Func<CancellationToken, Task>? BeforeExecute { get; set; }

    /// <summary>When set, discovery throws this many more times before it works (int.MaxValue: always).</summary>
    public int FailDiscoveries { get; set; }

    public int FailExecutions { get; set; }

    /// <summary>Executions that erase and then fail, as if the answer were lost (a crash or timeout after the change).</summary>
    public int FailExecutionsAfterErasing { get; set; }

    public IReadOnlyList<RetainedRecords> Retains { get; set; } = [];

    /// <summary>When true, erasure reports success but leaves the records (a broken source the re-check must catch).</summary>
    public bool EraseLeavesRecords { get; set; }

    public int DiscoverCalls => _discoverCalls;

    public int ExecuteCalls => _executeCalls;

    public void Add(string email, int records) => _records[email] = records;

    public int RecordsOf(string email) => _records.GetValueOrDefault(email);

    public bool Reachable { get; set; } = true;

    public Task<ConnectionTest> TestAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectionTest(Reachable, Reachable ? "The fake source answered." : "The fake source is down."));

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        Interlocked.Increment(ref _discoverCalls);
        if (BeforeDiscover is { } gate)
        {
            await gate(cancellationToken);
        }

        await Task.Delay(Delay, cancellationToken);
        if (FailDiscoveries > 0)
        {
            FailDiscoveries--;
            throw new InvalidOperationException("The fake source is down.");
        }

        var count = _records.GetValueOrDefault(subject.Email);
        return new DiscoveryFindings(count, count > 0 ? ["contact.email", "contact.name"] : [], subject.AccountReference is not null && count > 0);
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        Interlocked.Increment(ref _executeCalls);
        if (BeforeExecute is { } gate)
        {
            await gate(cancellationToken);
        }

        await Task.Delay(Delay, cancellationToken);
        if (FailExecutions > 0)
        {
            FailExecutions--;
            throw new InvalidOperationException("The fake source refused the change.");
        }

        var removed = EraseLeavesRecords ? _records.GetValueOrDefault(subject.Email) : _records.TryRemove(subject.Email, out var gone) ? gone : 0;
        if (FailExecutionsAfterErasing > 0)
        {
            FailExecutionsAfterErasing--;
            throw new TimeoutException("The fake source erased, but its answer was lost.");
        }

        return new ExecutionOutcome(removed, 0, 0, 0, Retains);
    }

    /// <summary>One "contacts" table with a row per record held for the person.</summary>
    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        await Task.Delay(Delay, cancellationToken);
        var count = _records.GetValueOrDefault(call.Subject.Email);
        await sink.BeginTableAsync("contact.email", "contacts", ["n", "email"], providedByPerson: true, cancellationToken);
        for (var n = 1; n <= count; n++)
        {
            await sink.WriteRowAsync([n, call.Subject.Email], cancellationToken);
        }

        return new ExecutionOutcome(0, 0, count, 0, []);
    }

    private readonly ConcurrentQueue<DateOnly> _dated = new();
    private int _purgeCalls;

    /// <summary>When true, each purge step deletes nothing and says more is due (a system counting its held records as due).</summary>
    public bool PurgeNeverCompletes { get; set; }

    /// <summary>The category purge calls act on; records of it are only dates (see <see cref="AddDated"/>).</summary>
    public string PurgeCategory { get; set; } = "contact.email";

    /// <summary>Awaited at the start of every purge step (tests hold a run inside a source with it).</summary>
    public Func<PurgeCommand, CancellationToken, Task>? BeforePurge { get; set; }

    public int PurgeCalls => _purgeCalls;

    public int DatedRecords => _dated.Count;

    public void AddDated(DateOnly date, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _dated.Enqueue(date);
        }
    }

    /// <summary>Purges up to a batch of dated records older than the cutoff (holds are not modelled: the fake holds no people's dates).</summary>
    public async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _purgeCalls);
        if (BeforePurge is { } gate)
        {
            await gate(command, cancellationToken);
        }

        if (command.Category != PurgeCategory)
        {
            return PurgeOutcome.NotHeld;
        }

        if (PurgeNeverCompletes && !command.DryRun)
        {
            return new PurgeOutcome(_dated.Count, 0, _dated.Count, Complete: false);
        }

        lock (_dated)
        {
            var due = _dated.Where(d => d < command.Cutoff).ToList();
            var take = command.DryRun ? due.Count : Math.Min(due.Count, command.BatchSize);
            if (!command.DryRun)
            {
                var keep = _dated.ToList();
                foreach (var date in due.Take(take))
                {
                    keep.Remove(date);
                }

                _dated.Clear();
                foreach (var date in keep)
                {
                    _dated.Enqueue(date);
                }
            }

            return new PurgeOutcome(take, take, 0, command.DryRun || take < command.BatchSize);
        }
    }
}

/// <summary>A registry of in-memory sources for tests.</summary>
public sealed class InMemorySourceRegistry(params InMemoryDataSource[] sources) : IDataSourceRegistry
{
    public IReadOnlyList<DataSourceDescriptor> ActiveSources() => [.. sources.Select(s => s.Descriptor)];

    public IDataSourceConnector? Connector(string sourceKey) => sources.FirstOrDefault(s => s.Descriptor.Key == sourceKey);
}
