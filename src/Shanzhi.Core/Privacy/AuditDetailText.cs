using System.Text.RegularExpressions;
using Shanzhi.Cases;
using Shanzhi.Identity;

namespace Shanzhi.Privacy;

/// <summary>
/// Chinese text of the subject types and details of audit entries, as auditors read them in the
/// console. Entries are hash-chained, so their stored English values never change and are
/// translated only when shown. A value this class does not recognise is shown as stored.
/// </summary>
public static partial class AuditDetailText
{
    private static readonly Dictionary<string, string> SubjectTypes = new(StringComparer.Ordinal)
    {
        ["user"] = "账户",
        ["case"] = "案件",
        ["key"] = "密钥",
        ["data-class"] = "数据类别",
        ["PiHandler"] = "个人信息处理者",
        ["KeyPerson"] = "重点人员",
        ["EpidemicPerson"] = "登记人员",
        ["Investigation"] = "流调",
    };

    // Whole details, and the values and parts of the "key=value; …" details.
    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["no reason given"] = "未填写事由",
        ["reason too long"] = "事由过长",
        ["no purpose given"] = "未填写目的",
        ["purpose too long"] = "目的过长",
        ["identifier in reason"] = "事由中含有证件号码或手机号",
        ["role not allowed"] = "角色无此权限",
        ["out of scope"] = "超出管辖范围",
        ["no such investigation"] = "流调不存在",
        ["no such person"] = "人员不存在",
        ["closed"] = "流调已结案",
        ["rule set retired"] = "规则集已停用",
        ["tracer unavailable"] = "密接追踪服务不可用",
        ["not a worker or leader of the grid"] = "不是该网格的网格员或网格长",
        ["detail view, officer contact masked"] = "查看详情，负责人联系方式已脱敏",
        ["detail view, identity masked"] = "查看详情，身份信息已脱敏",
        ["officer name and phone"] = "负责人姓名和电话",
        ["name, phone and address"] = "姓名、电话和住址",
        ["name, ID number and phone"] = "姓名、身份证号和手机号",
        ["key-person list of grid, masked"] = "查看网格重点人员名单（已脱敏）",
        ["password changed by the user"] = "用户本人修改了密码",
        ["password reset and account unlocked by an administrator"] = "管理员重置了密码并解锁账户",
        ["account unlocked by an administrator"] = "管理员解锁了账户",
        ["locked out"] = "账户已锁定",
        ["not allowed"] = "账户不允许登录",
        ["unknown user name"] = "用户名不存在",
        ["wrong password"] = "密码错误",
        ["locked out at second factor"] = "动态验证码错误次数过多，账户已锁定",
        ["second factor rejected"] = "动态验证码错误",
        ["pwd"] = "密码登录",
        ["mfa"] = "密码和动态验证码登录",
        ["ok"] = "成功",
        ["refused"] = "拒绝",
        ["none"] = "无",
        ["trace"] = "密接追踪",
        ["trajectory"] = "病例轨迹",
        ["trace-snapshot"] = "查看追踪结果",
        ["detail-view"] = "查看详情",
        ["True"] = "是",
        ["False"] = "否",
    };

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["kind"] = "类型",
        ["outcome"] = "结果",
        ["reason"] = "原因",
        ["snapshot"] = "追踪结果编号",
        ["edges"] = "接触关系",
        ["close"] = "密接",
        ["secondary"] = "次密接",
        ["dropped_outside_scope"] = "管辖范围外未列出",
        ["passages"] = "通行记录",
        ["places"] = "场所",
        ["rows"] = "条数",
        ["table"] = "数据表",
        ["count"] = "删除条数",
        ["oldest"] = "最早",
        ["newest"] = "最晚",
        ["cutoff"] = "删除截止时间",
        ["filter"] = "筛选条件",
        ["text"] = "关键词",
        ["industry"] = "行业",
        ["scale"] = "规模",
        ["keySupervision"] = "重点监管",
        ["region"] = "区域",
        ["officerPhone"] = "负责人电话",
    };

    /// <summary>Returns the Chinese name of a subject type, or the stored value when it is not known.</summary>
    public static string SubjectTypeName(string? subjectType) =>
        subjectType is null ? "" : SubjectTypes.GetValueOrDefault(subjectType, subjectType);

    /// <summary>
    /// Returns the stored subject types a filter value stands for: the value itself, which may be a
    /// stored type, and every stored type whose Chinese name it is.
    /// </summary>
    public static string[] SubjectTypesMatching(string filter) =>
        [filter, .. SubjectTypes.Where(type => type.Value == filter).Select(type => type.Key)];

    /// <summary>Translates a stored detail into Chinese, or returns it unchanged when its form is not known.</summary>
    public static string Chinese(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return "";
        }

        if (Phrases.TryGetValue(detail, out var phrase))
        {
            return phrase;
        }

        if (UserCreated().Match(detail) is { Success: true } created)
        {
            var roles = created.Groups["roles"].Value.Split(',').Select(Roles.ChineseName);
            return $"创建账户，角色：{string.Join("、", roles)}，管辖区域：{created.Groups["scope"].Value}";
        }

        if (CaseTransition().Match(detail) is { Success: true } transition)
        {
            return CaseTransitionText(transition) ?? detail;
        }

        return KeyValueList(detail) ?? detail;
    }

    /// <summary>
    /// Translates "CASE-NO Action: From -> To" as the case engine writes it. "Report: -> To" has no
    /// start state, and "Escalate" is the overdue job's 督办, which keeps the state.
    /// </summary>
    private static string? CaseTransitionText(Match transition)
    {
        var actionText = transition.Groups["action"].Value;
        string? action = actionText switch
        {
            "Report" => "上报",
            "Escalate" => "督办",
            _ => Enum.TryParse<CaseAction>(actionText, out var parsed) ? CaseStateMachine.ChineseName(parsed) : null,
        };
        if (action is null || !Enum.TryParse<CaseState>(transition.Groups["to"].Value, out var to))
        {
            return null;
        }

        var fromText = transition.Groups["from"].Value;
        if (fromText.Length == 0)
        {
            return $"{transition.Groups["caseNo"].Value} {action}：{CaseStates.ChineseName(to)}";
        }

        return Enum.TryParse<CaseState>(fromText, out var from)
            ? $"{transition.Groups["caseNo"].Value} {action}：{CaseStates.ChineseName(from)} → {CaseStates.ChineseName(to)}"
            : null;
    }

    /// <summary>
    /// Translates details made of "key=value" parts and known phrases, separated by "; " (and by ", "
    /// in the filter of a PI handler export). Returns null when any part is not known, so a free-text
    /// value that contains a separator is never shown half translated.
    /// </summary>
    private static string? KeyValueList(string detail)
    {
        var parts = new List<string>();
        foreach (var segment in detail.Split("; "))
        {
            if (Phrases.TryGetValue(segment, out var phrase))
            {
                parts.Add(phrase);
                continue;
            }

            foreach (var part in segment.Split(", "))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !Keys.TryGetValue(part[..equals], out var key))
                {
                    return null;
                }

                var value = part[(equals + 1)..];
                parts.Add($"{key}：{Phrases.GetValueOrDefault(value, value)}");
            }
        }

        return string.Join("；", parts);
    }

    [GeneratedRegex(@"^created with roles (?<roles>[^ ]+), scope (?<scope>\S+)$")]
    private static partial Regex UserCreated();

    [GeneratedRegex(@"^(?<caseNo>\S+) (?<action>[A-Za-z]+): (?<from>[A-Za-z]*) ?-> (?<to>[A-Za-z]+)$")]
    private static partial Regex CaseTransition();
}
