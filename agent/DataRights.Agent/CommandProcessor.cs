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
            // An erasure for a request's step waits on the queue for as long as the agent is away: the pipeline is asked
            // just before it runs whether it still may (the step still open, no legal hold placed since). An erasure that
            // ran before (its answer kept) is not asked: it is only answered again.
            if (command.Kind == AgentCommandKind.Erase && command.Callback is { } step && !await handler.AnsweredBeforeAsync(command.CommandId, cancellationToken))
            {
                var go = await callbacks.MayProceedAsync(step, cancellationToken);
                if (go != CallbackResult.Accepted)
                {
                    logger.ErasureNotCarriedOut(command.CommandId, command.Source, go.ToString());
                    if (go == CallbackResult.TryAgain)
                    {
                        await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
                    }
                    else
                    {
                        await receiver.CompleteMessageAsync(message, cancellationToken);
                    }

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
}
