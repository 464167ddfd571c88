import ArgumentParser
import Foundation
import Mirrorwatch

struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Work with the approved baseline.",
        subcommands: [LearnCommand.self])

    struct LearnCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "learn",
            abstract: "Draft a policy from the live mirroring state seen in the inputs, for review.")

        @OptionGroup var inputs: InputOptions

        @Option(name: .long, help: "Write the draft here (default: standard output).")
        var out: String?

        func validate() throws { try inputs.validateInputs() }

        func run() async throws {
            let policy = try inputs.loadPolicy()
            let result = try await inputs.runScan(policy: policy)
            try FileHandleOutput.write(BaselineLearner.draft(from: result.graph, generatedAt: Date()), to: out)
            if let out { FileHandleOutput.standardError("wrote policy draft to \(out): review every TODO-review entry") }
            try InputOptions.failOnUnreadablePaths(result)
        }
    }
}
