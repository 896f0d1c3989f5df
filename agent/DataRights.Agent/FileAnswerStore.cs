using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

/// <summary>
/// Answers as files in the state folder (<c>answers/</c>, named by a hash of the command id), written whole then moved into
/// place, so a crash leaves either the full answer or none. Answers older than <see cref="KeepFor"/> are removed at start.
/// </summary>
public sealed class FileAnswerStore : IAnswerStore
{
    /// <summary>Longer than any command can wait on its queue (7 days) and be delivered again.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    private readonly string _folder;

    public FileAnswerStore(IOptions<AgentOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _folder = Path.Combine(Path.GetFullPath(options.Value.StateDirectory), "answers");
        Directory.CreateDirectory(_folder);
        foreach (var old in new DirectoryInfo(_folder).EnumerateFiles().Where(f => f.LastWriteTimeUtc < time.GetUtcNow().UtcDateTime - KeepFor))
        {
            old.Delete();
        }
    }

    public async Task<byte[]?> FindAsync(string commandId, CancellationToken cancellationToken)
    {
        var path = PathOf(commandId);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public async Task SaveAsync(string commandId, byte[] answer, CancellationToken cancellationToken)
    {
        var path = PathOf(commandId);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, answer, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string commandId) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandId))) + ".json");
}
