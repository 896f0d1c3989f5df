using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Host.Sources;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Exports;

/// <summary>
/// Where exports live (the data folder's <c>exports/</c>, one folder per request, owner-only) and the
/// key that seals them: <c>DataRights:ExportKey</c> as a secret reference (<c>env:NAME</c>, 32 bytes in
/// base64), or on a stand-alone run a key file made once in the data folder.
/// </summary>
public sealed class ExportFiles
{
    private readonly string _root;
    private readonly Lazy<byte[]> _key;

    public ExportFiles(IOptions<DataRightsOptions> options)
    {
        var o = options.Value;
        _root = Path.Combine(Path.GetFullPath(o.DataDirectory), "exports");
        _key = new Lazy<byte[]>(() =>
        {
            var key = string.IsNullOrEmpty(o.ExportKey) ? KeyFiles.LoadOrCreate(o.DataDirectory, "export.key") : Convert.FromBase64String(SecretReferences.Resolve(o.ExportKey));
            return key.Length == 32 ? key : throw new InvalidOperationException("DataRights:ExportKey must be 32 bytes (256 bits), base64-encoded.");
        });
    }

    public byte[] Key => _key.Value;

    /// <summary>The copy one source made for a request.</summary>
    public string PartPath(string requestId, string sourceKey) => Path.Combine(Folder(requestId), sourceKey + ".part");

    /// <summary>The assembled package.</summary>
    public string PackagePath(string requestId) => Path.Combine(Folder(requestId), "package.zip.sealed");

    public static string PartLabel(string requestId, string sourceKey) => $"export-part:{requestId}:{sourceKey}";

    public static string PackageLabel(string requestId) => "export-package:" + requestId;

    public string Folder(string requestId, bool create = false)
    {
        if (requestId.Length is 0 or > 64 || requestId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-'))
        {
            throw new ArgumentException("Not a request id.", nameof(requestId));
        }

        var folder = Path.Combine(_root, requestId);
        if (create && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return folder;
    }

    /// <summary>Deletes everything exported for a request (idempotent).</summary>
    public void Delete(string requestId)
    {
        var folder = Folder(requestId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
