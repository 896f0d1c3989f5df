using Microsoft.Extensions.Options;

namespace DataRights.Email.SendGrid;

/// <summary>The rules data annotations cannot say: an absolute HTTPS address (plain HTTP only on loopback, for a local fake) and sane delays.</summary>
public sealed class SendGridOptionsValidator : IValidateOptions<SendGridOptions>
{
    public ValidateOptionsResult Validate(string? name, SendGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address)
        {
            failures.Add("SendGrid:BaseAddress must be an absolute URI.");
        }
        else if (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && address.IsLoopback))
        {
            // The API key travels in a header: never over plain HTTP to another machine.
            failures.Add("SendGrid:BaseAddress must use https (plain http is allowed on loopback only).");
        }

        if (options.MaxRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("SendGrid:MaxRetryDelay must be positive.");
        }

        if (options.InitialRetryDelay <= TimeSpan.Zero || options.InitialRetryDelay > options.MaxRetryDelay)
        {
            failures.Add("SendGrid:InitialRetryDelay must be positive and no longer than MaxRetryDelay.");
        }

        if (options.SendHold < TimeSpan.FromSeconds(10) || options.SendHold > TimeSpan.FromHours(1))
        {
            failures.Add("SendGrid:SendHold must be between 10 seconds and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
