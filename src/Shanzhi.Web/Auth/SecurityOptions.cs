namespace Shanzhi.Web.Auth;

/// <summary>Staff sign-in rules from the <c>Security</c> configuration section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Administrators (system, security, audit) sign in with a TOTP code after the password, as MLPS
    /// level 3 requires. Switch off only for automated tests that sign in with a password alone.
    /// </summary>
    public bool RequireTwoFactorForAdmins { get; set; } = true;

    /// <summary>A session without a request for this long ends (sliding expiry of the sign-in cookie).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however active it is.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often an open console page checks that its session is still valid. A password reset,
    /// an access change or a disabled account sends the page to sign-in within this time.
    /// </summary>
    public TimeSpan ConsoleRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
