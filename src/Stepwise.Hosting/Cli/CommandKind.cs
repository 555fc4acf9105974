namespace Stepwise.Hosting.Cli;

/// <summary>The commands of the runner.</summary>
internal enum CommandKind
{
    Install,
    Upgrade,
    Rollback,
    Status,
    Plan,
    Validate,
    History,
    Audit,
    Repair,
    ConfigCheck,
    BackupsList,
    BackupsDrop,
    VerifyRollback,
    Migrate,
    Wait,
    Manifest,
    Version,
}
