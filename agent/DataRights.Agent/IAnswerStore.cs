namespace DataRights.Agent;

/// <summary>The answers the agent gave, by command id, so a command delivered again is answered the same without running again.</summary>
public interface IAnswerStore
{
    Task<byte[]?> FindAsync(string commandId, CancellationToken cancellationToken);

    Task SaveAsync(string commandId, byte[] answer, CancellationToken cancellationToken);
}
