using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

/// <summary>
/// Authenticator-app codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) that are accepted once.
/// Identity's own authenticator provider accepts a code again for as long as it is valid (a warning
/// in the ASP.NET Core docs) and up to 90 seconds either side (its source as of .NET 8). RFC 6238
/// §5.2 requires the verifier to reject a second use. This provider checks the current step and one step either
/// side for clock drift, and stores the last accepted step as a user token, so a code of that step or
/// an earlier one is rejected afterwards.
/// </summary>
/// <remarks>
/// The token is written with the user's update, which checks the concurrency stamp: of two requests
/// with the same code at the same moment, one fails to save and its code counts as wrong.
/// </remarks>
public sealed class OneTimeAuthenticatorTokenProvider(TimeProvider clock, ILogger<OneTimeAuthenticatorTokenProvider> logger)
    : IUserTwoFactorTokenProvider<StaffUser>
{
    /// <summary>The user-token login provider under which the last accepted step is stored.</summary>
    public const string TokenLoginProvider = "[ShanzhiAuthenticator]";

    public const string LastStepTokenName = "LastAcceptedStep";

    private static readonly VerificationWindow DriftWindow = new(previous: 1, future: 1);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffUser> manager, StaffUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>Returns an empty string: the code comes from the user's authenticator app, never from the platform.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, token, out var step, DriftWindow))
        {
            return false;
        }

        var stored = await manager.GetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName);
        if (long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
        {
            logger.AuthenticatorCodeReused(user.Id);
            return false;
        }

        try
        {
            var saved = await manager.SetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName, step.ToString(CultureInfo.InvariantCulture));
            if (!saved.Succeeded)
            {
                logger.AuthenticatorStepNotSaved(user.Id, string.Join(", ", saved.Errors.Select(e => e.Code)));
            }

            return saved.Succeeded;
        }
        catch (DbUpdateException exception)
        {
            // A concurrent request with a code of the same user inserted the token row first.
            logger.AuthenticatorStepNotSaved(user.Id, exception.GetType().Name);
            return false;
        }
    }
}

internal static partial class AuthenticatorLog
{
    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Authenticator code rejected for user {UserId}: its time step was already used.")]
    public static partial void AuthenticatorCodeReused(this ILogger logger, Guid userId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Authenticator code rejected for user {UserId}: the accepted time step could not be saved ({Reason}).")]
    public static partial void AuthenticatorStepNotSaved(this ILogger logger, Guid userId, string reason);
}
