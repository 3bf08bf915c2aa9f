using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Shanzhi.Web.Components.Shared;

public static class JsModules
{
    /// <summary>Calls the module's <c>dispose(element)</c> and releases the module. A closed browser tab is not an error.</summary>
    public static async ValueTask DisposeForAsync(this IJSObjectReference? module, ElementReference element)
    {
        if (module is null)
        {
            return;
        }

        try
        {
            await module.InvokeVoidAsync("dispose", element);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone and the browser took the map or chart with it.
        }

        await module.ReleaseAsync();
    }

    private static async ValueTask ReleaseAsync(this IJSObjectReference? module)
    {
        try
        {
            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // Nothing to release in a closed tab.
        }
    }
}
