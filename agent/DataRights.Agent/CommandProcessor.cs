using Azure.Messaging.ServiceBus;
using DataRights.Core.Agents;

namespace DataRights.Agent;

/// <summary>
/// One received message, start to end: opens the sealed command, answers it (<see cref="AgentCommandHandler"/>), posts the
/// answer, and only then completes the message. An answer that could not be delivered, or a failure before it, abandons
/// the message so Service Bus delivers it again (at least once); a message that is no command at all is dead-lettered.
/// </summary>
public sealed class CommandProcessor(AgentCommandHandler handler, CallbackClient callbacks, Microsoft.Extensions.Options.IOptions<AgentOptions> options, TimeProvider time,
    ILogger<CommandProcessor> logger)
{
    public async Task<CallbackResult?> ProcessAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        AgentCommand command;
        try
        {
            command = AgentEnvelope.Open(message.Body.ToArray(), message.MessageId, callbacks.Secret);
        }
        catch (InvalidDataException ex)
        {
            logger.NotACommand(message.MessageId);
            await receiver.DeadLetterMessageAsync(message, "not-a-command", ex.Message, cancellationToken);
            return null;
        }

        if (command.AnswerBy is { } answerBy && time.GetUtcNow() > answerBy)
        {
            // The pipeline has stopped waiting and failed the step; running it now would change data nobody reports.
            logger.CommandExpired(command.CommandId);
            await receiver.CompleteMessageAsync(message, cancellationToken);
            return CallbackResult.Refused;
        }

        CallbackResult result;
        try
        {
            // An erasure or a purge waits on the queue for as long as the agent is away: the pipeline is asked just before
            // it runs whether it still may (a request's step still open, no legal hold placed since), and names the people
            // held now, whom a purge spares and a follow-up erasure leaves alone. A command that ran before (its answer
            // kept) is not asked: it is only answered again. A dry run deletes nothing and is not asked.
            if ((command.Kind == AgentCommandKind.Erase || command.Purge is { DryRun: false }) && command.Callback is { } step
                && !await handler.AnsweredBeforeAsync(command.CommandId, cancellationToken))
            {
                var (go, held) = await callbacks.MayProceedAsync(step, cancellationToken);
                if (go == CallbackResult.Accepted && command.Purge is { } order && held.Count > 0)
                {
                    command = command with { Purge = order with { HeldSubjects = [.. order.HeldSubjects.Union(held, StringComparer.Ordinal).Order(StringComparer.Ordinal)] } };
                }
                else if (go == CallbackResult.Accepted && command.Kind == AgentCommandKind.Erase && command.Subject is { } subject
                    && held.Contains(Core.Sources.Registry.LegalHold.HashSubject(subject.Email)))
                {
                    logger.ErasureNotCarriedOut(command.CommandId, command.Source, "held");
                    result = await callbacks.PostAsync(step, AgentCommandHandler.Error("A legal hold now covers these records: nothing was erased."), cancellationToken);
                    await Settle(receiver, message, result, cancellationToken);
                    return result;
                }

                if (go != CallbackResult.Accepted)
                {
                    logger.ErasureNotCarriedOut(command.CommandId, command.Source, go.ToString());
                    await Settle(receiver, message, go, cancellationToken);
                    return go;
                }
            }

            var answer = await handler.AnswerAsync(command, lastAttempt: message.DeliveryCount >= options.Value.MaxAttempts, cancellationToken);
            result = command.Callback is { } callback ? await callbacks.PostAsync(callback, answer, cancellationToken) : CallbackResult.Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.CommandFailed(command.CommandId, command.Source, ex.GetType().Name);
            await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
            return CallbackResult.TryAgain;
        }

        if (result == CallbackResult.TryAgain)
        {
            logger.AnswerNotDelivered(command.CommandId, message.DeliveryCount);
            await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
            return result;
        }

        logger.CommandAnswered(command.CommandId, command.Kind, command.Source, result.ToString());
        await receiver.CompleteMessageAsync(message, cancellationToken);
        return result;
    }

    // An answer posted: completed unless it must be posted again later.
    private static async Task Settle(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, CallbackResult result, CancellationToken cancellationToken)
    {
        if (result == CallbackResult.TryAgain)
        {
            await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
        }
        else
        {
            await receiver.CompleteMessageAsync(message, cancellationToken);
        }
    }
}
