namespace Shanzhi.Web.Components.Shared;

/// <summary>
/// Map settings from configuration (<c>Map:TileUrl</c>, <c>Map:TileAttribution</c>). No tile URL
/// by default: intranet deployments show boundaries on a plain background.
/// </summary>
public sealed record MapOptions(string? TileUrl, string? TileAttribution)
{
    public static MapOptions From(IConfiguration configuration) =>
        new(configuration["Map:TileUrl"] is { Length: > 0 } url ? url : null, configuration["Map:TileAttribution"]);
}
