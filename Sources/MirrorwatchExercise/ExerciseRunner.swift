import Foundation
import Mirrorwatch

/// Why an exercise could not run.
public enum ExerciseError: Error, CustomStringConvertible {
    case folderNotEmpty(String)

    public var description: String {
        switch self {
        case .folderNotEmpty(let path): "\(path) is not empty: write the exercise to a new or empty folder (files of an earlier run would mix in)"
        }
    }
}

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

    /// Every scenario for `platforms`, without background (it is added as each scenario is written).
    /// Record ids start from the seed, so exports with different seeds never share event ids.
    public static func scenarios(setup: ExerciseSetup, options: Options) -> [ExerciseScenario] {
        let base = Int(options.seed % 1_000_000) * 1_000_000
        CloudTrailRecords.startIds(at: base)
        GCPAuditEntries.startIds(at: base)
        AzureActivityRecords.startIds(at: base)
        let all = AWSExercises.scenarios(setup) + GCPExercises.scenarios(setup) + AzureExercises.scenarios(setup) + DeviceExercises.scenarios(setup)
        return all.filter { options.platforms.contains($0.platform) }
    }

    /// Ordinary records for one scenario, from a seed of its own id: the same whichever other scenarios run.
    static func background(for scenario: ExerciseScenario, setup: ExerciseSetup, options: Options) -> [String: String] {
        var random = ExerciseRandom(seed: ExerciseRandom.seed(options.seed, scenario.id))
        let count = options.volume
        switch scenario.platform {
        case .aws: return AWSExercises.background(count: count, account: setup.awsAccount, random: &random)
        case .gcp: return GCPExercises.background(count: count, project: setup.gcpProject, random: &random)
        case .azure: return AzureExercises.background(count: count, subscription: setup.azureSubscription, random: &random)
        default: return DeviceExercises.background(platform: scenario.platform, device: setup.devices[scenario.platform]?.device ?? "device9", count: count, random: &random)
        }
    }

    /// Writes each scenario with its background under `root/<id>/` and the policy used as
    /// `root/policy.yaml`, scans each folder with `policy`, and judges the outcome. One scenario's
    /// files are in memory at a time. `root` must not exist yet or be empty: stale files of an
    /// earlier run would mix in.
    public static func run(_ scenarios: [ExerciseScenario], setup: ExerciseSetup, options: Options, policy: Policy, policyText: String, root: String,
                           now: Date = Timestamp.parse("2026-11-10T00:00:00Z")!) async throws -> [ExerciseOutcome] {
        let manager = FileManager.default
        if manager.fileExists(atPath: root) {
            // Only a folder that exists, can be read and is empty will do.
            guard let existing = try? manager.contentsOfDirectory(atPath: root), existing.isEmpty else { throw ExerciseError.folderNotEmpty(root) }
        }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        try policyText.write(toFile: root + "/policy.yaml", atomically: true, encoding: .utf8)
        var outcomes: [ExerciseOutcome] = []
        for scenario in scenarios {
            let folder = root + "/" + scenario.id
            let files = scenario.files.merging(background(for: scenario, setup: setup, options: options)) { a, _ in a }
            for (name, text) in files.sorted(by: { $0.key < $1.key }) {
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
        let worst = result.findings.filter { $0.rule != RuleID.coverageGap }.max { ($0.severity, $1.rule, $1.title) < ($1.severity, $0.rule, $0.title) }
        return ExerciseOutcome(scenario: scenario, rules: rules, flags: flags, worst: worst, findings: result.findings.count, recordsSkipped: result.recordsSkipped)
    }
}
