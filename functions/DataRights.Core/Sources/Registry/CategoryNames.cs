namespace DataRights.Core.Sources.Registry;

/// <summary>What a category is called where a person reads it: its registered display name, never its key.</summary>
public static class CategoryNames
{
    /// <summary>The category's display name (for a stored category without one: a name made from its key).</summary>
    public static string Of(CategoryPolicy category) =>
        string.IsNullOrWhiteSpace(category.DisplayName) ? FromKey(category.Key) : category.DisplayName;

    /// <summary>The name of <paramref name="key"/> in <paramref name="registration"/>, or one made from the key when the source or category is not registered (any more).</summary>
    public static string Of(SourceRegistration? registration, string key) =>
        registration?.Categories.FirstOrDefault(c => c.Key == key) is { } category ? Of(category) : FromKey(key);

    /// <summary>
    /// A readable name for a key with no registered display name: the categories DataRights uses itself
    /// (records kept under a legal hold, records a source's owner counted by hand), otherwise the key's words
    /// ("billing.invoice": "Billing invoice").
    /// </summary>
    public static string FromKey(string key) => key switch
    {
        RetainedRecords.LegalHoldCategory => "Records under a legal hold",
        RetainedRecords.CountedByHandCategory => "Records",
        _ => Capitalised(key.Replace('.', ' ').Replace('_', ' ')),
    };

    private static string Capitalised(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
}
