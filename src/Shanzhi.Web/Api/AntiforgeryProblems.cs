using Microsoft.AspNetCore.Antiforgery;
using Shanzhi.Web.Components.Field;

namespace Shanzhi.Web.Api;

/// <summary>
/// Answers a post whose antiforgery token failed validation, which the framework would answer
/// with an empty 400. A phone page shows its form again, with a fresh token and
/// <see cref="Problems.FormTokenInvalid"/> on top; any other endpoint answers with that problem.
/// </summary>
public static class AntiforgeryProblems
{
    /// <summary>Must follow <c>UseAntiforgery</c>, which records the validation result this reads.</summary>
    public static WebApplication UseAntiforgeryProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: false })
            {
                await next(context);
                return;
            }

            if (context.GetEndpoint()?.Metadata.GetMetadata<FieldPageAttribute>() is not null)
            {
                // Rendered as a GET the page skips form binding and validation and issues a new token.
                FieldPageBase.MarkFormExpired(context);
                context.Request.Method = HttpMethods.Get;
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await next(context);
                return;
            }

            await Problems.From(Problems.FormTokenInvalid).ExecuteAsync(context);
        });
        return app;
    }
}
