namespace Shanzhi.Epidemic.Investigations;

/// <summary>One legal basis an officer can cite when opening an investigation.</summary>
public sealed record LegalBasis(string Code, string Text);

/// <summary>
/// The legal bases an investigation may cite. The officer picks one and may add a note (for
/// example a local emergency order); <see cref="Other"/> requires the note.
/// </summary>
// NOTE: legal counsel must confirm the articles before production. The 传染病防治法 was revised in
// 2025 and its articles were renumbered; the numbers below follow the 2013 text.
public static class LegalBases
{
    public const string Other = "other";

    public static IReadOnlyList<LegalBasis> All { get; } =
    [
        new("pdcl-12", "《中华人民共和国传染病防治法》第十二条（接受疾病预防控制机构的调查、采样、隔离等措施）"),
        new("pdcl-31", "《中华人民共和国传染病防治法》第三十一条（发现传染病病人或疑似病人时的报告）"),
        new("phe-regulation", "《突发公共卫生事件应急条例》（突发事件应急处理中的调查与控制）"),
        new("pipl-13-4", "《中华人民共和国个人信息保护法》第十三条第一款第（四）项（为应对突发公共卫生事件所必需）"),
        new(Other, "其他（须在说明中写明依据）"),
    ];

    public static LegalBasis? Find(string? code) => All.FirstOrDefault(b => b.Code == code);
}
