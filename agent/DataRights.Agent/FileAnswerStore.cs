using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

/// <summary>
/// Answers as files in the state folder (<c>answers/</c>, named by a hash of the command id), written whole then moved into
/// place, so a crash leaves either the full answer or none. Answers older than <see cref="KeepFor"/> are removed at start
/// and, while the agent runs, at most once an hour as answers are saved; one found older is taken as gone.
/// </summary>
public sealed class FileAnswerStore : IAnswerStore
{
    /// <summary>Longer than any command can wait on its queue (7 days) and be delivered again.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly string _folder;
    private readonly TimeProvider _time;
    private DateTimeOffset _swept;

    public FileAnswerStore(IOptions<AgentOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _folder = Path.Combine(Path.GetFullPath(options.Value.StateDirectory), "answers");
        Directory.CreateDirectory(_folder);
        Sweep();
    }

    public async Task<byte[]?> FindAsync(string commandId, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(commandId));
        if (!file.Exists)
        {
            return null;
        }

        if (Expired(file))
        {
            file.Delete();
            return null;
        }

        return await File.ReadAllBytesAsync(file.FullName, cancellationToken);
    }

    public async Task SaveAsync(string commandId, byte[] answer, CancellationToken cancellationToken)
    {
        var path = PathOf(commandId);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, answer, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        if (_time.GetUtcNow() - _swept >= SweepEvery)
        {
            Sweep();
        }
    }

    /// <summary>Answers can hold a person's data (an erasure's counts name no one, but a search's categories do): none is kept past <see cref="KeepFor"/>.</summary>
    private void Sweep()
    {
        _swept = _time.GetUtcNow();
        foreach (var old in new DirectoryInfo(_folder).EnumerateFiles().Where(Expired))
        {
            old.Delete();
        }
    }

    private bool Expired(FileInfo file) => file.LastWriteTimeUtc < _time.GetUtcNow().UtcDateTime - KeepFor;

    private string PathOf(string commandId) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandId))) + ".json");
}
