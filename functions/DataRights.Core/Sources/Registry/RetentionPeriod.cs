using System.Globalization;
using System.Text.RegularExpressions;

namespace DataRights.Core.Sources.Registry;

/// <summary>An ISO 8601 period of years, months, weeks and days (<c>P7Y</c>, <c>P6M</c>, <c>P7W</c>, <c>P28D</c>), added in calendar terms.</summary>
public sealed partial record RetentionPeriod(int Years, int Months, int Weeks, int Days)
{
    public static bool TryParse(string? text, out RetentionPeriod period)
    {
        period = new RetentionPeriod(0, 0, 0, 0);
        if (text is null || Pattern().Match(text) is not { Success: true } m || text == "P")
        {
            return false;
        }

        static int Part(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        period = new RetentionPeriod(Part(m.Groups["y"]), Part(m.Groups["m"]), Part(m.Groups["w"]), Part(m.Groups["d"]));
        return period.Years + period.Months + period.Weeks + period.Days > 0 && period.Years <= 100;
    }

    /// <summary>The period as people read it: "7 years", "1 year and 6 months", "7 weeks", "28 days".</summary>
    public string Describe() => Text.Plural.List([.. new[] { (Years, "year"), (Months, "month"), (Weeks, "week"), (Days, "day") }
        .Where(p => p.Item1 > 0).Select(p => Text.Plural.Count(p.Item1, p.Item2))]);

    /// <summary>The last day of retention for a record dated <paramref name="from"/>.</summary>
    public DateOnly From(DateOnly from) => from.AddYears(Years).AddMonths(Months).AddDays((Weeks * 7) + Days);

    [GeneratedRegex(@"^P(?:(?<y>\d{1,3})Y)?(?:(?<m>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?$")]
    private static partial Regex Pattern();
}
