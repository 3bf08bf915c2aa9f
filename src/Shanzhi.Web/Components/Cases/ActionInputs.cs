using Shanzhi.Cases;

namespace Shanzhi.Web.Components.Cases;

public enum InputNeed
{
    None,
    Optional,
    Required,
}

/// <summary>Which inputs the console asks for before it sends an action to the case engine.</summary>
public sealed record ActionInputs(
    InputNeed Reason = InputNeed.None,
    string ReasonLabel = "原因",
    bool Category = false,
    bool Unit = false,
    bool Verifier = false,
    bool Parent = false,
    InputNeed Deadline = InputNeed.None,
    bool Satisfaction = false,
    bool Danger = false)
{
    public static ActionInputs For(CaseAction action) => action switch
    {
        CaseAction.File => new(Category: true),
        CaseAction.Reject => new(InputNeed.Required, "不予立案原因", Danger: true),
        CaseAction.Merge => new(Parent: true),
        CaseAction.Dispatch => new(Unit: true),
        CaseAction.Return => new(InputNeed.Required, "退回原因（说明不属于本单位职责的依据）", Danger: true),
        CaseAction.Resolve => new(InputNeed.Optional, "处置说明"),
        CaseAction.RequestVerification => new(Verifier: true),
        CaseAction.PassVerification => new(InputNeed.Optional, "核查说明"),
        CaseAction.FailVerification => new(InputNeed.Required, "核查不通过原因", Danger: true),
        CaseAction.Suspend => new(InputNeed.Required, "挂账原因"),
        CaseAction.Resume => new(Deadline: InputNeed.Optional),
        CaseAction.RequestExtension => new(InputNeed.Required, "延期理由", Deadline: InputNeed.Required),
        CaseAction.DenyExtension => new(InputNeed.Required, "驳回理由", Danger: true),
        CaseAction.Evaluate => new(InputNeed.Optional, "评价意见", Satisfaction: true),
        _ => new(),
    };
}
