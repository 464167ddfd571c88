import Foundation
import MirrorwatchJSON
import MirrorwatchTestSupport
import Testing

/// `coverage`, `access` and `audit`, run as a user would, on the bundled example organization.
@Suite struct AuditCommandTests {
    let binary = RepositoryPaths.executable
    static let inputs = ["examples/aws", "examples/gcp", "examples/azure", "examples/devices", "examples/tickets"]

    func run(_ arguments: [String]) throws -> CommandResult {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "mirrorwatch executable not built at \(binary)")
        return Command.run(binary, arguments, stdin: nil, cwd: RepositoryPaths.root)
    }

    @Test func readmeAuditCommandsRun() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        let prefixes = ["swift run mirrorwatch coverage ", "swift run mirrorwatch access ", "swift run mirrorwatch audit "]
        let commands = readme.split(separator: "\n").filter { line in prefixes.contains { line.hasPrefix($0) } }
        #expect(commands.count == 3)
        let dir = TemporaryDirectory()
        for command in commands {
            let arguments = command.dropFirst("swift run mirrorwatch ".count).split(separator: " ").map { $0 == "report.html" ? dir.path + "/report.html" : $0 == "report.json" ? dir.path + "/report.json" : String($0) }
            let result = try run(arguments)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("problem"), "\(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.path + "/report.html"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/report.json"))
    }

    @Test func coverageShowsTheMatrixAndGaps() throws {
        let result = try run(["coverage", "--policy", "examples/policy.yaml"] + Self.inputs)
        #expect(result.status == 0)
        #expect(result.stdout.contains("gcp project sec-tools-0815 *"))
        #expect(result.stdout.contains("aws account 111122223333 *"))
        #expect(result.stdout.contains("No audit logs for project sec-tools-0815"))
        #expect(result.stdout.contains("coverage.logging-tampered"))
        #expect(!result.stdout.contains("mirror.destination"), "only coverage findings")
        let json = try run(["coverage", "--format", "json", "--policy", "examples/policy.yaml"] + Self.inputs)
        let value = try JSONParser.parse(json.stdout)
        #expect(value["coverage"]?["scopes"]?.elements.isEmpty == false)
        #expect(value["access"] == nil)
    }

    @Test func accessExplainsAndFailsOn() throws {
        let result = try run(["access", "--policy", "examples/policy.yaml", "examples/aws", "examples/gcp", "examples/azure"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("role DeployRole  can (can send traffic somewhere new)  EXCESSIVE"))
        #expect(result.stdout.contains("granted by inline policy deploy"))
        #expect(result.stdout.contains("authorized by arn:aws:iam::111122223333:role/NetworkAdmin"))
        #expect(result.stdout.contains("access.excessive"))
        let failing = try run(["access", "--policy", "examples/policy.yaml", "--fail-on", "medium", "examples/gcp"])
        #expect(failing.status == 1, "GCP editors can create packet mirroring without authorization")
    }

    @Test func malformedIAMExportIsReportedAndTheAuditStillRuns() throws {
        let dir = TemporaryDirectory()
        dir.write("iam/broken.json", "{\"RoleDetailList\": [{\"RoleName\": \"x\", \"Arn\": \"arn:aws:iam::111122223333:role/x\"\n")
        dir.write("iam/shop.iam-policy.json", #"{"bindings": [{"role": "roles/editor", "members": ["user:eve@example.com"]}]}"#)
        let json = dir.path + "/report.json"
        let result = try run(["audit", "--policy", "examples/policy.yaml", "--json", json, dir.path + "/iam", "examples/aws/cloudtrail"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("broken.json"), "\(result.stderr)")
        #expect(result.stderr.contains("malformed JSON"))
        let report = try JSONParser.parse(String(contentsOfFile: json, encoding: .utf8))
        let principals = report["access"]?["principals"]?.elements ?? []
        #expect(principals.contains { $0["name"]?.text == "eve@example.com" && $0["verdict"]?.text == "can" })
        let inputs = report["inputs"]?.elements ?? []
        #expect(inputs.contains { ($0["input"]?.text ?? "").hasSuffix("broken.json") && $0["skipped"]?.int == 1 && ($0["issues"]?.elements.count ?? 0) == 1 })
        #expect(report["summary"]?["records_skipped"]?.int == 1)
    }

    @Test func auditNeedsAnOutput() throws {
        let result = try run(["audit", "examples/aws"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--html"))
    }
}
