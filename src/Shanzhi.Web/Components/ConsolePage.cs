using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using Shanzhi.Identity;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Components;

/// <summary>
/// Base of the interactive console pages: the signed-in staff member, a fresh service scope per
/// operation, and the readiness marker browser tests wait for.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [Inject]
    protected IJSRuntime JS { get; set; } = default!;

    [Inject]
    protected TimeProvider Clock { get; set; } = default!;

    /// <summary>Name written to <c>document.body.dataset.page</c> once the page is interactive.</summary>
    protected abstract string PageKey { get; }

    protected async Task<StaffPrincipal> GetUserAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        return state?.User.ToStaffPrincipal()
            ?? throw new InvalidOperationException("The page requires a signed-in staff member with a region scope claim.");
    }

    /// <summary>
    /// Runs <paramref name="work"/> in its own DI scope. A circuit lives for minutes or hours, and
    /// one DbContext for all that time would serve stale rows and fail on overlapping calls.
    /// </summary>
    protected async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await JS.InvokeVoidAsync("shanzhiConsole.markReady", PageKey);
        }
    }
}
