using Shanzhi.Cases;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Handlers;

namespace Shanzhi.Web.Api;

/// <summary>The Chinese names of the enum values the API takes, for problems that list the allowed values.</summary>
public static class EnumNames
{
    /// <summary>
    /// Lists the names of <paramref name="type"/> and then their Chinese names in the same order:
    /// <c>Green、Yellow、Red（依次为绿码、黄码、红码）</c>. Enums without Chinese names get the names alone.
    /// </summary>
    public static string Allowed(Type type)
    {
        var values = Enum.GetValues(type).Cast<Enum>().ToList();
        var names = string.Join("、", values.Select(v => v.ToString()));
        var chinese = values.Select(Chinese).ToList();
        return chinese.Any(c => c is null) ? names : $"{names}（依次为{string.Join("、", chinese)}）";
    }

    /// <summary>The Chinese name of <paramref name="value"/>, or null for enums that have none.</summary>
    public static string? Chinese(Enum value) => value switch
    {
        ResidencyClass residency => EpidemicNames.Chinese(residency),
        HealthStatus status => EpidemicNames.Chinese(status),
        PlaceKind kind => EpidemicNames.Chinese(kind),
        GateDecision decision => EpidemicNames.Chinese(decision),
        HubChannel channel => EpidemicNames.Chinese(channel),
        PassageDirection direction => direction == PassageDirection.In ? "进" : "出",
        InvestigationState state => InvestigationNames.Chinese(state),
        AnchorKind anchor => InvestigationNames.Chinese(anchor),
        FollowUpOutcome outcome => outcome == FollowUpOutcome.Registered ? "已登记" : "已排除",
        CaseState state => CaseStates.ChineseName(state),
        AuditAction action => AuditActionNames.ChineseName(action),
        PiIndustry industry => PiHandlerNames.Chinese(industry),
        PiDataScale scale => PiHandlerNames.Chinese(scale),
        FindingSeverity severity => PiHandlerNames.Chinese(severity),
        InspectionResult result => PiHandlerNames.Chinese(result),
        _ => null,
    };
}
