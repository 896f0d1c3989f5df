namespace DataRights.Agent;

/// <summary>What became of a posted answer: taken, refused for good (the command is done with), or worth posting again later.</summary>
public enum CallbackResult
{
    Accepted,
    Refused,
    TryAgain,
}
