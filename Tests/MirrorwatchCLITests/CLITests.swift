import Foundation
import Mirrorwatch
import MirrorwatchJSON
import MirrorwatchTestSupport
import Testing

/// The real executable, run as a user would.
@Suite struct CLITests {
    let binary = RepositoryPaths.executable
    let examples = RepositoryPaths.examples

    func run(_ arguments: [String], stdin: String? = nil) throws -> CommandResult {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "mirrorwatch executable not built at \(binary)")
        return Command.run(binary, arguments, stdin: stdin, cwd: RepositoryPaths.root)
    }

    /// The README's first command: the bundled examples stored in the default SQLite file and
    /// evaluated by the service's pipeline; run twice, the second run stores nothing again.
    @Test func readmeFirstCommandStoresAndEvaluatesTheExamples() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        let firstCommand = try #require(readme.split(separator: "\n").first { $0.hasPrefix("swift run mirrorwatch ") })
        let arguments = firstCommand.dropFirst("swift run mirrorwatch ".count).split(separator: " ").map(String.init)
        #expect(Array(arguments.prefix(2)) == ["serve", "--once"])
        // In a directory of its own (the default store is ./mirrorwatch.sqlite), with the examples by absolute path.
        let dir = TemporaryDirectory()
        let absolute = arguments.map { $0.hasPrefix("examples") ? RepositoryPaths.root + "/" + $0 : $0 }
        let first = Command.run(binary, absolute, stdin: nil, cwd: dir.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/mirrorwatch.sqlite"))
        #expect(first.stdout.contains("mirror.destination.unapproved") && first.stdout.contains("core-sw1"))
        #expect(first.stderr.contains("loaded 49 files as batches"), "\(first.stderr)")
        #expect(first.stderr.contains("cloudtrail:") && first.stderr.contains("device-config:") && first.stderr.contains("tickets:"))
        // The same findings as `scan` on the same files.
        let scan = try run(["scan"] + arguments.dropFirst(2) + ["--format", "jsonl"])
        let once = Command.run(binary, absolute + ["--format", "jsonl"], stdin: nil, cwd: dir.path)
        #expect(once.stderr.contains("loaded 0 files as batches (0 bytes), 49 already stored"), "\(once.stderr)")
        func rules(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { (try? JSONParser.parse(Array($0.utf8)))?["rule"]?.text }.sorted()
        }
        #expect(!rules(scan.stdout).isEmpty)
        #expect(rules(once.stdout) == rules(scan.stdout))
    }

    @Test func readmeScanCommandShowsFindings() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        let scanCommand = try #require(readme.split(separator: "\n").first { $0.hasPrefix("swift run mirrorwatch scan ") })
        // Run exactly the README's arguments with the built executable.
        let arguments = scanCommand.dropFirst("swift run mirrorwatch ".count).split(separator: " ").map(String.init)
        let result = try run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("mirror.destination.unapproved"))
        for format in ["cloudtrail:", "aws-inventory:", "gcp-audit:", "gcp-inventory:", "azure-activity:", "azure-inventory:", "device-config:", "syslog:", "tickets:"] {
            #expect(result.stderr.contains(format), "the README run reads \(format)")
        }
        #expect(!result.stderr.contains("problem"), "\(result.stderr)")
        #expect(result.stdout.contains("pm-ndr") && result.stdout.contains("tap-ndr") && result.stdout.contains("tms-0sensor0000000001"))
        #expect(result.stdout.contains("core-sw1") && result.stdout.contains("coverage.logging-tampered"))
    }

    @Test func failOnGivesExitOne() throws {
        let result = try run(["scan", "--policy", "examples/policy.yaml", "--fail-on", "critical", "--format", "jsonl", "examples/aws"])
        #expect(result.status == 1)
        #expect(!result.stdout.isEmpty)
        let quiet = try run(["scan", "--fail-on", "critical", examples + "/tickets"])
        #expect(quiet.status == 0)
    }

    @Test func invalidPolicyGivesExitTwoWithFileLineAndReason() throws {
        let dir = TemporaryDirectory()
        let policy = dir.write("bad.yaml", "version: 1\norganization:\n  internal_cidrs: [10.0.0.0/99]\nbogus: 1\n")
        let result = try run(["scan", "--policy", policy, examples + "/aws"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(policy):3:"))
        #expect(result.stderr.contains("not a valid CIDR"))
        #expect(result.stderr.contains("\(policy):4:1: unknown key 'bogus'"))
        #expect(result.stdout.isEmpty)
    }

    @Test func usageErrorsGiveExitTwo() throws {
        #expect(try run(["scan"]).status == 2)
        #expect(try run(["scan", "--format", "xml", "examples/aws"]).status == 2)
        #expect(try run(["scan", "--fail-on", "severe", "examples/aws"]).status == 2)
        #expect(try run(["frobnicate"]).status == 2)
        let missing = try run(["scan", "/nonexistent/path"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/path: path: no such file or directory"))
    }

    @Test func aMissingPathBesideReadableOnesStillReportsThenExitsTwo() throws {
        let dir = TemporaryDirectory()
        let good = CloudTrailFixture.createSession("tms-1", eni: "eni-1", target: "tmt-1", filter: "tmf-1")
        let log = dir.write("logs/good.json", CloudTrailFixture.s3Object([good]))
        let typo = dir.path + "/lgos"
        let scan = try run(["scan", "--format", "jsonl", log, typo])
        #expect(scan.status == 2, "a mistyped path is an error even though the rest was read")
        #expect(scan.stdout.contains("CreateTrafficMirrorSession"), "findings from the readable input are still written")
        #expect(scan.stderr.contains("\(typo): path: no such file or directory"))
        #expect(scan.stderr.contains("1 named path(s) could not be read: \(typo)"))
        // The error outranks --fail-on's 1, and every command that reads inputs checks it.
        #expect(try run(["scan", "--fail-on", "info", log, typo]).status == 2)
        #expect(try run(["coverage", log, typo]).status == 2)
        #expect(try run(["baseline", "learn", log, typo]).status == 2)
        #expect(try run(["audit", "--json", dir.path + "/audit.json", log, typo]).status == 2)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/audit.json"), "the report is still written")
        let once = Command.run(binary, ["serve", "--once", log, typo], stdin: nil, cwd: dir.path)
        #expect(once.status == 2, "\(once.stderr)")
        #expect(once.stderr.contains("loaded 1 file as batches") && once.stderr.contains("could not read: \(typo)"), "\(once.stderr)")
        #expect(try run(["scan", log]).status == 0)
    }

    /// On a terminal (a pseudo-terminal from `script`), reading shows one redrawn progress line,
    /// ending with every input read, and wipes it before the summary; piped, nothing of it.
    @Test func aTerminalShowsProgressWhileReading() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) from bsdutils")
        let command = "\(binary) scan --format jsonl --out /dev/null \(examples)/aws"
        let terminal = Command.run("/usr/bin/script", ["-qec", command, "/dev/null"], stdin: nil, cwd: RepositoryPaths.root)
        #expect(terminal.status == 0, "\(terminal.stdout)")
        let wipe = "\r\u{1B}[K"
        let draws = terminal.stdout.components(separatedBy: wipe).filter { $0.hasPrefix("mirrorwatch: ") && $0.contains(" inputs, ") }
        let last = try #require(draws.last, "\(terminal.stdout)")
        let counts = last.split(separator: " ")[1].split(separator: "/").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] == counts[1] && counts[0] > 1, "every input read: \(last)")
        #expect(last.contains(" records, ") && last.contains("/s"), "\(last)")
        #expect(terminal.stdout.contains(wipe + "read cloudtrail:") || terminal.stdout.contains(wipe + "read "), "the summary starts on a wiped line")
        // A narrow terminal: the line is cut to fit, so it never wraps and can be redrawn in place.
        let narrow = Command.run("/usr/bin/script", ["-qec", "stty cols 40; " + command, "/dev/null"], stdin: nil, cwd: RepositoryPaths.root)
        let cut = narrow.stdout.components(separatedBy: wipe).filter { $0.hasPrefix("mirrorwatch: ") && $0.contains("/") && !$0.contains("\n") }
        #expect(!cut.isEmpty && cut.allSatisfy { $0.count <= 39 }, "\(cut)")
        let piped = try run(["scan", "--format", "jsonl", "--out", "/dev/null", examples + "/aws"])
        #expect(!piped.stderr.contains("\u{1B}[K") && !piped.stderr.contains(" inputs, "))
    }

    @Test func inputWithNothingReadableGivesExitTwo() throws {
        let dir = TemporaryDirectory()
        dir.write("junk.bin", [0x00, 0xff, 0x13, 0x37])
        dir.write("empty.json", "")
        let result = try run(["scan", dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no input could be read"))
        let empty = dir.write("ok/empty-trail.json", "{\"Records\": []}")
        #expect(try run(["scan", empty]).status == 0, "an empty but valid trail is a clean run")
    }

    @Test func badInputIsReportedButTheScanGoesOn() throws {
        let dir = TemporaryDirectory()
        let good = CloudTrailFixture.createSession("tms-1", eni: "eni-1", target: "tmt-1", filter: "tmf-1")
        dir.write("logs/good.json", CloudTrailFixture.s3Object([good]))
        dir.write("logs/broken.json", "{\"Records\": [{\"eventName\": \"CreateTrafficMirrorSession\", ")
        dir.write("logs/junk.bin", [0x00, 0xff, 0x13, 0x37, 0x00, 0x42])
        let result = try run(["scan", "--format", "jsonl", dir.path + "/logs"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("CreateTrafficMirrorSession"))
        #expect(result.stderr.contains("broken.json"))
        #expect(result.stderr.contains("junk.bin"))
        #expect(result.stderr.contains("broken.json [cloudtrail]: 0 records read, 1 skipped"))
        #expect(result.stderr.contains("junk.bin [unknown]"))
    }

    @Test func standardInputAndFormats() throws {
        let records = CloudTrailFixture.jsonLines([CloudTrailFixture.createSession("tms-1", eni: "eni-1", target: "tmt-1", filter: "tmf-1")])
        let jsonl = try run(["scan", "--format", "jsonl", "-"], stdin: records)
        #expect(jsonl.status == 0)
        let value = try JSONParser.parse(String(jsonl.stdout.split(separator: "\n")[0]))
        #expect(value["evidence"]?.elements.first?["input"]?.text == "-")
        let ocsf = try run(["scan", "--format", "ocsf", "-"], stdin: records)
        #expect(try JSONParser.parse(String(ocsf.stdout.split(separator: "\n")[0]))["class_uid"]?.int == 2004)
        let table = try run(["scan", "-"], stdin: records)
        #expect(table.stdout.contains("CreateTrafficMirrorSession"))
        // The contract's two other formats: CEF, one event per finding, and one HTML page.
        let cef = try run(["scan", "--format", "cef", "-"], stdin: records)
        let events = cef.stdout.split(separator: "\n")
        #expect(cef.status == 0 && events.count == jsonl.stdout.split(separator: "\n").count)
        #expect(events.allSatisfy { $0.hasPrefix("CEF:0|mirrorwatch|mirrorwatch|\(ProductVersion.current)|") && $0.contains("cs1Label=findingId") })
        let html = try run(["scan", "--format", "html", "-"], stdin: records)
        #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("CreateTrafficMirrorSession"))
        #expect(html.stdout.contains("Content-Security-Policy"))
        let bad = try run(["scan", "--format", "xml", "-"], stdin: records)
        #expect(bad.status == 2 && bad.stderr.contains("table, jsonl, ocsf, cef, html"))
    }

    @Test func outWritesAFileAndMinSeverityFilters() throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/findings.jsonl"
        let result = try run(["scan", "--policy", "examples/policy.yaml", "--format", "jsonl", "--min-severity", "high", "--out", out, "examples/aws", "examples/tickets"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("\"severity\":\"high\"") || $0.contains("\"severity\":\"critical\"") })
    }

    @Test func baselineLearnWritesALoadablePolicy() throws {
        let dir = TemporaryDirectory()
        let draft = dir.path + "/draft.yaml"
        let learn = try run(["baseline", "learn", "--out", draft, "examples/aws"])
        #expect(learn.status == 0)
        let text = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(text.contains("TODO-review"))
        #expect(text.contains("approved_destinations"))
        #expect(text.contains("approved_sessions"))
        let organization = try #require(text.split(separator: "\n").first { $0.contains("aws_accounts:") })
        #expect(!organization.contains("999988887777"), "an outside target owner must not be learned as ours")
        #expect(text.contains("# destination owner 999988887777 owns no mirrored session"))
        #expect(text.contains("session_number: 1, packet_length: whole"), "AWS sessions keep their place in the order and their packet length")
        #expect(text.contains("{name: \"member of ndr-sensor-vxlan\", instance: \"i-0ndrsensor0000002\", owner: TODO-review"), "members behind a load balancer: \(text)")
        #expect(text.contains("{name: \"member of ndr-sensor-vxlan\", ip: \"192.168.77.10\", owner: TODO-review"))
        let rescan = try run(["scan", "--policy", draft, "--format", "jsonl", "examples/aws"])
        #expect(rescan.status == 0, "\(rescan.stderr)")
        #expect(!rescan.stdout.contains("\"rule\":\"mirror.destination.unapproved\""), "everything live is approved by the draft")
        #expect(!rescan.stdout.contains("\"rule\":\"baseline.drift\""))
        // Every platform, device interfaces and VLANs included (written as device plus interface or vlan).
        let all = ["examples/aws", "examples/gcp", "examples/azure", "examples/devices"]
        #expect(try run(["baseline", "learn", "--out", draft] + all).status == 0)
        let everything = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(everything.contains(#"device: "core-sw1", interface: "GigabitEthernet1/0/13""#) && everything.contains(#"device: "core-sw1", vlan: 900"#))
        let rescanAll = try run(["scan", "--policy", draft, "--format", "jsonl"] + all)
        #expect(rescanAll.status == 0, "\(rescanAll.stderr)")
        #expect(!rescanAll.stdout.contains("\"rule\":\"baseline.drift\""))
    }

    @Test func rulesListsTheContractIds() throws {
        let result = try run(["rules"])
        #expect(result.status == 0)
        for id in ["mirror.change.observed", "mirror.destination.unapproved", "mirror.destination.external", "mirror.source.sensitive",
                   "mirror.session.repointed", "mirror.filter.broad", "mirror.change.unauthorized-actor", "mirror.change.no-ticket",
                   "mirror.change.transient", "mirror.change.denied", "mirror.exception.expired", "baseline.drift"] {
            #expect(result.stdout.contains(id))
        }
    }

    @Test func helpWorks() throws {
        let result = try run(["scan", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--fail-on"))
    }
}

@Suite struct OutputTargetTests {
    @Test func outToADeviceWritesIntoItAndNeverReplacesIt() throws {
        let binary = RepositoryPaths.executable
        try #require(FileManager.default.isExecutableFile(atPath: binary))
        let result = Command.run(binary, ["scan", "--format", "jsonl", "--out", "/dev/null", RepositoryPaths.examples + "/aws"])
        #expect(result.status == 0)
        var info = stat()
        #expect(stat("/dev/null", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR, "/dev/null must still be a character device")
    }

    @Test func outToAFifoStreamsIntoIt() throws {
        let binary = RepositoryPaths.executable
        try #require(FileManager.default.isExecutableFile(atPath: binary))
        let dir = TemporaryDirectory()
        let fifo = dir.path + "/findings.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat '\(fifo)' > '\(dir.path)/received.jsonl'"]
        try reader.run()
        let result = Command.run(binary, ["scan", "--format", "jsonl", "--out", fifo, RepositoryPaths.examples + "/aws"])
        reader.waitUntilExit()
        #expect(result.status == 0)
        let received = try String(contentsOfFile: dir.path + "/received.jsonl", encoding: .utf8)
        #expect(received.contains("\"rule\":\"mirror.change.observed\""))
    }
}
