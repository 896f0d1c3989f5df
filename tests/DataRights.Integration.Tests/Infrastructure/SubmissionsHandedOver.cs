using DataRights.Host.Requests;
using DataRights.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// The test host's answer to a public submission (the form's <c>POST /</c>, <c>POST /api/requests</c>) goes back once
/// the host's queue reader has read it from the submission queue (kept, its taking in started): where the program answers
/// as soon as the message is sent. So a test reading the store or the staff pages after submitting finds what it would
/// have found when the answer waited for those two writes, rather than racing the queue reader. The answer's own
/// behaviour (before anything is kept or taken in) is tested in <c>SubmissionTakeInTests</c>, which reads the queue itself.
/// </summary>
public sealed class SubmissionsHandedOver : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, inner) =>
        {
            // Before the answer starts (the client has it from then on), once the submission is on the queue.
            if (HttpMethods.IsPost(context.Request.Method) && (context.Request.Path == "/" || context.Request.Path == "/api/requests")
                && context.RequestServices.GetService(typeof(SubmissionQueue)) is SubmissionQueue queue)
            {
                context.Response.OnStarting(() => context.Response.StatusCode < 400 ? SubmissionInboxWaits.QueueReadAsync(queue.CountAsync) : Task.CompletedTask);
            }

            return inner(context);
        });
        next(app);
    };
}
