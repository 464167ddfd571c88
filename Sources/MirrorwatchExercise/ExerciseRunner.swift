import Foundation
import Mirrorwatch

/// What the engine said about one scenario.
public struct ExerciseOutcome: Sendable {
    public var scenario: ExerciseScenario
    /// Expected rule → the highest severity it fired with (nil: missed).
    public var rules: [(rule: String, severity: Severity?)]
    /// Expected flag → found.
    public var flags: [(flag: String, found: Bool)]
    /// The most severe finding other than a coverage gap (benign scenarios must stay below medium).
    public var worst: Finding?
    public var findings: Int
    public var recordsSkipped: Int

    /// Attack: every expected rule and flag found. Benign: nothing at medium or above.
    public var passed: Bool {
        switch scenario.kind {
        case .attack: rules.allSatisfy { $0.severity != nil } && flags.allSatisfy(\.found) && recordsSkipped == 0
        case .benign: (worst?.severity ?? .info) < .medium && recordsSkipped == 0
        }
    }
}

/// Writes scenarios in their native formats and runs the engine over each, as a user would.
public enum ExerciseRunner {
    /// Options of one exercise run.
    public struct Options: Sendable {
        public var platforms: [Platform]
        public var seed: UInt64
        /// Ordinary background records per scenario.
        public var volume: Int
        /// Where to write the files (kept); nil: a temporary folder, removed afterwards.
        public var outDirectory: String?
        public init(platforms: [Platform] = Platform.allCases, seed: UInt64 = 1, volume: Int = 200, outDirectory: String? = nil) {
            self.platforms = platforms
            self.seed = seed
            self.volume = volume
            self.outDirectory = outDirectory
        }
    }

    /// Every scenario for `platforms`, with background records mixed in.
    public static func scenarios(setup: ExerciseSetup, options: Options) -> [ExerciseScenario] {
        var all = AWSExercises.scenarios(setup) + GCPExercises.scenarios(setup) + AzureExercises.scenarios(setup) + DeviceExercises.scenarios(setup)
        all = all.filter { options.platforms.contains($0.platform) }
        for index in all.indices {
            var random = ExerciseRandom(seed: options.seed &* 1_000_003 &+ UInt64(index))
            all[index].files.merge(background(for: all[index].platform, setup: setup, count: options.volume, random: &random)) { a, _ in a }
        }
        return all
    }

    static func background(for platform: Platform, setup: ExerciseSetup, count: Int, random: inout ExerciseRandom) -> [String: String] {
        switch platform {
        case .aws: AWSExercises.background(count: count, account: setup.awsAccount, random: &random)
        case .gcp: GCPExercises.background(count: count, random: &random)
        case .azure: AzureExercises.background(count: count, random: &random)
        default: DeviceExercises.background(platform: platform, device: setup.devices[platform]?.device ?? "device9", count: count, random: &random)
        }
    }

    /// Writes each scenario under `root/<id>/` (and the policy used as `root/policy.yaml` when
    /// `policyText` is given), scans each folder with `policy`, and judges the outcome.
    public static func run(_ scenarios: [ExerciseScenario], policy: Policy, policyText: String?, root: String,
                           now: Date = Timestamp.parse("2026-11-10T00:00:00Z")!) async throws -> [ExerciseOutcome] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        if let policyText { try policyText.write(toFile: root + "/policy.yaml", atomically: true, encoding: .utf8) }
        var outcomes: [ExerciseOutcome] = []
        for scenario in scenarios {
            let folder = root + "/" + scenario.id
            for (name, text) in scenario.files.sorted(by: { $0.key < $1.key }) {
                let path = folder + "/" + name
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let result = await Scanner.scan(ScanOptions(paths: [folder], policy: policy, now: now, parallelism: 2))
            outcomes.append(judge(scenario, result))
        }
        return outcomes
    }

    static func judge(_ scenario: ExerciseScenario, _ result: ScanResult) -> ExerciseOutcome {
        let rules = scenario.expectedRules.map { rule in (rule, result.findings.filter { $0.rule == rule }.map(\.severity).max()) }
        let flags = scenario.expectedFlags.map { flag in (flag, result.findings.contains { $0.context.flags.contains(flag) }) }
        // Each scenario is scanned alone, so the scopes of the other scenarios (devices, accounts the
        // policy names) have no telemetry: coverage gaps describe the exercise's inputs, not the activity.
        let worst = result.findings.filter { $0.rule != RuleID.coverageGap }.max { ($0.severity, $1.id) < ($1.severity, $0.id) }
        return ExerciseOutcome(scenario: scenario, rules: rules, flags: flags, worst: worst, findings: result.findings.count, recordsSkipped: result.recordsSkipped)
    }
}
