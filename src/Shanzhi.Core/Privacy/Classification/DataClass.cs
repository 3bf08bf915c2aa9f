namespace Shanzhi.Privacy.Classification;

/// <summary>How a stored value is treated under PIPL and GB/T 35273. Stored nowhere; declared on entity properties.</summary>
public enum DataClass
{
    /// <summary>Published or publishable: region names, case categories, calendars.</summary>
    Public,

    /// <summary>Business data about no identifiable person: ids, states, deadlines, counters.</summary>
    Internal,

    /// <summary>Personal information: identifies or relates to a natural person.</summary>
    Personal,

    /// <summary>
    /// Sensitive personal information (ID numbers, biometrics, health, location tracks, minors'
    /// data) and secrets that guard it (password hashes, authenticator keys): encrypted at rest,
    /// masked on display, revealed only through a logged action.
    /// </summary>
    Sensitive,
}

public static class DataClasses
{
    public static string ChineseName(DataClass dataClass) => dataClass switch
    {
        DataClass.Public => "公开信息",
        DataClass.Internal => "内部业务数据（非个人信息）",
        DataClass.Personal => "个人信息",
        DataClass.Sensitive => "敏感个人信息",
        _ => dataClass.ToString(),
    };

    public static bool IsPersonal(DataClass dataClass) => dataClass is DataClass.Personal or DataClass.Sensitive;
}
