using DataRights.Core.Requests;

namespace DataRights.Core.Deadlines;

/// <summary>The regime each jurisdiction answers under. Defaults follow the law; configuration may override.</summary>
public sealed class DeadlineRegimes
{
    private readonly Dictionary<Jurisdiction, DeadlineRegime> _byJurisdiction;

    public DeadlineRegimes(IReadOnlyDictionary<Jurisdiction, DeadlineRegime> byJurisdiction)
    {
        _byJurisdiction = new(byJurisdiction);
        foreach (var jurisdiction in Enum.GetValues<Jurisdiction>())
        {
            if (!_byJurisdiction.ContainsKey(jurisdiction))
            {
                throw new ArgumentException($"No deadline regime for {jurisdiction.Name()}.", nameof(byJurisdiction));
            }
        }
    }

    public static DeadlineRegimes Default { get; } = new(Defaults());

    public DeadlineRegime For(Jurisdiction jurisdiction) => _byJurisdiction[jurisdiction];

    public IEnumerable<DeadlineRegime> All => _byJurisdiction.Values.DistinctBy(r => r.Key);

    /// <summary>
    /// UK GDPR and EU GDPR: one month, extendable by two (Art. 12(3)), a due date on a weekend or public
    /// holiday moved to the next working day (UK: the bank holidays of England and Wales until the
    /// controller's nation is configured; EU, Regulation 1182/71 Art. 3(4): weekends only until the
    /// controller's member state is configured, the earlier and so safe date); CCPA/CPRA: 45 days, one
    /// 45-day extension, acknowledgement in 10 business days (weekends and California state holidays
    /// skipped), no pause; LGPD: 15 days (Art. 19 II). DPDP (India)
    /// and other places have no single statutory period we can assume: 30 days until configured, as the
    /// shorter period is the safe side.
    /// </summary>
    public static Dictionary<Jurisdiction, DeadlineRegime> Defaults() => new()
    {
        [Jurisdiction.UK] = new DeadlineRegime
        {
            Key = "uk-gdpr", Name = "UK GDPR", Months = 1, MoveToWorkingDay = true, TimeZoneId = "Europe/London",
            HolidayCalendar = HolidayCalendars.EnglandAndWales, PausesForVerification = true, PausesForClarification = true, ExtensionMonths = 2,
        },
        [Jurisdiction.EU] = new DeadlineRegime
        {
            Key = "eu-gdpr", Name = "EU GDPR", Months = 1, MoveToWorkingDay = true, TimeZoneId = "Europe/Brussels",
            PausesForVerification = false, ExtensionMonths = 2,
        },
        [Jurisdiction.UsCa] = new DeadlineRegime
        {
            Key = "ccpa", Name = "CCPA/CPRA", Days = 45, TimeZoneId = "America/Los_Angeles",
            HolidayCalendar = HolidayCalendars.California, AcknowledgeWithinBusinessDays = 10, ExtensionDays = 45,
        },
        [Jurisdiction.BR] = new DeadlineRegime
        {
            Key = "lgpd", Name = "LGPD", Days = 15, TimeZoneId = "America/Sao_Paulo",
        },
        [Jurisdiction.IN] = new DeadlineRegime
        {
            Key = "dpdp", Name = "DPDP Act (India)", Days = 30, TimeZoneId = "Asia/Kolkata",
        },
        [Jurisdiction.Other] = new DeadlineRegime
        {
            Key = "other", Name = "Company policy", Days = 30, TimeZoneId = "Etc/UTC",
        },
    };
}
