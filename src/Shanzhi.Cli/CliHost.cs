using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;

namespace Shanzhi.Cli;

/// <summary>Builds the services a command needs from the global options and configuration.</summary>
internal static class CliHost
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "数据目录（SQLite 文件与附件），默认 ./data。",
        Recursive = true,
    };

    public static readonly Option<StorageProvider?> ProviderOption = new("--provider")
    {
        Description = "存储类型：Sqlite（默认）或 Postgres。",
        Recursive = true,
    };

    public static readonly Option<string?> ConnectionOption = new("--connection")
    {
        Description = "PostgreSQL 连接字符串（--provider Postgres 时使用）。",
        Recursive = true,
    };

    /// <summary>
    /// Reads appsettings.json beside the working directory and SHANZHI_-prefixed environment
    /// variables (as the server does); command-line options win.
    /// </summary>
    public static StorageOptions ReadStorageOptions(ParseResult parse) => ReadStorageOptions(parse, ReadConfiguration());

    private static IConfiguration ReadConfiguration() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("SHANZHI_")
            .Build();

    private static StorageOptions ReadStorageOptions(ParseResult parse, IConfiguration configuration)
    {
        var options = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(options);

        if (parse.GetValue(DataOption) is { } data)
        {
            options.DataDirectory = data;
        }

        if (parse.GetValue(ProviderOption) is { } provider)
        {
            options.Provider = provider;
        }

        if (parse.GetValue(ConnectionOption) is { } connection)
        {
            options.ConnectionString = connection;
        }

        return options;
    }

    /// <summary>
    /// Whether the configured store already exists. Commands that only read (kpi, audit verify) refuse
    /// to run on a missing SQLite file instead of creating an empty store from a mistyped --data.
    /// </summary>
    public static bool StoreExists(ParseResult parse)
    {
        var options = ReadStorageOptions(parse);
        return options.Provider != StorageProvider.Sqlite || File.Exists(options.SqlitePath);
    }

    public static string MissingStoreMessage(ParseResult parse) =>
        $"数据目录 {ReadStorageOptions(parse).FullDataDirectory} 中没有数据库。请检查 --data，或先运行 shanzhi migrate 创建数据库。";

    /// <summary>Builds the platform services over the configured store and brings the store up to date.</summary>
    public static async Task<ServiceProvider> StartAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => o.SingleLine = true)

            // Logs go to standard error so that standard output carries only the command's result (e.g. JSON).
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        var configuration = ReadConfiguration();
        services.AddShanzhiPlatform(ReadStorageOptions(parse, configuration), configuration).WithoutContactIndexFeed();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
        return provider;
    }
}
