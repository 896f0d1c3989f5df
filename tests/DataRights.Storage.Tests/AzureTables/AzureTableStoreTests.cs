using DataRights.Core.Requests;
using DataRights.Core.Sources.Registry;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>What only the Table adapter has to get right: its limits, recovery after a crash mid-commit, keys, tables, credentials.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Commit_ProgressBeyondOneMebibyte_IsRefusedNamingIt_AndNothingIsWritten()
    {
        var store = new AzureTableRequestStore(await azurite.NewStoreAsync());
        var stored = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var nonces = Enumerable.Range(0, 12_000).Select(i => $"nonce-{i:D6}-{new string('n', 40)}").ToList();
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0.AddHours(1), progress: stored.Progress with { UsedLinkNonces = nonces });

        var error = await Assert.ThrowsAsync<TableEntityTooLargeException>(() => store.CommitAsync(updated, 1, audit, None));

        Assert.Contains($"request {stored.Id}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Progress", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.GetAsync(stored.Id, None))!.Version);
        Assert.Equal(2, (await store.GetAuditTrailAsync(stored.Id, None)).Count);
    }

    [Fact]
    public async Task Commit_TransactionBeyondFourMebibytes_IsRefusedNamingIt_AndNothingIsWritten()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var drafts = Enumerable.Range(0, 80)
            .Select(i => new Core.Audit.AuditDraft(T0.AddHours(1), "staff:tester", "test.step", "awaiting_verification", "verified", new Dictionary<string, string?> { ["note"] = new string('p', 60_000) }))
            .ToList();
        var (audit, head) = Core.Audit.AuditChain.Extend(stored.AuditHead, stored.Id, drafts);
        var updated = stored with { Status = RequestStatus.Verified, Version = 2, AuditHead = head!, UpdatedAt = T0.AddHours(1) };

        var error = await Assert.ThrowsAsync<TableEntityTooLargeException>(() => store.CommitAsync(updated, 1, audit, None));

        Assert.Contains("transaction", error.Message, StringComparison.Ordinal);
        Assert.Contains("4,194,304", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.GetAsync(stored.Id, None))!.Version);
        Assert.Equal(2, (await store.GetAuditTrailAsync(stored.Id, None)).Count);
    }

    [Fact]
    public async Task Registration_BeyondOneMebibyte_IsRefusedNamingIt()
    {
        var registrations = new AzureTableSourceRegistrationStore(await azurite.NewStoreAsync());
        var huge = new SourceRegistration
        {
            Key = "warehouse", DisplayName = "Warehouse", ConnectorType = "sqlite", Access = "read", Region = "eu-west",
            Categories = [.. Enumerable.Range(0, 300).Select(i => new CategoryPolicy { Key = $"c{i}", DisplayName = "Warehouse table", Strategy = "delete", Queries = new Dictionary<string, string> { ["discover"] = new string('q', 2000) } })],
        };

        var error = await Assert.ThrowsAsync<TableEntityTooLargeException>(() => registrations.SaveAsync(huge, "admin:ana", T0, None));

        Assert.Contains("registration of source warehouse", error.Message, StringComparison.Ordinal);
        Assert.Empty(await registrations.ListAsync(None));
    }

    [Fact]
    public async Task Submit_FromSeveralProcessesAtOnce_StoresOneDuplicate_AndReferencesStayUnique()
    {
        // Separate store objects share nothing in memory, as separate hosts would: only the ETags keep them apart.
        var tables = await azurite.NewStoreAsync();
        var processes = Enumerable.Range(0, 4).Select(_ => new AzureTableRequestStore(new AzureTableStore(tables.Connection))).ToList();

        var identical = await Task.WhenAll(processes.SelectMany(p => Enumerable.Range(0, 2).Select(_ => Task.Run(() => p.SubmitAsync(New(), T0 - Window, Start, None)))));
        var distinct = await Task.WhenAll(processes.SelectMany((p, i) => Enumerable.Range(0, 3).Select(j => Task.Run(() => p.SubmitAsync(New($"p{i}.{j}@example.com"), T0 - Window, Start, None)))));

        Assert.Single(identical, o => o.Created);
        Assert.Single(identical.Select(o => o.Request.Id).Distinct());
        var references = identical.Where(o => o.Created).Concat(distinct).Select(o => o.Request.Reference).ToList();
        Assert.Equal(13, references.Count);
        Assert.Equal(13, references.Distinct().Count());
        Assert.Equal(13, (await processes[0].ListOpenAsync(100, None)).Count);
    }

    [Fact]
    public async Task Keys_WithCharactersTableStorageForbids_RoundTrip()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var holds = new AzureTableLegalHoldStore(tables);
        var odd = New() with { Id = "dr/ä#1?x\\y 'z'" };

        var stored = (await store.SubmitAsync(odd, T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
        Assert.True(await store.CommitAsync(Owing(updated, "a/b#c", T0), 1, audit, None));
        await holds.PlaceAsync(new LegalHold("hold/1#?", LegalHold.SourceScope, null, "crm", "Audit", "admin:ana", T0), None);

        Assert.Equal(odd.Id, (await store.GetAsync(odd.Id, None))!.Id);
        Assert.Equal(3, (await store.GetAuditTrailAsync(odd.Id, None)).Count);
        Assert.Equal([$"{odd.Id}:a/b#c", $"{odd.Id}:verification:1", $"{odd.Id}:verification-reminder:1"], (await store.GetWithOpenWorkAsync(odd.Id, None))!.OpenWork.Select(w => w.Id));
        Assert.True(await holds.LiftAsync("hold/1#?", "admin:bo", T0.AddDays(1), None));
    }

    [Fact]
    public async Task Initialize_IsIdempotent_TablesThatExistAreFine()
    {
        var tables = await azurite.NewStoreAsync();

        await tables.InitializeAsync(None);
        await new AzureTableStore(tables.Connection).InitializeAsync(None);

        Assert.Empty(await new AzureTableLegalHoldStore(tables).ListAsync(None));
    }

    [Fact]
    public async Task AWrongAccountKey_FailsWithTheServicesReason()
    {
        var wrong = AzureTableConnection.WithAccountKey(azurite.Server.TableEndpoint, null, Convert.ToBase64String(new byte[64])) with { TablePrefix = "Wrong" };

        var error = await Assert.ThrowsAsync<TableStorageException>(() => new AzureTableStore(wrong).InitializeAsync(None));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailure", error.ErrorCode);
    }
}
