using System.Text.RegularExpressions;
using System.Xml;

namespace DataRights.Testing.ServiceBus;

/// <summary>A topic's duplicate detection, as a Bicep template declares it.</summary>
public sealed partial record TopicSettings(bool RequiresDuplicateDetection, TimeSpan DuplicateDetectionWindow)
{
    /// <summary>
    /// Reads the topic <paramref name="name"/> from a Bicep file: its <c>requiresDuplicateDetection</c> and
    /// <c>duplicateDetectionHistoryTimeWindow</c> (an ISO 8601 duration; Service Bus's default of 10 minutes when absent).
    /// </summary>
    public static TopicSettings FromBicep(string bicepPath, string name)
    {
        var text = File.ReadAllText(bicepPath);
        var start = text.IndexOf($"name: '{name}'", StringComparison.Ordinal);
        if (start < 0 || text.LastIndexOf("namespaces/topics@", start, StringComparison.Ordinal) < 0)
        {
            throw new InvalidOperationException($"{bicepPath} declares no topic '{name}'.");
        }

        var block = text[start..text.IndexOf("\n}", start, StringComparison.Ordinal)];
        var requires = RequiresPattern().Match(block) is { Success: true } r && r.Groups[1].Value == "true";
        var window = WindowPattern().Match(block) is { Success: true } w ? XmlConvert.ToTimeSpan(w.Groups[1].Value) : TimeSpan.FromMinutes(10);
        return new TopicSettings(requires, window);
    }

    [GeneratedRegex(@"requiresDuplicateDetection:\s*(true|false)")]
    private static partial Regex RequiresPattern();

    [GeneratedRegex(@"duplicateDetectionHistoryTimeWindow:\s*'([^']+)'")]
    private static partial Regex WindowPattern();
}
