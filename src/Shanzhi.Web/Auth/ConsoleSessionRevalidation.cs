using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

/// <summary>
/// The authentication state of an open console page (a Blazor Server circuit). A circuit keeps the
/// principal it started with and makes no further requests for the cookie check to see, so this
/// provider repeats the session check every <see cref="SecurityOptions.ConsoleRevalidationInterval"/>.
/// When the check fails, the page's user becomes anonymous and the router sends the page to sign-in.
/// </summary>
internal sealed class ConsoleSessionRevalidation(
    ILoggerFactory loggers,
    IServiceScopeFactory scopes,
    IOptions<SecurityOptions> security,
    TimeProvider clock) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => security.Value.ConsoleRevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        // The circuit's own scope outlives many checks, so each check reads the account through a fresh one.
        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
        return await AuthRegistration.IsSessionValidAsync(authenticationState.User, signIn, security.Value, clock.GetUtcNow());
    }
}
