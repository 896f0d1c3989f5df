using System.Security.Cryptography;

namespace DataRights.Host.Links;

/// <summary>
/// Zero-config signing keys for a stand-alone run: 32 random bytes in the data folder, owner-only,
/// created once. Production sets keys from configuration (Key Vault references) instead.
/// </summary>
public static class KeyFiles
{
    public static byte[] LoadOrCreate(string dataDirectory, string fileName)
    {
        var folder = Path.Combine(Path.GetFullPath(dataDirectory), "keys");
        var path = Path.Combine(folder, fileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(folder);
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
