using Shanzhi.Identity;

namespace Shanzhi.Cases;

/// <summary>
/// Told about every action the case engine has committed, so a module can react (credit points,
/// update a task) without the engine knowing about it. Observers run after the commit, in
/// registration order; an observer that throws is logged and does not undo the action.
/// </summary>
public interface ICaseObserver
{
    Task OnActedAsync(Case @case, CaseAction action, StaffPrincipal user, CancellationToken cancellationToken);
}
