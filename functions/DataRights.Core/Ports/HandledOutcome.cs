namespace DataRights.Core.Ports;

/// <summary>What came of a request set aside that staff handled by hand (<see cref="HandledSubmission"/>), as they record it.</summary>
public enum HandledOutcome
{
    /// <summary>Done as the person asked: complied with in whole.</summary>
    Done,

    /// <summary>Done in part: some of it refused or kept back under an exemption.</summary>
    DoneInPart,

    /// <summary>Refused, with reasons given to the person.</summary>
    Refused,

    /// <summary>The person withdrew it: neither complied with nor denied.</summary>
    Withdrawn,
}
