namespace Shanzhi.Privacy;

/// <summary>Chinese names of audit actions, as auditors read them in the console and the API.</summary>
public static class AuditActionNames
{
    public static string ChineseName(AuditAction action) => action switch
    {
        AuditAction.Login => "登录",
        AuditAction.LoginFailed => "登录失败",
        AuditAction.Logout => "退出登录",
        AuditAction.PermissionChanged => "权限变更",
        AuditAction.RecordViewed => "查看记录",
        AuditAction.Revealed => "查看明文",
        AuditAction.RevealRefused => "明文查看被拒",
        AuditAction.Exported => "导出",
        AuditAction.CaseTransition => "案件流转",
        AuditAction.TrajectoryQueried => "轨迹查询",
        AuditAction.RetentionPurged => "到期删除",
        AuditAction.KeyRotated => "密钥轮换",
        AuditAction.ConfigurationChanged => "配置变更",
        _ => action.ToString(),
    };
}
