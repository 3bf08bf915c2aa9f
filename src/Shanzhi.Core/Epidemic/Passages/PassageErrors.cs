namespace Shanzhi.Epidemic.Passages;

/// <summary>Expected failures of passage ingest, with the Chinese text users see.</summary>
public static class PassageErrors
{
    public const string InvalidBatchCode = "passage.invalid_batch";

    public static readonly Error QueueFull = new("passage.queue_full", "通行记录写入繁忙",
        "服务器写入队列已满，本批通行记录未接收。请在 Retry-After 指定的秒数后重新发送同一批次；按设备序号去重，重发不会重复入库。", 429);

    public static readonly Error StoreUnavailable = new("passage.store_unavailable", "通行记录未能写入",
        "数据库暂时无法写入，本批通行记录未入库。请稍后重新发送同一批次；按设备序号去重，重发不会重复入库。", 503);

    public static readonly Error Stopping = new("passage.stopping", "服务正在停止",
        "服务器正在停止，本批通行记录未接收。请稍后重新发送同一批次。", 503);

    public static Error TooLarge(int max) => new("passage.batch_too_large", "批次过大",
        $"一批最多 {max} 条通行记录，请拆分后分批发送。", 413);

    public static Error InvalidBatch(int count) => new(InvalidBatchCode, "通行记录批次有误",
        $"共 {count} 条记录有误，整批未接收。请按 errors 列表逐条修正后重新发送整批。");
}
