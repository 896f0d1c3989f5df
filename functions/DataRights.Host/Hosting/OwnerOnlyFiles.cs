namespace DataRights.Host.Hosting;

/// <summary>
/// Everything the program writes (keys, mail, stores, demo databases, exports) is readable by its own user only:
/// files 600, folders 700. No-ops on Windows, where the data folder's ACL decides.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderPermissions = FilePermissions | UnixFileMode.UserExecute;

    /// <summary>Creates the folder if missing and makes it (new or not) owner-only.</summary>
    public static string Folder(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, FolderPermissions);
        }

        return path;
    }

    /// <summary>Makes an existing file owner-only.</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, FilePermissions);
        }
    }

    /// <summary>A new file for writing, created owner-only (never readable by others, not even for a moment).</summary>
    public static FileStream Create(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless a file is there already: false then, and
    /// nothing is written. The file appears whole (written aside, then moved into place), so a reader never sees half of
    /// it, and two writers racing for the same path leave one file.
    /// </summary>
    public static bool WriteOnce(string path, ReadOnlySpan<byte> content)
    {
        if (File.Exists(path))
        {
            return false;
        }

        var temporary = path + "." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".tmp";
        using (var file = Create(temporary, FileMode.CreateNew))
        {
            file.Write(content);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>A file name made from an id: letters, digits, '-', '_' and '.' kept, anything else '_'.</summary>
    public static string SafeName(string id, string extension)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]) + extension;
    }
}
