import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Entry point: runs the command and maps errors to the exit codes of the contract
/// (0 ran clean, 1 findings at or above --fail-on, 2 usage, policy or fatal input error).
@main
enum Main {
    static func main() async {
        do {
            var command = try MirrorwatchCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            let code = MirrorwatchCommand.exitCode(for: error)
            let message = MirrorwatchCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                Glibc.exit(0)
            }
            FileHandleOutput.standardError(message)
            Glibc.exit(2)
        }
    }
}

struct MirrorwatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirrorwatch",
        abstract: "Detect traffic-mirroring abuse (MITRE ATT&CK T1020.001) from audit logs, snapshots and tickets.",
        subcommands: [ScanCommand.self, CoverageCommand.self, AccessCommand.self, AuditCommand.self, ExerciseCommand.self, BaselineCommand.self, RulesCommand.self, ServeCommand.self],
        defaultSubcommand: nil)
}
