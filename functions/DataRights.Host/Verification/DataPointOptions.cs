namespace DataRights.Host.Verification;

/// <summary>One data point the verification page may ask for: what people read, and the identity field sources hold it under.</summary>
public sealed class DataPointOptions
{
    /// <summary>The label on the page, such as "Postcode".</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>The identity field a source matches it against (phone, postcode, account_id, last_invoice_amount).</summary>
    public string Field { get; set; } = string.Empty;
}
