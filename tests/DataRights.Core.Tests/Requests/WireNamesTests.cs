using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Requests;

public sealed class WireNamesTests
{
    public static TheoryData<RequestType> AllTypes() => [.. Enum.GetValues<RequestType>()];

    public static TheoryData<Jurisdiction> AllJurisdictions() => [.. Enum.GetValues<Jurisdiction>()];

    public static TheoryData<RequestStatus> AllStatuses() => [.. Enum.GetValues<RequestStatus>()];

    public static TheoryData<IntakeChannel> AllChannels() => [.. Enum.GetValues<IntakeChannel>()];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void ParseType_NameOfEveryValue_RoundTrips(RequestType value)
    {
        Assert.Equal(value, WireNames.ParseType(value.Name()));
        Assert.True(WireNames.TryParseType(value.Name(), out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [MemberData(nameof(AllJurisdictions))]
    public void ParseJurisdiction_NameOfEveryValue_RoundTrips(Jurisdiction value)
    {
        Assert.Equal(value, WireNames.ParseJurisdiction(value.Name()));
        Assert.True(WireNames.TryParseJurisdiction(value.Name(), out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void ParseStatus_NameOfEveryValue_RoundTrips(RequestStatus value)
    {
        Assert.Equal(value, WireNames.ParseStatus(value.Name()));
        Assert.True(WireNames.TryParseStatus(value.Name(), out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [MemberData(nameof(AllChannels))]
    public void ParseChannel_NameOfEveryValue_RoundTrips(IntakeChannel value)
    {
        Assert.Equal(value, WireNames.ParseChannel(value.Name()));
        Assert.True(WireNames.TryParseChannel(value.Name(), out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData(RequestType.Access, "access")]
    [InlineData(RequestType.Erasure, "erasure")]
    [InlineData(RequestType.Rectification, "rectification")]
    [InlineData(RequestType.Restriction, "restriction")]
    [InlineData(RequestType.Objection, "objection")]
    [InlineData(RequestType.Portability, "portability")]
    public void Name_RequestType_IsStoredWireName(RequestType value, string expected)
    {
        Assert.Equal(expected, value.Name());
    }

    [Theory]
    [InlineData(Jurisdiction.UK, "UK")]
    [InlineData(Jurisdiction.EU, "EU")]
    [InlineData(Jurisdiction.UsCa, "US-CA")]
    [InlineData(Jurisdiction.BR, "BR")]
    [InlineData(Jurisdiction.IN, "IN")]
    [InlineData(Jurisdiction.Other, "OTHER")]
    public void Name_Jurisdiction_IsStoredWireName(Jurisdiction value, string expected)
    {
        Assert.Equal(expected, value.Name());
    }

    [Theory]
    [InlineData(RequestStatus.Received, "received")]
    [InlineData(RequestStatus.AwaitingVerification, "awaiting_verification")]
    [InlineData(RequestStatus.Verified, "verified")]
    [InlineData(RequestStatus.Discovering, "discovering")]
    [InlineData(RequestStatus.AwaitingApproval, "awaiting_approval")]
    [InlineData(RequestStatus.AwaitingInformation, "awaiting_information")]
    [InlineData(RequestStatus.Executing, "executing")]
    [InlineData(RequestStatus.Completed, "completed")]
    [InlineData(RequestStatus.Rejected, "rejected")]
    [InlineData(RequestStatus.Expired, "expired")]
    [InlineData(RequestStatus.Failed, "failed")]
    public void Name_RequestStatus_IsStoredWireName(RequestStatus value, string expected)
    {
        Assert.Equal(expected, value.Name());
    }

    [Theory]
    [InlineData(IntakeChannel.WebForm, "web_form")]
    [InlineData(IntakeChannel.Api, "api")]
    [InlineData(IntakeChannel.Email, "email")]
    [InlineData(IntakeChannel.Post, "post")]
    [InlineData(IntakeChannel.Phone, "phone")]
    [InlineData(IntakeChannel.InPerson, "in_person")]
    public void Name_IntakeChannel_IsStoredWireName(IntakeChannel value, string expected)
    {
        Assert.Equal(expected, value.Name());
    }

    [Fact]
    public void AllTypes_Always_ListsEveryTypeNameInDeclarationOrder()
    {
        Assert.Equal(["access", "erasure", "rectification", "restriction", "objection", "portability"], WireNames.AllTypes);
    }

    [Fact]
    public void AllJurisdictions_Always_ListsEveryJurisdictionNameInDeclarationOrder()
    {
        Assert.Equal(["UK", "EU", "US-CA", "BR", "IN", "OTHER"], WireNames.AllJurisdictions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Access")]
    [InlineData("ACCESS")]
    [InlineData(" access")]
    [InlineData("delete")]
    [InlineData("Access ")]
    public void TryParseType_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(WireNames.TryParseType(name, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("uk")]
    [InlineData("US_CA")]
    [InlineData("UsCa")]
    [InlineData("us-ca")]
    [InlineData("GB")]
    [InlineData("Other")]
    public void TryParseJurisdiction_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(WireNames.TryParseJurisdiction(name, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AwaitingVerification")]
    [InlineData("awaiting-verification")]
    [InlineData("Received")]
    [InlineData("closed")]
    public void TryParseStatus_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(WireNames.TryParseStatus(name, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("WebForm")]
    [InlineData("web-form")]
    [InlineData("fax")]
    public void TryParseChannel_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(WireNames.TryParseChannel(name, out _));
    }

    [Fact]
    public void ParseType_UnknownName_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => WireNames.ParseType("Access"));
    }

    [Fact]
    public void ParseJurisdiction_UnknownName_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => WireNames.ParseJurisdiction("uk"));
    }

    [Fact]
    public void ParseStatus_UnknownName_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => WireNames.ParseStatus("AwaitingVerification"));
    }

    [Fact]
    public void ParseChannel_UnknownName_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => WireNames.ParseChannel("WebForm"));
    }
}
