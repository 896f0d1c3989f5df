namespace DataRights.Core.Requests;

/// <summary>How a request reached us: the web form, the JSON API, or staff entering one received by post, phone or email.</summary>
public enum IntakeChannel
{
    WebForm,
    Api,
    Email,
    Post,
    Phone,
    InPerson,
}
