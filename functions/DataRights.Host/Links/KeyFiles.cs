using System.Security.Cryptography;

namespace DataRights.Host.Links;

/// <summary>
/// Zero-config signing keys for a stand-alone run: 32 random bytes in the data folder, owner-only,
/// created once. Production sets keys from configuration (Key Vault references) instead.
/// </summary>
public static class KeyFiles
{
    /// <summary>
    /// A key set by a secret reference (<c>env:NAME</c> holding base64), or, when <paramref name="reference"/> is
    /// empty, the stand-alone key file <paramref name="fileName"/>; refused unless <paramref name="fits"/> its length.
    /// </summary>
    public static byte[] FromReferenceOrFile(string? reference, string dataDirectory, string fileName, Func<int, bool> fits, string problem)
    {
        var key = string.IsNullOrEmpty(reference) ? LoadOrCreate(dataDirectory, fileName) : Convert.FromBase64String(Sources.SecretReferences.Resolve(reference));
        return fits(key.Length) ? key : throw new InvalidOperationException(problem);
    }

    public static byte[] LoadOrCreate(string dataDirectory, string fileName)
    {
        var folder = Path.Combine(Path.GetFullPath(dataDirectory), "keys");
        var path = Path.Combine(folder, fileName);

        if (File.Exists(path))
        {
            // Made owner-only again when read (a folder copied or restored with wider rights); one this process may not
            // change (another user's, read-only) is read as it is.
            try
            {
                Hosting.OwnerOnlyFiles.Folder(folder);
                Hosting.OwnerOnlyFiles.Restrict(path);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
            }

            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Hosting.OwnerOnlyFiles.Folder(folder);
        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two hosts starting at once on one folder: the first rename wins and both read its key.
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temporary);
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
