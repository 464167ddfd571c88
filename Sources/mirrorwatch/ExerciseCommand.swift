import ArgumentParser
import Foundation
import Mirrorwatch
import MirrorwatchExercise

struct ExerciseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Write attack and benign mirroring scenarios in native formats and check that each is detected.",
        discussion: "Prints scenario × expected rule × detected. Exit 1 when an expected detection is missing or a benign scenario "
            + "raised medium or higher (or a record could not be read); 2 for usage errors. With --policy the scenarios use that "
            + "policy's approved destinations, sensitive interfaces and authorized identities and are judged by it: does your setup catch this?")

    @Option(name: .long, help: "Only this platform: \(Platform.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).")
    var platform: [String] = []

    @Option(name: .long, help: "Write the scenario files here (one folder per scenario, and the policy used) and keep them.")
    var out: String?

    @Option(name: .long, help: "Seed for the background records (same seed, same files).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Ordinary background records mixed into each scenario.")
    var volume: Int = 200

    @Option(name: .long, help: "Judge with this policy instead of the built-in exercise organization's.")
    var policy: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: String = "table"

    func validate() throws {
        for name in platform where Platform(rawValue: name) == nil {
            throw ValidationError("--platform must be one of: \(Platform.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if volume < 0 || volume > 1_000_000 { throw ValidationError("--volume must be between 0 and 1000000") }
        if !["table", "json"].contains(format) { throw ValidationError("--format must be table or json") }
    }

    func run() async throws {
        let loaded: Policy
        let policyText: String
        do {
            if let policy {
                loaded = try PolicyLoader.load(path: policy)
                policyText = (try? String(contentsOfFile: policy, encoding: .utf8)) ?? ""
            } else {
                policyText = ExerciseSetup.builtInPolicy
                loaded = try PolicyLoader.parse(ExerciseSetup.builtInPolicy, file: "built-in exercise policy")
            }
        } catch {
            FileHandleOutput.standardError("mirrorwatch: \(error)")
            throw ExitCode(2)
        }
        let options = ExerciseRunner.Options(platforms: platform.isEmpty ? Platform.allCases : platform.compactMap(Platform.init(rawValue:)),
                                             seed: seed, volume: volume, outDirectory: out)
        let setup = ExerciseSetup(policy: loaded)
        let scenarios = ExerciseRunner.scenarios(setup: setup, options: options)
        let root = out ?? NSTemporaryDirectory() + "mirrorwatch-exercise-" + UUID().uuidString
        defer { if out == nil { try? FileManager.default.removeItem(atPath: root) } }
        let outcomes: [ExerciseOutcome]
        do {
            outcomes = try await ExerciseRunner.run(scenarios, setup: setup, options: options, policy: loaded, policyText: policyText, root: root)
        } catch let error as ExerciseError {
            FileHandleOutput.standardError("mirrorwatch: \(error)")
            throw ExitCode(2)
        } catch {
            FileHandleOutput.standardError("mirrorwatch: cannot write the exercise under \(root): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        FileHandleOutput.standardOutput(format == "json" ? ExerciseJSON.render(outcomes) : ExerciseMatrix.render(outcomes))
        if let out { FileHandleOutput.standardError("mirrorwatch: scenario files written to \(out)") }
        if !outcomes.allSatisfy(\.passed) { throw ExitCode(1) }
    }
}
