using System.Globalization;

namespace DataRights.Core.Requests;

/// <summary>Formats the human reference quoted to requesters: DR-2026-000123.</summary>
public static class RequestReference
{
    public static string Format(int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"DR-{year:D4}-{number:D6}");
}
