using System.Text.Json;

namespace Shanzhi.Cases.Import;

/// <summary>
/// Maps MyLA311 request types to catalogue categories and owner agencies to unit names. The
/// default is the embedded <c>la311-mapping.json</c>, which explains its fields in its header.
/// </summary>
public sealed record La311Mapping(
    string FallbackCategory,
    IReadOnlyDictionary<string, string> RequestTypes,
    IReadOnlyDictionary<string, string> Agencies)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static La311Mapping Default { get; } = LoadDefault();

    public static Result<La311Mapping> Load(Stream json)
    {
        MappingDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<MappingDocument>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            return ImportMessages.InvalidMapping(ex.Message);
        }

        if (document is null || string.IsNullOrWhiteSpace(document.FallbackCategory))
        {
            return ImportMessages.InvalidMapping(ImportMessages.FallbackCategoryMissing);
        }

        return new La311Mapping(
            document.FallbackCategory.Trim(),
            new Dictionary<string, string>(document.RequestTypes ?? [], StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, string>(document.Agencies ?? [], StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Returns the category code of a request type, or the fallback with <paramref name="mapped"/> false.</summary>
    public string CategoryFor(string requestType, out bool mapped)
    {
        mapped = RequestTypes.TryGetValue(requestType, out var code);
        return mapped ? code! : FallbackCategory;
    }

    /// <summary>Returns the unit name of an agency code; agencies missing from the mapping keep their code in the name.</summary>
    public string UnitNameFor(string agency) =>
        Agencies.TryGetValue(agency, out var name) ? name : ImportMessages.UnmappedAgencyUnitName(agency);

    private static La311Mapping LoadDefault()
    {
        using var stream = typeof(La311Mapping).Assembly.GetManifestResourceStream("Shanzhi.Cases.Import.la311-mapping.json")
            ?? throw new InvalidOperationException("The embedded resource Shanzhi.Cases.Import.la311-mapping.json is missing from Shanzhi.Core.");
        var mapping = Load(stream);
        return mapping.Value ?? throw new InvalidOperationException($"The embedded LA 311 mapping is invalid: {mapping.Error!.Detail}");
    }

    private sealed record MappingDocument(
        string? FallbackCategory,
        Dictionary<string, string>? RequestTypes,
        Dictionary<string, string>? Agencies);
}
