using System.Globalization;
using System.Security.Cryptography;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Bench.Intake;

/// <summary>
/// <c>--breakdown</c>: the same submissions through the running host's own services, skipping layers, to
/// show where an intake request's time goes. The service stage is intake minus HTTP and JSON; the store
/// stage is one <see cref="IRequestStore.SubmitAsync"/> (connection, pragmas, four statements, commit).
/// </summary>
internal sealed class IntakeBreakdown(IServiceProvider services)
{
    private long _next;
    private long _created;

    /// <summary>Requests these stages stored, so the row count can still be checked.</summary>
    public long Created => Interlocked.Read(ref _created);

    public async ValueTask<string?> SubmitThroughServiceAsync(int worker, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _next);
        await using var scope = services.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<IntakeService>();
        var outcome = await intake.SubmitAsync(
            new IntakeSubmission("erasure", Email("service", n), Name(n), "UK", null, null), IntakeChannel.Api, cancellationToken);
        return Count(outcome is IntakeOutcome.Accepted { Created: true } ? null : outcome.GetType().Name);
    }

    public async ValueTask<string?> SubmitToStoreAsync(int worker, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _next);
        var store = services.GetRequiredService<IRequestStore>();
        var now = TimeProvider.System.GetUtcNow();
        var intake = new ValidatedIntake(RequestType.Erasure, Email("store", n), Name(n), Jurisdiction.UK, null, null);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var request = new NewRequest(
            RequestIds.New(),
            intake,
            IntakeChannel.Api,
            now,
            new Deadline("UK", today, today.AddMonths(1), null),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            RequestFingerprint.Compute(intake),
            "requester:api");
        var outcome = await store.SubmitAsync(request, now - TimeSpan.FromMinutes(10), cancellationToken);
        return Count(outcome.Created ? null : "duplicate");
    }

    private string? Count(string? error)
    {
        if (error is null)
        {
            Interlocked.Increment(ref _created);
        }

        return error;
    }

    private static string Email(string stage, long n) => string.Create(CultureInfo.InvariantCulture, $"bench-{stage}-{n}@example.com");

    private static string Name(long n) => string.Create(CultureInfo.InvariantCulture, $"Bench Person {n}");
}
