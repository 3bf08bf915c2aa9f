using Microsoft.AspNetCore.Routing.Matching;

namespace Shanzhi.Web.Api;

/// <summary>
/// Route constraint <c>{name:id}</c> for an id parameter beside literal segments, as in
/// <c>/persons/{key:id}</c> next to <c>/persons/import</c>. The id never takes the value of such a
/// literal, so <c>GET /persons/import</c> gets 405 with <c>Allow: POST</c> instead of reaching the
/// GET handler for an id.
/// </summary>
/// <remarks>
/// Routing (ASP.NET Core 10.0) filters by HTTP method before it runs route constraints, so a
/// constraint that fails only at match time cannot turn the response into a 405. This one takes effect
/// when routing builds its table: routing calls
/// <see cref="IParameterLiteralNodeMatchingPolicy.MatchesLiteral"/> for every literal routed at the
/// same position and leaves the parameter's endpoints out of that literal's branch. Every other
/// value passes, so a malformed id still reaches binding and gets 400
/// <c>request.invalid_parameter</c> naming the parameter, where a type constraint such as
/// <c>{key:long}</c> would give a bare 404.
/// </remarks>
public sealed class IdRouteConstraint : IRouteConstraint, IParameterLiteralNodeMatchingPolicy
{
    /// <summary>Name of the constraint in route templates.</summary>
    public const string Name = "id";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) => true;

    public bool MatchesLiteral(string parameterName, string literal) => false;
}
