using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace DataRights.Host.Http;

/// <summary>
/// JSON <c>null</c> where a bound body's type has no null (<c>"categories": null</c>, <c>"categories": [null]</c>):
/// System.Text.Json stores it anyway, so a validator would meet a null it never expects. This finds each, by JSON
/// path, so the endpoint answers 400 naming it instead of failing later.
/// </summary>
public static class BoundNulls
{
    private const int MaxDepth = 16;

    public static Dictionary<string, string[]> Find(object value)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Walk(value, string.Empty, errors, new NullabilityInfoContext(), 0);
        return errors;
    }

    private static void Walk(object value, string path, Dictionary<string, string[]> errors, NullabilityInfoContext nullability, int depth)
    {
        var type = value.GetType();
        if (depth > MaxDepth || type.Namespace?.StartsWith("DataRights", StringComparison.Ordinal) != true)
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var name = Join(path, JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            var item = property.GetValue(value);
            if (item is null)
            {
                if (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == NullabilityState.NotNull)
                {
                    errors[name] = ["This field cannot be null."];
                }

                continue;
            }

            WalkValue(item, name, errors, nullability, depth);
        }
    }

    private static void WalkValue(object item, string name, Dictionary<string, string[]> errors, NullabilityInfoContext nullability, int depth)
    {
        switch (item)
        {
            case string:
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is null)
                    {
                        errors[$"{name}.{entry.Key}"] = ["This value cannot be null."];
                    }
                }

                return;
            case IEnumerable list:
                var index = 0;
                foreach (var element in list)
                {
                    if (element is null)
                    {
                        errors[$"{name}[{index}]"] = ["A list entry cannot be null."];
                    }
                    else
                    {
                        Walk(element, $"{name}[{index}]", errors, nullability, depth + 1);
                    }

                    index++;
                }

                return;
            default:
                Walk(item, name, errors, nullability, depth + 1);
                return;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
