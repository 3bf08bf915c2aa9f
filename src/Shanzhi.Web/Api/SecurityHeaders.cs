using System.Security.Cryptography;
using Shanzhi.Web.Components.Shared;

namespace Shanzhi.Web.Api;

/// <summary>
/// The Content-Security-Policy of every response. Scripts come from this site only, plus the one
/// inline import map Blazor writes, which carries a per-request nonce. Styles allow inline because
/// AntDesign sets style attributes; images allow data: and blob: for Leaflet and ECharts, and the
/// host of <c>Map:TileUrl</c> when tiles are configured. The Blazor circuit needs websockets to this host.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "shanzhi.csp-nonce";

    /// <summary>
    /// The policy of <c>/api</c> responses: JSON loads nothing and is never framed. It is a
    /// constant, so an API call builds no policy string and draws no nonce.
    /// </summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>Returns the nonce the page's inline import map must carry.</summary>
    public static string ScriptNonce(this HttpContext context)
    {
        if (context.Items[NonceItem] is not string nonce)
        {
            // Hex, not Base64: Razor encodes "+" in attribute values and the nonce would no longer match.
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
        }

        return nonce;
    }

    public static string ContentSecurityPolicy(HttpContext context, string? tileHost)
    {
        var host = context.Request.Host.Value ?? "";
        var websockets = host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')
            ? $" ws://{host} wss://{host}"
            : "";
        var images = tileHost is null ? "'self' data: blob:" : $"'self' data: blob: {tileHost}";
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{context.ScriptNonce()}'",
            "style-src 'self' 'unsafe-inline'",
            $"img-src {images}",
            "font-src 'self' data:",
            $"connect-src 'self'{websockets}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary>Returns the scheme and host of the configured tile URL template, or null when no tiles are configured.</summary>
    public static string? TileHost(IConfiguration configuration)
    {
        if (MapOptions.From(configuration).TileUrl is not { } template)
        {
            return null;
        }

        // Leaflet templates use {s}.host for subdomains; allow every subdomain of that host.
        var probe = template.Replace("{s}.", "s.", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        var hostName = template.Contains("{s}.", StringComparison.Ordinal) ? "*." + uri.Host[2..] : uri.Host;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{hostName}" : $"{uri.Scheme}://{hostName}:{uri.Port}";
    }

    /// <summary>
    /// Paths whose responses carry personal data (staff names, reporters, case details) and must
    /// not be kept by browsers or proxies.
    /// </summary>
    public static bool CarriesPersonalData(PathString path) =>
        path.StartsWithSegments("/api/v1/auth")
        || path.StartsWithSegments("/api/v1/users")
        || path.StartsWithSegments("/api/v1/cases")
        || path.StartsWithSegments("/api/v1/pi-handlers")
        || path.StartsWithSegments("/api/v1/epidemic")
        || path.StartsWithSegments("/m");
}
