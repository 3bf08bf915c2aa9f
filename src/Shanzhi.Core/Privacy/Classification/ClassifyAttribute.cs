namespace Shanzhi.Privacy.Classification;

/// <summary>
/// Declares the class of a stored property, or on a type the default for its properties. A type
/// default never covers a property whose name suggests personal data (see
/// <see cref="PersonalDataModel"/>): such a property is classified on its own.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
public sealed class ClassifyAttribute(DataClass dataClass, string purpose) : Attribute
{
    public DataClass Class { get; } = dataClass;

    /// <summary>Why the platform processes the value, in Chinese, as shown in the record of processing activities.</summary>
    public string Purpose { get; } = purpose;

    /// <summary>Who receives the value besides the staff of the owning function, in Chinese; empty when there are none.</summary>
    public string Recipients { get; init; } = "";

    /// <summary>Days the value is kept after the record closes; 0 means kept for the record's lifetime (policy not yet set).</summary>
    public int RetentionDays { get; init; }

    /// <summary>
    /// Chinese wording of the retention rule for the record of processing activities, with
    /// <c>{0}</c> where the number of days goes, for data whose period does not start when its
    /// record closes. Empty for the default wording built from <see cref="RetentionDays"/>.
    /// </summary>
    public string RetentionRule { get; init; } = "";

    /// <summary>On a type: the Chinese name of the processing activity its rows serve.</summary>
    public string Activity { get; init; } = "";
}

/// <summary>
/// Classifies a property the class does not declare itself (inherited from a framework base type,
/// such as <c>IdentityUser.PhoneNumber</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ClassifyMemberAttribute(string member, DataClass dataClass, string purpose) : Attribute
{
    public string Member { get; } = member;

    public DataClass Class { get; } = dataClass;

    public string Purpose { get; } = purpose;

    public string Recipients { get; init; } = "";

    public int RetentionDays { get; init; }

    public ClassifyAttribute ToClassify() => new(Class, Purpose) { Recipients = Recipients, RetentionDays = RetentionDays };
}
