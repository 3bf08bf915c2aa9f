namespace Shanzhi.Web.Api;

/// <summary>
/// Serves a HEAD request like the GET on the same address: same status and headers, no body
/// (RFC 9110 §9.3.2). Uptime probes and link checkers send HEAD.
/// </summary>
/// <remarks>
/// In ASP.NET Core 10.0, minimal API endpoints (MapGet) accept GET only, Razor component pages GET
/// and POST, and the framework has no setting that adds HEAD to them. Routing the request as a GET
/// covers pages, API endpoints and the OpenAPI document alike, and a HEAD where only POST is mapped
/// gets the same 405 as a GET. Kestrel drops the body the GET handler writes, because it decides
/// from the method on the request line, which this leaves as is.
/// </remarks>
public static class HeadRequests
{
    /// <summary>Routes HEAD requests as GET. Must run before routing, so call <c>UseRouting</c> after it.</summary>
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        // Every other method passes straight through: the gate check path takes thousands of POSTs a second.
        app.Use(static (context, next) => HttpMethods.IsHead(context.Request.Method) ? RouteAsGetAsync(context, next) : next(context));
        return app;
    }

    /// <summary>
    /// Adds HEAD to the <c>Allow</c> header of a 405 response that lists GET. Routing builds that
    /// header from the endpoints' methods, which name GET alone where HEAD is served as GET too.
    /// </summary>
    public static void AddHeadToAllow(HttpResponse response)
    {
        var methods = response.Headers.Allow
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        if (!methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
            || methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        methods.Add(HttpMethods.Head);
        methods.Sort(StringComparer.Ordinal);
        response.Headers.Allow = string.Join(", ", methods);
    }

    private static async Task RouteAsGetAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            // The request log and metrics, written after the pipeline returns, show the method sent.
            request.Method = HttpMethods.Head;
        }
    }
}
