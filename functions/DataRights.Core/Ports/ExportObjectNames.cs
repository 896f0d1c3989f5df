namespace DataRights.Core.Ports;

/// <summary>
/// The names an <see cref="IExportStore"/> accepts, checked by every adapter before it touches a path or
/// a URL: a request id (ASCII letters, digits, <c>_</c> and <c>-</c>, at most 64) and an object name
/// (ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, not starting with a dot, at most 100).
/// Neither can climb out of its folder or change the meaning of a URL.
/// </summary>
public static class ExportObjectNames
{
    public static void EnsureValid(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        if (requestId.Length is 0 or > 64 || requestId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-'))
        {
            throw new ArgumentException("Not a request id.", nameof(requestId));
        }
    }

    public static void EnsureValid(string requestId, string name)
    {
        EnsureValid(requestId);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 100 || name[0] == '.' || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')))
        {
            throw new ArgumentException("Not an export object name (ASCII letters, digits, '.', '_' and '-').", nameof(name));
        }
    }
}
