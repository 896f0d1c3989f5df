using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>Validates a submission, applies the per-email limit, computes the statutory dates and stores the request.</summary>
public sealed class IntakeService(
    IRequestStore store,
    DeadlineRegimes regimes,
    DeadlineCalculator calculator,
    StatusLinks statusLinks,
    IntakeRateLimiter rateLimiter,
    TimeProvider time,
    IOptions<DataRightsOptions> options,
    ILogger<IntakeService> logger)
{
    public async Task<IntakeOutcome> SubmitAsync(IntakeSubmission submission, IntakeChannel channel, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var validation = IntakeValidator.Validate(submission, WireNames.ParseJurisdiction(o.DefaultJurisdiction));
        if (validation.Value is not { } intake)
        {
            logger.SubmissionInvalid(validation.Errors.Count, string.Join(",", validation.Errors.Keys));
            return new IntakeOutcome.Invalid(validation.Errors);
        }

        if (rateLimiter.TryAcquireForEmail(intake.Email) is { } retryAfter)
        {
            logger.SubmissionRateLimited("email");
            return new IntakeOutcome.RateLimited(retryAfter);
        }

        var now = time.GetUtcNow();
        var id = RequestIds.New();
        var token = statusLinks.CreateToken(id);
        var request = new NewRequest(
            id,
            intake,
            channel,
            now,
            calculator.Compute(regimes.For(intake.Jurisdiction), now),
            StatusLinks.Hash(token),
            RequestFingerprint.Compute(intake),
            Actor: "requester:" + channel.Name());

        var outcome = await store.SubmitAsync(request, now - o.DuplicateWindow, cancellationToken);
        var stored = outcome.Request;
        if (outcome.Created)
        {
            logger.RequestAccepted(stored.Id, stored.Reference, stored.Type.Name(), stored.Channel.Name(), stored.Deadline.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            return new IntakeOutcome.Accepted(stored, token, Created: true);
        }

        logger.DuplicateSubmission(stored.Id, stored.Reference);
        return new IntakeOutcome.Accepted(stored, statusLinks.CreateToken(stored.Id), Created: false);
    }
}
