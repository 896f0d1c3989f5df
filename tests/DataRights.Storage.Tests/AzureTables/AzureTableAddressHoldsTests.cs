using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// An address held while one submission for it is taken in, across instances sharing the tables: one holder at a time, a
/// dead holder's hold taken over once its time has passed, and a waiter that gives up with a plain error.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableAddressHoldsTests(AzuriteFixture azurite)
{
    private const string Email = "held.person@example.com";

    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task AnAddress_IsHeldByOneInstanceAtATime_TheOtherWaitingUntilItsHoldEnds()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        var other = new AzureTableStore(one.Connection, clock);

        var first = await new AzureTableAddressHolds(one).HoldAsync(Email, None);
        var second = new AzureTableAddressHolds(other).HoldAsync(" Held.Person@EXAMPLE.com", None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(second.IsCompleted, "the address was held twice at once");

        // Another address is not held by it.
        await using (await new AzureTableAddressHolds(other).HoldAsync("someone.else@example.com", None))
        {
        }

        // Kept under a hash of the address: nothing in the row names it.
        var row = Assert.Single(await HoldRowsAsync(one));
        Assert.DoesNotContain("example", row.RowKey, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(row.Properties.Values.OfType<string>(), v => v.Contains("example", StringComparison.OrdinalIgnoreCase));

        await first.DisposeAsync();
        await using (await second.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Single(await HoldRowsAsync(one));
        }

        Assert.Empty(await HoldRowsAsync(one));
    }

    [Fact]
    public async Task AHoldWhoseHolderDied_IsTakenOverOnceItsTimeHasPassed_AndTheLateEndOfTheDeadHoldChangesNothing()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        var holds = new AzureTableAddressHolds(one);
        var other = new AzureTableAddressHolds(new AzureTableStore(one.Connection, clock));
        var dead = await holds.HoldAsync(Email, None);

        clock.Advance(holds.HoldFor + TimeSpan.FromSeconds(1));
        var taken = await other.HoldAsync(Email, None).WaitAsync(TimeSpan.FromSeconds(30));

        // The first holder comes back and ends its hold: the one that took over still holds the address.
        await dead.DisposeAsync();
        Assert.Single(await HoldRowsAsync(one));
        var third = holds.HoldAsync(Email, None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(third.IsCompleted, "the address was held twice at once");

        await taken.DisposeAsync();
        await (await third.WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();
        Assert.Empty(await HoldRowsAsync(one));
    }

    [Fact]
    public async Task AWaiter_GivesUpWithAPlainError_WhenTheHoldOutlastsItsTries()
    {
        var clock = new FakeTimeProvider(Start);
        var one = await azurite.NewStoreAsync(clock);
        await using var held = await new AzureTableAddressHolds(one).HoldAsync(Email, None);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => new AzureTableAddressHolds(new AzureTableStore(one.Connection, clock)) { MaxTries = 3 }.HoldAsync(Email, None));

        Assert.Contains("try again later", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("example", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<List<TableEntity>> HoldRowsAsync(AzureTableStore store) =>
        store.Client.QueryAsync(store.LookupsTable, TableKeys.Partition("address-hold"), null, None);
}
