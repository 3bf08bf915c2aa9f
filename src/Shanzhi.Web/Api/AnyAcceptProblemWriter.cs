namespace Shanzhi.Web.Api;

/// <summary>
/// Writes problem JSON for a request whose Accept header names neither JSON nor <c>*/*</c>, such
/// as a browser's <c>text/html</c> or an XML client. The framework's writer declines those, and
/// the status code pages then sent English plain text ("Status Code: 405; Method Not Allowed").
/// Registered after the framework's writer, so it runs only when that writer declines.
/// </summary>
/// <remarks>
/// Browsers opening an unknown page get the Chinese 404 page instead; <c>UseShanzhiErrors</c>
/// re-executes those requests before any problem is written.
/// </remarks>
internal sealed class AnyAcceptProblemWriter : IProblemDetailsWriter
{
    private const string ProblemJson = "application/problem+json";

    // A request already rewritten to accept problem JSON is left to the framework's writer, so a
    // second pass cannot end up here again.
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Headers.Accept != ProblemJson;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // The framework's writer then accepts the request and adds Problems.Customize and the trace id as for any other problem.
        context.HttpContext.Request.Headers.Accept = ProblemJson;
        return context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(context);
    }
}
