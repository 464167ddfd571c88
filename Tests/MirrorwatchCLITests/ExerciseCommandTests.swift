import Foundation
import MirrorwatchJSON
import MirrorwatchTestSupport
import Testing

/// `mirrorwatch exercise`, run as a team would before an incident.
@Suite struct ExerciseCommandTests {
    let binary = RepositoryPaths.executable

    func run(_ arguments: [String]) throws -> CommandResult {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "mirrorwatch executable not built at \(binary)")
        return Command.run(binary, ["exercise"] + arguments, stdin: nil, cwd: RepositoryPaths.root)
    }

    /// Every file under `root`, by relative path.
    static func tree(_ root: String) throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            var directory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &directory), !directory.boolValue {
                files[path] = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            }
        }
        return files
    }

    @Test func everyPlatformDetectsEveryAttackAndStaysQuietOnBenignActivity() throws {
        let result = try run([])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("63/63 expected detections, 12/12 benign scenarios quiet — ready"))
        for platform in ["aws", "gcp", "azure", "cisco-ios", "cisco-nxos", "junos", "arista-eos"] {
            #expect(result.stdout.contains("\n\(platform).sensitive-to-external (attack)"), "\(platform)")
            #expect(result.stdout.contains("\n\(platform).approved-rollout (benign)"), "\(platform)")
        }
        for scenario in ["aws.repoint-approved-session", "aws.goes-before-approved-session", "aws.truncate-approved-session", "aws.gwlb-endpoint-elsewhere", "aws.member-behind-approved-nlb", "aws.gwlb-added-to-approved-service", "aws.create-then-delete", "aws.broad-filter", "aws.failed-probing", "aws.logging-off-first",
                         "aws.unusual-identity-no-ticket", "aws.imitates-known-sensor", "aws.vendor-automation", "aws.describe-only"] {
            #expect(result.stdout.contains(scenario), "\(scenario)")
        }
        #expect(result.stdout.contains("flag tool-imitation                 detected"))
        #expect(!result.stdout.contains("MISSED") && !result.stdout.contains("NOISY"))
    }

    @Test func filesAreWrittenDeterministicallyForASeed() throws {
        let dir = TemporaryDirectory()
        let first = try run(["--platform", "aws", "--platform", "junos", "--seed", "5", "--volume", "30", "--out", dir.path + "/a"])
        let second = try run(["--platform", "aws", "--platform", "junos", "--seed", "5", "--volume", "30", "--out", dir.path + "/b"])
        let other = try run(["--platform", "aws", "--platform", "junos", "--seed", "6", "--volume", "30", "--out", dir.path + "/c"])
        #expect(first.status == 0 && second.status == 0 && other.status == 0)
        let a = try Self.tree(dir.path + "/a"), b = try Self.tree(dir.path + "/b"), c = try Self.tree(dir.path + "/c")
        #expect(!a.isEmpty && a == b, "the same seed writes the same files")
        #expect(a.keys.sorted() == c.keys.sorted() && a != c, "another seed changes the background, not the scenarios")
        #expect(a["policy.yaml"]?.contains("approved_destinations") == true, "the policy used is written beside the scenarios")
        #expect(a.keys.contains { $0.hasPrefix("aws.sensitive-to-external/cloudtrail/AWSLogs/111122223333/CloudTrail/us-east-1/") })
        #expect(a.keys.contains { $0.hasPrefix("junos.sensitive-to-external/devices/syslog/") })
        #expect(!a.keys.contains { $0.hasPrefix("gcp.") })
        #expect(first.stdout.contains("19 scenarios on 2 platform(s)"))
        // A scenario's files do not depend on which other scenarios run.
        let alone = try run(["--platform", "junos", "--seed", "5", "--volume", "30", "--out", dir.path + "/d"])
        #expect(alone.status == 0)
        let d = try Self.tree(dir.path + "/d")
        #expect(d.filter { $0.key.hasPrefix("junos.") } == a.filter { $0.key.hasPrefix("junos.") })
        // Record ids come from the seed: two exports replayed into one SIEM do not collide.
        let idsA = Set(a.values.flatMap { $0.matches(of: /"eventID":"([0-9a-f-]+)"/).map { String($0.1) } })
        let idsC = Set(c.values.flatMap { $0.matches(of: /"eventID":"([0-9a-f-]+)"/).map { String($0.1) } })
        #expect(!idsA.isEmpty && idsA.isDisjoint(with: idsC))
        // Writing into a folder that holds an earlier run would mix the two.
        let again = try run(["--platform", "junos", "--out", dir.path + "/a"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("is not empty"))
    }

    @Test func theTeamsOwnPolicyShowsWhatItWouldMiss() throws {
        let result = try run(["--policy", "examples/policy.yaml", "--volume", "20", "--format", "json"])
        #expect(result.status == 1, "the example policy marks no Junos interface sensitive, and its baseline does not list the rollouts")
        let scenarios = try JSONParser.parse(result.stdout)["scenarios"]?.elements ?? []
        func scenario(_ id: String) -> JSONValue? { scenarios.first { $0["id"]?.text == id } }
        func detected(_ id: String, _ rule: String) -> Bool? {
            scenario(id)?["expected"]?.elements.first { $0["rule"]?.text == rule }?["detected"].flatMap { $0 == .bool(true) }
        }
        // The policy's own sensitive interfaces and subnets are used: core-sw1 Gi1/0/1, the PCI subnets.
        #expect(detected("cisco-ios.sensitive-to-external", "mirror.source.sensitive") == true)
        #expect(detected("aws.sensitive-to-external", "mirror.source.sensitive") == true)
        #expect(detected("junos.sensitive-to-external", "mirror.source.sensitive") == false, "no Junos interface is sensitive in that policy")
        #expect(detected("cisco-nxos.sensitive-to-external", "mirror.source.sensitive") == true, "dc-leaf7 Ethernet1/5 is")
        #expect(scenario("aws.approved-rollout")?["worst_rule"]?.text == "baseline.drift", "a rollout not yet in approved_sessions is drift")
        #expect(try JSONParser.parse(result.stdout)["ready"] == .bool(false))
    }

    @Test func jsonAndUsageErrors() throws {
        let json = try run(["--platform", "gcp", "--format", "json", "--volume", "5"])
        #expect(json.status == 0)
        let value = try JSONParser.parse(json.stdout)
        #expect(value["ready"] == .bool(true))
        #expect(value["scenarios"]?.elements.count == 10)
        #expect(value["scenarios"]?.elements.allSatisfy { $0["passed"] == .bool(true) && $0["records_skipped"]?.int == 0 } == true)
        let bad = try run(["--platform", "vax"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--platform must be one of"))
    }
}

/// Parallel and single-core scans give identical findings on a generated corpus of every platform.
@Suite struct ParallelDeterminismTests {
    @Test func generatedCorpusScansIdenticallyOnOneAndManyCores() throws {
        let binary = RepositoryPaths.executable
        try #require(FileManager.default.isExecutableFile(atPath: binary), "mirrorwatch executable not built at \(binary)")
        let dir = TemporaryDirectory()
        let corpus = dir.path + "/corpus"
        let written = Command.run(binary, ["exercise", "--out", corpus, "--volume", "300", "--seed", "11"], stdin: nil, cwd: RepositoryPaths.root)
        #expect(written.status == 0)
        // Every scenario folder (the policy beside them is not an input).
        let folders = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0 != "policy.yaml" }.sorted().map { corpus + "/" + $0 }
        func scan(_ jobs: String) -> CommandResult {
            Command.run(binary, ["scan", "--policy", corpus + "/policy.yaml", "--jobs", jobs, "--format", "jsonl", "--group", "rule", "--now", "2026-11-10T00:00:00Z"] + folders,
                        stdin: nil, cwd: RepositoryPaths.root)
        }
        let one = scan("1"), many = scan("8")
        #expect(one.status == 0 && many.status == 0)
        let lines = one.stdout.split(separator: "\n")
        #expect(lines.count > 150, "a corpus with findings on every platform (\(lines.count))")
        #expect(one.stdout == many.stdout, "the same findings, in the same order, whatever the core count")
        for platform in ["aws", "gcp", "azure", "cisco-ios", "cisco-nxos", "junos", "arista-eos"] {
            #expect(one.stdout.contains("\"platform\":\"\(platform)\""), "\(platform)")
        }
        #expect(!one.stderr.contains("problem"), "every record read: \(one.stderr)")
    }
}
