namespace Shanzhi.Web.Api;

/// <summary>
/// Answers a HEAD request as the GET on the same address would be answered: same status and
/// headers, no body (RFC 9110 §9.3.2). Uptime probes and link checkers send HEAD.
/// </summary>
/// <remarks>
/// Minimal API endpoints (MapGet) and Razor component pages in ASP.NET Core 10 accept GET only, and
/// the framework has no switch that adds HEAD to them. HEAD did not even get the usual 405: static
/// asset endpoints accept HEAD, so routing sent HEAD to them and answered 404. Routing the request
/// as a GET covers pages, API endpoints and the OpenAPI document alike. Kestrel decides whether to
/// send a body from the method on the request line, which this does not change, so it drops the
/// body the GET handler writes.
/// </remarks>
public static class HeadRequests
{
    /// <summary>Routes HEAD requests as GET. Must run before routing, so call <c>UseRouting</c> after it.</summary>
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        // Every other method returns at once: the gate check path takes thousands of POSTs a second.
        app.Use(static (context, next) => HttpMethods.IsHead(context.Request.Method) ? AnswerAsGetAsync(context, next) : next(context));
        return app;
    }

    private static async Task AnswerAsGetAsync(HttpContext context, RequestDelegate next)
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
