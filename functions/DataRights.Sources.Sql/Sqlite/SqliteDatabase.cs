using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace DataRights.Host.Sources.Sqlite;

/// <summary>
/// One SQLite database file. Reads open pooled connections. Writes go through one writer that
/// group-commits: the writes waiting at that moment run in one IMMEDIATE transaction, each inside
/// its own savepoint (a failing write rolls back alone), and one durable COMMIT (WAL, FULL sync)
/// makes them all durable together. Nobody is told "done" before that commit returns, so each
/// write is as durable as with a transaction of its own, for a fraction of the fsyncs. The writer keeps
/// one connection open and, through <see cref="Statement"/>, its prepared statements, so a frequent write
/// does not compile its SQL again each time.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int MaxBatch = 64;

    /// <summary>Distinct statements the writer keeps prepared (multi-row inserts have one text per row count).</summary>
    private const int MaxStatements = 512;
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> WriterStatements = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();
    private static readonly object Marker = new();
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private long _commits;
    private SqliteConnection? _writerConnection;
    private long _durableWrites;

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new Lazy<Task>(() => Task.Run(WriterLoopAsync));
    }

    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>Transactions committed by the writer since start (benchmarks read it).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes (each a transaction of its own to its caller) made durable since start; several share one commit.</summary>
    public long Writes => Interlocked.Read(ref _durableWrites);

    /// <summary>Opens a connection: FULL sync so a commit survives power loss, not only a crash.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Pooled connections keep their native handle, and these settings stay on it: set them once per handle.
            // Every write runs in a savepoint (group commit); its statement journal spills to a temp file past 64 KiB
            // (a purge batch does), so temp_store = MEMORY keeps it in memory: about a sixth of a large write's time.
            if (!Configured.TryGetValue(connection.Handle!, out _))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                Configured.AddOrUpdate(connection.Handle!, Marker);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and returns once it is durably committed.
    /// The work must only touch the database through the connection and transaction it is given.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var write = new Write<T>(work, cancellationToken);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        _ = _writer.Value;
        return write.Task;
    }

    public void Dispose() => _writes.Writer.TryComplete();

    /// <summary>
    /// For work inside <see cref="WriteAsync{T}"/>: the writer's prepared statement for <paramref name="sql"/>
    /// (made on first use and kept), in <paramref name="transaction"/>, with no parameters yet. It belongs
    /// to the writer: add parameters, execute it and dispose its reader, but never dispose the statement.
    /// </summary>
    public static SqliteCommand Statement(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        if (!WriterStatements.TryGetValue(connection, out var statements))
        {
            throw new InvalidOperationException("Kept statements are only for work run by SqliteDatabase.WriteAsync, on the connection it gives.");
        }

        if (!statements.TryGetValue(sql, out var command))
        {
            if (statements.Count >= MaxStatements)
            {
                DisposeAll(statements);
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            statements[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        try
        {
            await WriteBatchesAsync(batch);
        }
        finally
        {
            await CloseWriterAsync();
        }
    }

    private async Task WriteBatchesAsync(List<IWrite> batch)
    {
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                if (!write.CancelIfRequested())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
            }
        }
    }

    private async Task CommitBatchAsync(List<IWrite> batch)
    {
        try
        {
            var connection = _writerConnection ??= await OpenWriterAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await transaction.SaveAsync(savepoint);
                if (await batch[i].RunAsync(connection, transaction))
                {
                    await transaction.ReleaseAsync(savepoint);
                }
                else
                {
                    await transaction.RollbackAsync(savepoint);
                    await transaction.ReleaseAsync(savepoint);
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _durableWrites, batch.Count);
            foreach (var write in batch)
            {
                write.Complete();
            }
        }
        catch (Exception ex)
        {
            // The commit itself failed (disk full, I/O error): nothing in this batch is durable. The next
            // batch starts on a fresh connection, in case this one is in a state it cannot leave.
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            await CloseWriterAsync();
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync()
    {
        var connection = await OpenAsync(CancellationToken.None);
        WriterStatements.AddOrUpdate(connection, new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        return connection;
    }

    private async Task CloseWriterAsync()
    {
        if (_writerConnection is { } connection)
        {
            _writerConnection = null;
            if (WriterStatements.TryGetValue(connection, out var statements))
            {
                DisposeAll(statements);
                WriterStatements.Remove(connection);
            }

            await connection.DisposeAsync();
        }
    }

    private static void DisposeAll(Dictionary<string, SqliteCommand> statements)
    {
        foreach (var command in statements.Values)
        {
            command.Dispose();
        }

        statements.Clear();
    }

    private interface IWrite
    {
        bool CancelIfRequested();

        /// <summary>Runs the work; false when it threw (its exception is kept for after the commit).</summary>
        Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        void Complete();

        void Fail(Exception ex);
    }

    private sealed class Write<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : IWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _done.TrySetCanceled(cancellationToken);

        public async Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction)
        {
            try
            {
                _result = await work(connection, transaction);
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is not null)
            {
                _done.TrySetException(_error);
            }
            else
            {
                _done.TrySetResult(_result!);
            }
        }

        public void Fail(Exception ex) => _done.TrySetException(_error ?? ex);
    }
}
