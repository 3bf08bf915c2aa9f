using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shanzhi.Web.Api;

public static partial class ApiRegistration
{
    /// <summary>JSON conventions, problem details and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IServiceCollection AddShanzhiApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => ShanzhiJson.Configure(options.SerializerOptions));

        // Pages are Chinese: write CJK characters as they are instead of as numeric entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, AnyAcceptProblemWriter>());

        // Binding failures become exceptions so that Problems.Customize can name the parameter.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<RouteOptions>(options => options.SetParameterPolicy<IdRouteConstraint>(IdRouteConstraint.Name));
        services.AddOpenApi(OpenApiDocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "善治 Shanzhi 城市治理平台 API";
            document.Info.Description = "事件中心（案件闭环）、区划与网格、Open311 GeoReport v2。所有错误均为 RFC 7807 问题详情，带稳定的 code 字段。";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Name of the platform's only OpenAPI document, served at <c>/openapi/v1.json</c>.</summary>
    public const string OpenApiDocumentName = "v1";

    /// <summary>
    /// Maps the OpenAPI document. The route takes only the document's own name, because the
    /// framework's endpoint responds to any other name itself with an English plain-text 404.
    /// Unmatched, such a request gets the platform's problem response like any unknown address.
    /// </summary>
    public static WebApplication MapShanzhiOpenApi(this WebApplication app)
    {
        app.MapOpenApi($"/openapi/{{documentName:regex(^{OpenApiDocumentName}$)}}.json");
        return app;
    }

    /// <summary>Turns every unhandled exception and every empty 4xx/5xx into a problem body and logs the exceptions.</summary>
    public static WebApplication UseShanzhiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                InvalidDataException => StatusCodes.Status400BadRequest,
                Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status500InternalServerError,
            },

            // A bad request is the client's fault, and its message may echo a posted value.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();

        // A browser that opens an unknown page gets the console's Chinese 404 page instead of problem
        // JSON (browsers accept */*, which the problem writer takes as JSON). The re-execution sits
        // inside the problem handler, so it handles the response first. It is registered on the
        // application, not in a branch, because only there does it match the endpoint of the 404 page again.
        app.UseStatusCodePagesWithReExecute(NotFoundPagePath, createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            var browserPage = IsBrowserPageRequest(context);
            await next(context);

            // Every other response is left to the problem handler.
            if ((!browserPage || context.Response.StatusCode != StatusCodes.Status404NotFound)
                && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } reExecute)
            {
                reExecute.Enabled = false;
            }

            // HEAD is served as GET (UseHeadAsGet), so a 405 that allows GET allows HEAD too. The
            // problem handler writes the body only after this, so the headers can still change.
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
            {
                HeadRequests.AddHeadToAllow(context.Response);
            }
        });
        return app;
    }

    /// <summary>Path of the console's 404 page (<c>Components/Pages/NotFound.razor</c>).</summary>
    public const string NotFoundPagePath = "/not-found";

    /// <summary>
    /// Whether the request is a browser opening a page: a GET or HEAD outside the API and Open311
    /// that accepts HTML. API clients get problem JSON whatever their Accept header contains.
    /// </summary>
    private static bool IsBrowserPageRequest(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/open311"))
        {
            return false;
        }

        return request.GetTypedHeaders().Accept.Any(media => media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Headers every response carries: no sniffing, no framing, no referrer leaks, the content
    /// security policy; HSTS over HTTPS; no caching of personal data.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var tileHost = SecurityHeaders.TileHost(app.Configuration);
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api")
                ? SecurityHeaders.ApiPolicy
                : SecurityHeaders.ContentSecurityPolicy(context, tileHost);

            // Over plain HTTP the header is ignored by browsers and would only mislead (RFC 6797 §8.1).
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            if (SecurityHeaders.CarriesPersonalData(context.Request.Path))
            {
                // Pages carry antiforgery tokens, whose writer sets "no-cache, no-store" and logs a
                // warning whenever it replaces a value without no-cache; pages get its value up front.
                headers.CacheControl = context.Request.Path.StartsWithSegments("/api") ? "no-store" : "no-cache, no-store";
                headers.Pragma = "no-cache";
            }

            return next(context);
        });
        return app;
    }

    /// <summary>Logs start (with the addresses and store) and stop of the platform.</summary>
    public static void LogLifecycle(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shanzhi.Web");
        var storage = app.Services.GetRequiredService<Shanzhi.Storage.StorageOptions>();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(logger, string.Join(", ", app.Urls), storage.Provider.ToString()));
        app.Lifetime.ApplicationStopping.Register(() => LogStopping(logger));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Shanzhi started on {Urls} with the {Provider} store")]
    private static partial void LogStarted(ILogger logger, string urls, string provider);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shanzhi is stopping; requests in flight are completed first")]
    private static partial void LogStopping(ILogger logger);
}
