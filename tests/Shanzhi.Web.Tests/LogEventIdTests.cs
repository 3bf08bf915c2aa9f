using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Tests;

/// <summary>Event ids of the web host's [LoggerMessage] methods clash neither with each other nor with the core assembly's.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Web_and_core_ids_are_unique()
    {
        var web = LogEventIds.Messages(typeof(AdminBootstrapper).Assembly);
        var messages = LogEventIds.Messages(typeof(AdminBootstrapper).Assembly, typeof(Error).Assembly);

        var clashes = LogEventIds.Clashes(messages);

        Assert.Contains(web, m => m.Method.DeclaringType == typeof(AdminBootstrapper));
        Assert.Empty(clashes);
    }
}
