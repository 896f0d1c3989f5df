using System.Text.Json.Serialization;
using DataRights.Core.Email;

namespace DataRights.Email.SendGrid;

/// <summary>
/// The v3 <c>POST /v3/mail/send</c> body, limited to what we use. Tracking is off: click tracking and Google Analytics
/// would rewrite the signed action links, and open/subscription tracking would add pixels and links nobody asked for.
/// <c>custom_args</c> carries our opaque ids only: SendGrid stores it as non-personal data it cannot redact.
/// </summary>
internal sealed record MailSendBody(
    IReadOnlyList<Personalization> Personalizations,
    MailAddress From,
    string Subject,
    IReadOnlyList<MailContent> Content,
    TrackingSettings TrackingSettings,
    IReadOnlyDictionary<string, string> CustomArgs)
{
    public static MailSendBody Create(EmailMessage message, SendGridOptions options)
    {
        // SendGrid refuses empty content values and wants text/plain before text/html.
        List<MailContent> content = [];
        if (message.TextBody.Length > 0)
        {
            content.Add(new MailContent("text/plain", message.TextBody));
        }

        if (message.HtmlBody.Length > 0)
        {
            content.Add(new MailContent("text/html", message.HtmlBody));
        }

        return new MailSendBody(
            [new Personalization([new MailAddress(message.To, null)])],
            new MailAddress(options.FromEmail, string.IsNullOrWhiteSpace(options.FromName) ? null : options.FromName),
            message.Subject,
            content,
            TrackingSettings.AllOff,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["request_id"] = message.RequestId,
                ["message_id"] = message.Id,
            });
    }
}

internal sealed record Personalization(IReadOnlyList<MailAddress> To);

internal sealed record MailAddress(string Email, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

internal sealed record MailContent(string Type, string Value);

internal sealed record TrackingSettings(ClickTracking ClickTracking, Toggle OpenTracking, Toggle SubscriptionTracking, Toggle Ganalytics)
{
    public static TrackingSettings AllOff { get; } = new(new ClickTracking(false, false), new Toggle(false), new Toggle(false), new Toggle(false));
}

internal sealed record ClickTracking(bool Enable, bool EnableText);

internal sealed record Toggle(bool Enable);

/// <summary>SendGrid's error body: <c>{"errors":[{"message":"...","field":"..."}]}</c>.</summary>
internal sealed record ErrorBody(IReadOnlyList<ErrorItem>? Errors);

internal sealed record ErrorItem(string? Message, string? Field);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MailSendBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class SendGridJson : JsonSerializerContext;
