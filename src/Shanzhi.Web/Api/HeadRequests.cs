namespace Shanzhi.Web.Api;

/// <summary>
/// Serves a HEAD request like the GET on the same address: same status and headers, no body
/// (RFC 9110 §9.3.2). Uptime probes and link checkers send HEAD.
/// </summary>
/// <remarks>
/// In ASP.NET Core 10.0, minimal API endpoints (MapGet) and Razor component pages accept GET only,
/// and the framework has no setting that adds HEAD to them. HEAD did not even get a 405 when the
/// platform runs from the build output, because there the static web assets fallback route
/// <c>{**path:file}</c> accepts GET and HEAD: routing sent HEAD to it, the file constraint failed,
/// and the response was 404. Routing the request as a GET
/// covers pages, API endpoints and the OpenAPI document alike. Kestrel drops the body the GET
/// handler writes, because it decides from the method on the request line, which this leaves as is.
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
