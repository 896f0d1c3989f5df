namespace DataRights.Core.Retention;

/// <summary>The exception to the right to erasure that lets records be kept back: which one decides the article cited.</summary>
public enum ErasureGround
{
    /// <summary>A law makes us keep the records (tax, accounting, telecoms rules).</summary>
    LegalObligation,

    /// <summary>The records are needed to establish, exercise or defend legal claims (a legal hold, a dispute).</summary>
    LegalClaims,
}
