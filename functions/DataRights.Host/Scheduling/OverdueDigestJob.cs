using DataRights.Core.Deadlines;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Host.Hosting;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Scheduling;

/// <summary>
/// Each working morning, one email to staff listing overdue requests and those due within three days, and any request
/// received but set aside, not taken in (none of these: no email).
/// </summary>
public sealed class OverdueDigestJob(
    IRequestStore store,
    ISubmissionInbox submissions,
    DeadlineRegimes regimes,
    DeadlineCalculator calculator,
    IOptions<DataRightsOptions> dataRights,
    MessageComposer composer,
    IEmailSender sender,
    IOptions<WorkflowOptions> options,
    TimeProvider time) : IScheduledJob
{
    private const int PageSize = 100;

    public string Name => "overdue-digest";

    public string Schedule => options.Value.DigestSchedule;

    public string TimeZoneId => options.Value.DigestTimeZone;

    public async Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(scheduledFor, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId)).DateTime);
        var open = (await DueByAsync(today.AddDays(3), cancellationToken)).Where(r => !StatutoryClock.IsPaused(r.Progress)).ToList();
        var overdue = open.Where(r => r.Progress.Overdue || r.Deadline.DueOn < today).OrderBy(r => r.Deadline.DueOn).ToList();
        var soon = open.Except(overdue).Where(r => r.Deadline.DueOn <= today.AddDays(3)).OrderBy(r => r.Deadline.DueOn).ToList();
        var setAside = (await submissions.ListSetAsideAsync(StaffConsole.SetAsidePage.Listed, cancellationToken))
            .Select(s => (s, StaffConsole.SetAsidePage.DueOn(s, dataRights.Value.DefaultJurisdiction, regimes, calculator))).ToList();
        if (overdue.Count + soon.Count + setAside.Count == 0)
        {
            return;
        }

        // One id per occurrence: a digest run twice for the same morning is sent once, even side by side.
        await sender.SendWaitingForAnyHoldAsync(composer.ComposeDigest($"digest:{scheduledFor:yyyyMMddHHmm}", today, overdue, soon, setAside), time, cancellationToken);
    }

    /// <summary>
    /// The open requests due by <paramref name="last"/> (overdue ones included): the open list is in due-date order, so
    /// it is read page by page only as far as that date, however many requests are open.
    /// </summary>
    private async Task<List<Core.Requests.DataSubjectRequest>> DueByAsync(DateOnly last, CancellationToken cancellationToken)
    {
        var due = new List<Core.Requests.DataSubjectRequest>();
        OpenRequestCursor? after = null;
        do
        {
            var page = await store.ListOpenPageAsync(PageSize, after, cancellationToken);
            foreach (var request in page.Items)
            {
                if (request.Deadline.DueOn > last)
                {
                    return due;
                }

                due.Add(request);
            }

            after = page.Next;
        }
        while (after is not null);
        return due;
    }
}
