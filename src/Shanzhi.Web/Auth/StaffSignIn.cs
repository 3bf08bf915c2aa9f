using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

public enum SignInOutcome
{
    SignedIn,

    /// <summary>Password accepted; the user must now enter the code from the authenticator app.</summary>
    RequiresTwoFactor,

    /// <summary>Password accepted; an administrator without an authenticator must enrol one first.</summary>
    RequiresEnrollment,

    Failed,
    LockedOut,

    /// <summary>Password accepted, but an administrator has disabled the account.</summary>
    Disabled,

    /// <summary>No password step pending (never signed in, or the five-minute window passed).</summary>
    Expired,
}

public sealed record SignInStep(SignInOutcome Outcome, StaffUser? User = null);

/// <summary>The authenticator key an administrator enters into a TOTP app, in Base32 and as an otpauth:// URI.</summary>
public sealed record AuthenticatorEnrollment(string UserName, string SharedKey, string AuthenticatorUri)
{
    /// <summary>The key in groups of four, easier to type by hand.</summary>
    public string GroupedKey => string.Join(' ', SharedKey.Chunk(4).Select(c => new string(c)));
}

/// <summary>
/// The staff sign-in steps shared by the console forms and the JSON API: password, then a TOTP code
/// or, for an administrator without an authenticator, enrolment. Between the steps the user is held
/// in Identity's short-lived two-factor cookie, never signed in.
/// </summary>
public sealed class StaffSignIn(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IOptions<SecurityOptions> security)
{
    public const string Issuer = "善治";

    public async Task<SignInStep> PasswordAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            // Goes through the sign-in manager so that the attempt is audited like any other failure,
            // and counts towards a lockout like a wrong password for an account.
            var unknown = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
            return new(unknown.IsLockedOut ? SignInOutcome.LockedOut : SignInOutcome.Failed);
        }

        if (await MustEnrollAsync(user))
        {
            // The password is checked (and failures counted) without signing in.
            var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
            if (!check.Succeeded)
            {
                return new(FailureOutcome(check));
            }

            await signIn.Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, PendingPrincipal(user));
            return new(SignInOutcome.RequiresEnrollment, user);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        return result switch
        {
            { Succeeded: true } => new(SignInOutcome.SignedIn, user),
            { RequiresTwoFactor: true } => new(SignInOutcome.RequiresTwoFactor, user),
            _ => new(FailureOutcome(result)),
        };
    }

    /// <summary>Checks the TOTP code of an enrolled user and signs in. A wrong code counts towards lockout like a wrong password.</summary>
    public async Task<SignInStep> TotpAsync(string? code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return new(SignInOutcome.Expired);
        }

        // The account may have been disabled since the password step.
        if (user.IsDisabled)
        {
            return new(SignInOutcome.Disabled);
        }

        if (!await IsEnrolledAsync(user))
        {
            return new(SignInOutcome.RequiresEnrollment, user);
        }

        // OneTimeAuthenticatorTokenProvider checks the code: each time step signs in once.
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(NormalizeCode(code), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return new(SignInOutcome.SignedIn, user);
        }

        // Identity counts the failure but reports lockout only from the next attempt on.
        return new(result.IsLockedOut || await users.IsLockedOutAsync(user) ? SignInOutcome.LockedOut : SignInOutcome.Failed);
    }

    /// <summary>
    /// Returns the key to enrol (created on first call) for the user between password and enrolment.
    /// Returns null when no such user is pending or the user is already enrolled, so a key is shown only before enrolment.
    /// </summary>
    public async Task<AuthenticatorEnrollment?> GetEnrollmentAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || await IsEnrolledAsync(user))
        {
            return null;
        }

        return await EnrollmentForAsync(user);
    }

    /// <summary>
    /// Returns the key for a user that <see cref="PasswordAsync"/> just sent to enrolment, because
    /// the two-factor cookie it set is readable only from the next request on.
    /// </summary>
    public async Task<AuthenticatorEnrollment> EnrollmentForAsync(StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        return Enrollment(user.UserName!, key!);
    }

    /// <summary>Confirms enrolment with a first code from the app and signs the user in.</summary>
    public async Task<SignInStep> EnrollAsync(string? code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return new(SignInOutcome.Expired);
        }

        // The account may have been disabled since the password step.
        if (user.IsDisabled)
        {
            return new(SignInOutcome.Disabled);
        }

        if (await IsEnrolledAsync(user))
        {
            return new(SignInOutcome.RequiresTwoFactor, user);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return new(SignInOutcome.LockedOut);
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, NormalizeCode(code)))
        {
            await users.AccessFailedAsync(user);
            return new(await users.IsLockedOutAsync(user) ? SignInOutcome.LockedOut : SignInOutcome.Failed);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await users.ResetAccessFailedCountAsync(user);
        await signIn.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(StaffClaims.AuthenticationMethodReference, "mfa")]);
        return new(SignInOutcome.SignedIn, user);
    }

    public static AuthenticatorEnrollment Enrollment(string userName, string key)
    {
        var label = Uri.EscapeDataString($"{Issuer}:{userName}");
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30");
        return new(userName, key, uri);
    }

    private static SignInOutcome FailureOutcome(SignInResult result) =>
        result.IsLockedOut ? SignInOutcome.LockedOut
        : result.IsNotAllowed ? SignInOutcome.Disabled
        : SignInOutcome.Failed;

    private async Task<bool> MustEnrollAsync(StaffUser user) =>
        security.Value.RequireTwoFactorForAdmins && !await IsEnrolledAsync(user) && Roles.IsAdministrator(await users.GetRolesAsync(user));

    // Two-factor switched on without a key would let PasswordSignInAsync sign in on the password alone.
    private async Task<bool> IsEnrolledAsync(StaffUser user) =>
        user.TwoFactorEnabled && !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user));

    // The same claim SignInManager writes for its own two-factor step, so GetTwoFactorAuthenticationUserAsync finds the user.
    private static ClaimsPrincipal PendingPrincipal(StaffUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Id.ToString("D", CultureInfo.InvariantCulture))], IdentityConstants.TwoFactorUserIdScheme));

    // Apps show "123 456"; people type spaces and dashes.
    private static string NormalizeCode(string? code)
    {
        var digits = new StringBuilder(6);
        foreach (var c in code ?? "")
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        return digits.ToString();
    }
}
