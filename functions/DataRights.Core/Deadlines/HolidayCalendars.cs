using PublicHoliday;

namespace DataRights.Core.Deadlines;

/// <summary>
/// The holiday calendars regimes can name: the three UK calendars, California's state holidays, the
/// EU member states whose lists were checked against the official ones (keyed by ISO code in lower
/// case), and weekends only (<see cref="None"/>). Configuration may add or remove dates of any of them.
/// </summary>
public sealed class HolidayCalendars
{
    public const string None = "none";
    public const string EnglandAndWales = "england-and-wales";
    public const string Scotland = "scotland";
    public const string NorthernIreland = "northern-ireland";
    public const string California = "california";

    private static readonly Dictionary<string, BuiltIn> BuiltIns = new(StringComparer.OrdinalIgnoreCase)
    {
        [EnglandAndWales] = Library("England and Wales", () => new UKBankHoliday(UKBankHoliday.UkCountries.England)),
        [Scotland] = Library("Scotland", () => new UKBankHoliday(UKBankHoliday.UkCountries.Scotland)),
        [NorthernIreland] = Library("Northern Ireland", () => new UKBankHoliday(UKBankHoliday.UkCountries.NorthernIreland)),
        [California] = new("California", (_, added, removed) => new CaliforniaStateHolidays(added, removed)),
        ["at"] = Library("Austria", () => new AustriaPublicHoliday()),
        ["be"] = Library("Belgium", () => new BelgiumPublicHoliday()),
        ["de"] = Library("Germany (national holidays)", () => new GermanPublicHoliday()),
        ["es"] = Library("Spain (national holidays)", () => new SpainPublicHoliday()),
        ["fr"] = Library("France", () => new FrancePublicHoliday()),
        ["ie"] = Library("Ireland", () => new IrelandPublicHoliday()),
        // Law 151/2025 restored 4 October (St Francis of Assisi) as a national holiday from 2026; the library predates it.
        ["it"] = Library("Italy", () => new ItalyPublicHoliday(), year => year >= 2026 ? [new DateOnly(year, 10, 4)] : []),
        ["lu"] = Library("Luxembourg", () => new LuxembourgPublicHoliday()),
        ["nl"] = Library("Netherlands", () => new DutchPublicHoliday()),
        ["pl"] = Library("Poland", () => new PolandPublicHoliday()),
        // Swedish deadlines also skip Midsummer Eve, Christmas Eve and New Year's Eve (lag 1930:173), as the library lists.
        ["se"] = Library("Sweden", () => new SwedenPublicHoliday()),
    };

    private readonly Dictionary<string, IHolidayCalendar> _calendars = new(StringComparer.OrdinalIgnoreCase);

    public HolidayCalendars(IEnumerable<IHolidayCalendar> calendars)
    {
        _calendars[None] = new FixedHolidayCalendar(None, []);
        foreach (var calendar in calendars)
        {
            _calendars[calendar.Key] = calendar;
        }
    }

    /// <summary>Every built-in calendar as published, and weekends only.</summary>
    public static HolidayCalendars Default { get; } = new([.. BuiltIns.Keys.Select(k => Create(k))]);

    /// <summary>The keys of the built-in calendars with the place each covers, for documentation and staff.</summary>
    public static IReadOnlyDictionary<string, string> BuiltInNames { get; } =
        BuiltIns.ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.OrdinalIgnoreCase);

    public static bool IsBuiltIn(string key) => BuiltIns.ContainsKey(key);

    /// <summary>A built-in calendar with configured dates added and removed.</summary>
    public static IHolidayCalendar Create(string key, IEnumerable<DateOnly>? added = null, IEnumerable<DateOnly>? removed = null) =>
        BuiltIns.TryGetValue(key, out var builtIn)
            ? builtIn.Factory(key.ToLowerInvariant(), added, removed)
            : throw new KeyNotFoundException($"No built-in holiday calendar named '{key}'.");

    /// <summary>All built-in calendars, each with the dates configuration adds or removes for its key; other keys become fixed lists.</summary>
    public static HolidayCalendars Create(IReadOnlyDictionary<string, (IEnumerable<DateOnly> Added, IEnumerable<DateOnly> Removed)> configured)
    {
        var calendars = BuiltIns.Keys.Select(key =>
            configured.TryGetValue(key, out var dates) ? Create(key, dates.Added, dates.Removed) : Create(key)).ToList();
        calendars.AddRange(configured.Where(p => !IsBuiltIn(p.Key)).Select(p => new FixedHolidayCalendar(p.Key, p.Value.Added)));
        return new HolidayCalendars(calendars);
    }

    public bool Contains(string key) => _calendars.ContainsKey(key);

    public IHolidayCalendar Get(string key) =>
        _calendars.TryGetValue(key, out var calendar)
            ? calendar
            : throw new KeyNotFoundException($"No holiday calendar named '{key}'.");

    private static BuiltIn Library(string name, Func<IPublicHolidays> source, Func<int, IEnumerable<DateOnly>>? corrections = null) =>
        new(name, (key, added, removed) => new PublicHolidayCalendar(key, name, source(), corrections, added, removed));

    private sealed record BuiltIn(string Name, Func<string, IEnumerable<DateOnly>?, IEnumerable<DateOnly>?, IHolidayCalendar> Factory);
}
