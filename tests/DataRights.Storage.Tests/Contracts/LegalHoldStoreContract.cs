using DataRights.Core.Sources.Registry;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="ILegalHoldStore"/> must do: keep holds, lift them once, and keep lifted ones as evidence.</summary>
public abstract class LegalHoldStoreContract : StoreContract
{
    private ILegalHoldStore Store => Stores.Holds;

    [Fact]
    public async Task Place_ThenList_ReturnsHoldsByIdAsPlaced()
    {
        var person = new LegalHold("hold-2", LegalHold.PersonScope, LegalHold.HashSubject("kim.lee@example.com"), null, "Litigation 2026/17", "admin:ana", T0);
        var source = new LegalHold("hold-1", LegalHold.SourceScope, null, "billing", "Tax audit", "admin:bo", T0.AddHours(1));

        await Store.PlaceAsync(person, None);
        await Store.PlaceAsync(source, None);

        var holds = await Store.ListAsync(None);
        Assert.Equal([source, person], holds);
        Assert.All(holds, h => Assert.True(h.Active));
    }

    [Fact]
    public async Task Lift_AnActiveHold_RecordsWhoAndWhenAndKeepsIt()
    {
        await Store.PlaceAsync(new LegalHold("hold-1", LegalHold.SourceScope, null, "billing", "Tax audit", "admin:bo", T0), None);

        Assert.True(await Store.LiftAsync("hold-1", "admin:ana", T0.AddDays(30), None));
        Assert.False(await Store.LiftAsync("hold-1", "admin:cy", T0.AddDays(31), None));
        Assert.False(await Store.LiftAsync("no-such-hold", "admin:cy", T0.AddDays(31), None));

        var lifted = Assert.Single(await Store.ListAsync(None));
        Assert.False(lifted.Active);
        Assert.Equal("admin:ana", lifted.LiftedBy);
        Assert.Equal(T0.AddDays(30), lifted.LiftedAt);
        Assert.Equal("Tax audit", lifted.Reason);
    }

    [Fact]
    public async Task Place_TheSameIdTwice_IsRefusedAndKeepsTheFirst()
    {
        await Store.PlaceAsync(new LegalHold("hold-1", LegalHold.SourceScope, null, "billing", "Tax audit", "admin:bo", T0), None);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.PlaceAsync(new LegalHold("hold-1", LegalHold.SourceScope, null, "crm", "Other", "admin:cy", T0), None));

        Assert.Equal("billing", Assert.Single(await Store.ListAsync(None)).SourceKey);
    }
}
