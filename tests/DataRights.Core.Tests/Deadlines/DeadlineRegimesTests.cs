using DataRights.Core.Deadlines;
using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Deadlines;

public sealed class DeadlineRegimesTests
{
    public static TheoryData<Jurisdiction> AllJurisdictions() => [.. Enum.GetValues<Jurisdiction>()];

    [Theory]
    [MemberData(nameof(AllJurisdictions))]
    public void Constructor_MapMissingAJurisdiction_ThrowsNamingIt(Jurisdiction missing)
    {
        var map = DeadlineRegimes.Defaults();
        map.Remove(missing);

        var exception = Assert.Throws<ArgumentException>(() => new DeadlineRegimes(map));

        Assert.Equal("byJurisdiction", exception.ParamName);
        Assert.Contains(missing.Name(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyMap_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DeadlineRegimes(new Dictionary<Jurisdiction, DeadlineRegime>()));
    }

    [Fact]
    public void Constructor_SourceMapChangedAfterwards_KeepsItsOwnCopy()
    {
        var map = DeadlineRegimes.Defaults();
        var regimes = new DeadlineRegimes(map);

        map[Jurisdiction.UK] = map[Jurisdiction.Other];

        Assert.Equal("uk-gdpr", regimes.For(Jurisdiction.UK).Key);
    }

    [Theory]
    [InlineData(Jurisdiction.UK, "uk-gdpr", "Europe/London", HolidayCalendars.EnglandAndWales)]
    [InlineData(Jurisdiction.EU, "eu-gdpr", "Europe/Brussels", HolidayCalendars.None)]
    [InlineData(Jurisdiction.UsCa, "ccpa", "America/Los_Angeles", HolidayCalendars.California)]
    [InlineData(Jurisdiction.BR, "lgpd", "America/Sao_Paulo", HolidayCalendars.None)]
    [InlineData(Jurisdiction.IN, "dpdp", "Asia/Kolkata", HolidayCalendars.None)]
    [InlineData(Jurisdiction.Other, "other", "Etc/UTC", HolidayCalendars.None)]
    public void For_DefaultJurisdiction_HasExpectedRegime(Jurisdiction jurisdiction, string key, string timeZoneId, string calendar)
    {
        var regime = DeadlineRegimes.Default.For(jurisdiction);

        Assert.Equal(key, regime.Key);
        Assert.Equal(timeZoneId, regime.TimeZoneId);
        Assert.Equal(calendar, regime.HolidayCalendar);
    }

    [Fact]
    public void For_Uk_IsOneMonthMovedToWorkingDayPausedForVerification()
    {
        var uk = DeadlineRegimes.Default.For(Jurisdiction.UK);

        Assert.Equal((1, 0, true, true, (int?)null, 2, 0), (uk.Months, uk.Days, uk.MoveToWorkingDay, uk.PausesForVerification, uk.AcknowledgeWithinBusinessDays, uk.ExtensionMonths, uk.ExtensionDays));
    }

    [Fact]
    public void For_UsCa_Is45DaysUnmovedWithTenBusinessDayAcknowledgement()
    {
        var ccpa = DeadlineRegimes.Default.For(Jurisdiction.UsCa);

        Assert.Equal((0, 45, false, false, (int?)10, 0, 45), (ccpa.Months, ccpa.Days, ccpa.MoveToWorkingDay, ccpa.PausesForVerification, ccpa.AcknowledgeWithinBusinessDays, ccpa.ExtensionMonths, ccpa.ExtensionDays));
    }

    [Fact]
    public void For_Br_Is15DaysUnmoved()
    {
        var lgpd = DeadlineRegimes.Default.For(Jurisdiction.BR);

        Assert.Equal((0, 15, false, (int?)null), (lgpd.Months, lgpd.Days, lgpd.MoveToWorkingDay, lgpd.AcknowledgeWithinBusinessDays));
    }

    [Fact]
    public void All_Default_ListsEachRegimeOnce()
    {
        var keys = DeadlineRegimes.Default.All.Select(r => r.Key).Order(StringComparer.Ordinal);

        Assert.Equal(["ccpa", "dpdp", "eu-gdpr", "lgpd", "other", "uk-gdpr"], keys);
    }

    [Fact]
    public void All_TwoJurisdictionsSharingARegime_ListsItOnce()
    {
        var map = DeadlineRegimes.Defaults();
        map[Jurisdiction.IN] = map[Jurisdiction.Other];

        var keys = new DeadlineRegimes(map).All.Select(r => r.Key).ToList();

        Assert.Equal(5, keys.Count);
        Assert.Single(keys, "other");
    }

    [Theory]
    [MemberData(nameof(AllJurisdictions))]
    public void For_DefaultRegime_NamesAKnownCalendarAndTimeZone(Jurisdiction jurisdiction)
    {
        var regime = DeadlineRegimes.Default.For(jurisdiction);

        Assert.True(HolidayCalendars.Default.Contains(regime.HolidayCalendar));
        Assert.Equal(regime.TimeZoneId, TimeZoneInfo.FindSystemTimeZoneById(regime.TimeZoneId).Id);
    }
}
