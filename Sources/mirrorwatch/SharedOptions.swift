import ArgumentParser
import Foundation
import Mirrorwatch

/// Options every command that reads inputs shares.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Policy file (YAML). Without one, only policy-independent rules fire.")
    var policy: String?

    @Option(name: .customLong("as"), help: "Force the input format: \(InputKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var forcedKind: String?

    @Option(name: .long, help: ArgumentHelp("Treat this RFC 3339 time as now (exception expiry, live-state findings).", visibility: .hidden))
    var now: String?

    @Option(name: .long, help: "Inputs read in parallel (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Print per-input counts on stderr.")
    var verbose = false

    @Argument(help: "Files, directories (recursive) and - for standard input: logs, snapshots, ticket exports.")
    var paths: [String] = []

    func validateInputs() throws {
        if paths.isEmpty { throw ValidationError("give at least one input path (or - for standard input)") }
        if let forcedKind, InputKind(rawValue: forcedKind) == nil {
            throw ValidationError("--as must be one of: \(InputKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let now, Timestamp.parse(now) == nil { throw ValidationError("--now must be an RFC 3339 time, e.g. 2026-11-29T00:00:00Z") }
    }

    /// Loads the policy, printing every problem and exiting with 2 when it is invalid.
    func loadPolicy() throws -> Policy {
        guard let path = policy else { return Policy() }
        do {
            return try PolicyLoader.load(path: path)
        } catch {
            FileHandleOutput.standardError("mirrorwatch: \(error.description)")
            throw ExitCode(2)
        }
    }

    func scanOptions(policy: Policy) -> ScanOptions {
        let nowDate = now.flatMap { Timestamp.parse($0) } ?? Date()
        return ScanOptions(paths: paths, policy: policy, forcedKind: forcedKind.flatMap(InputKind.init(rawValue:)), now: nowDate,
                           parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs the scan with progress on a terminal, prints the input summary, and fails with 2
    /// when nothing at all could be read.
    func runScan(policy: Policy) async throws -> ScanResult {
        var options = scanOptions(policy: policy)
        // A command that runs one scan and exits: what was read is not freed record by record.
        options.endsProcess = true
        let progress = FileHandleOutput.standardErrorIsTerminal ? ProgressLine() : nil
        if let progress { options.progress = { progress.update($0) } }
        let result = await Scanner.scan(options)
        ProcessLifetime.keep(result)
        progress?.finish()
        FileHandleOutput.standardError(InputSummary.render(result))
        if verbose { FileHandleOutput.standardError(InputSummary.perInput(result)) }
        // Nothing read at all, and problems to show for it: the scan saw nothing, say so.
        if result.recordsRead == 0 && !result.issues.isEmpty {
            FileHandleOutput.standardError("mirrorwatch: no input could be read")
            throw ExitCode(2)
        }
        return result
    }

    /// Exits with 2 when a path named on the command line does not exist or its directory cannot
    /// be listed. Called after the command has written its output, so what could be read is still
    /// reported; a mistyped path must not look like a clean run (exit 0) or hide behind findings (exit 1).
    static func failOnUnreadablePaths(_ result: ScanResult) throws {
        let unreadable = result.issues.filter { $0.position == InputIssue.pathPosition }
        guard !unreadable.isEmpty else { return }
        let names = unreadable.map(\.input).joined(separator: ", ")
        FileHandleOutput.standardError("mirrorwatch: \(unreadable.count) named path(s) could not be read: \(names)")
        throw ExitCode(2)
    }
}
