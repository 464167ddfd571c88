import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Inputs are read in bounded windows (gzip inflated as it is read). Whatever the window size,
/// and wherever a window cuts a record, the result must be the one of reading the input whole.
@Suite struct StreamingTests {
    /// What a read produced, in a comparable form (positions, counts, evidence, coverage).
    static func fingerprint(_ r: ReadResult) -> [String] {
        var lines = ["\(r.report.format) records=\(r.report.records) relevant=\(r.report.relevant) skipped=\(r.report.skipped) bytes=\(r.report.bytes)"]
        lines += r.report.issues.map { "issue \($0.position): \($0.reason)" }
        lines += r.changes.map { "change \($0.time) \($0.action) \($0.resourceId ?? "-") \($0.eventId ?? "-") \($0.evidence)" }
        lines += r.authEvents.map { "auth \($0.evidence)" }
        lines += r.loggingChanges.map { "logging \($0.evidence)" }
        lines += r.deviceActivity.map { "device \($0.evidence)" }
        lines += r.flows.map { "flow \($0.sourceAddress)>\($0.destinationAddress):\($0.destinationPort ?? -1)/\($0.proto) n=\($0.count) b=\($0.bytes ?? -1) \($0.evidence)" }
        lines += r.telemetry.tallies.sorted { $0.key < $1.key }.map { key, tally in
            "telemetry \(key) \(tally.records) \(tally.first.map(Timestamp.format) ?? "-") \(tally.last.map(Timestamp.format) ?? "-") \(tally.inputs.sorted())"
        }
        return lines
    }

    static func assertWindowsMatchWholeRead(_ path: String, windows: [Int] = [64, 333, 4096], options: ReaderOptions = ReaderOptions(),
                                            sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = fingerprint(InputReader.read(InputSource.load(path), options: options))
        for window in windows {
            let streamed = fingerprint(InputReader.read(path: path, options: options, window: window))
            #expect(streamed == whole, "window \(window) on \(path)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyExampleLogReadsTheSameInSmallWindows() throws {
        let (files, _) = InputSource.expand([RepositoryPaths.examples])
        var streamedFormats = Set<String>()
        for file in files {
            let result = InputReader.read(path: file, window: 64)
            if ["cloudtrail", "gcp-audit", "azure-activity", "syslog", "vpc-flow", "entra-signin"].contains(result.report.format) {
                streamedFormats.insert(result.report.format)
                Self.assertWindowsMatchWholeRead(file)
            }
        }
        #expect(streamedFormats == ["cloudtrail", "gcp-audit", "azure-activity", "syslog", "vpc-flow", "entra-signin"])
    }

    /// NetFlow CSV exports are read window by window: a window ends after its last complete row, so a
    /// quoted field that spans lines (or a doubled quote at a window's edge) is never cut.
    @Test func netflowCSVReadsTheSameInSmallWindows() throws {
        let dir = TemporaryDirectory()
        var options = ReaderOptions()
        options.isInternalAddress = { $0.hasPrefix("10.") }
        var csv = "\u{FEFF}firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows,note\n"
        for k in 0..<60 {
            let dest = k % 3 == 0 ? "198.51.100.\(k)" : "10.0.0.\(k)", proto = k % 5 == 0 ? 47 : 6
            let note = k % 7 == 0 ? "\"line one,\nline \"\"two\"\"\"" : "plain"
            csv += "2026-11-03 11:\(String(format: "%02d", k)):00.123,60.004,\(proto),10.0.1.20,0,\(dest),443,9120,\(1000 + k),1,\(note)\n"
        }
        csv += "Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n60,1,1,1,1,1\n"
        let path = dir.write("flows.csv", csv)
        // Every window size from 64 (the smallest) to 300 bytes: windows end inside quoted fields, between
        // doubled quotes, at row ends.
        Self.assertWindowsMatchWholeRead(path, windows: Array(64...300) + [4096], options: options)
        let result = InputReader.read(path: path, options: options, window: 64)
        #expect(result.report.format == "netflow-csv" && result.report.records == 60 && result.report.issues.isEmpty)
        #expect(result.flows.count == 20 + 12 - 4, "every third goes out of the organization, every fifth is GRE (four are both)")
        // Row k starts on line 2 + k, plus one line for each two-line note (rows 0, 7, 14, ...) before it.
        let lines = Dictionary(result.flows.map { ($0.destinationAddress, $0.evidence.line) }, uniquingKeysWith: { a, _ in a })
        #expect(lines["198.51.100.3"] == 6 && lines["198.51.100.9"] == 13 && lines["10.0.0.10"] == 14 && lines["198.51.100.57"] == 2 + 57 + 9)

        // A stray quote with over a megabyte after it: taken for damage once the field outgrows any real
        // one, its row skipped, the rest read, in small windows as in one.
        var damaged = "firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows\n"
        damaged += "2026-11-03 11:00:00,1,\"47,10.0.1.20,0,198.51.100.1,0,1,1,1\n"
        for k in 0..<20_000 { damaged += "2026-11-03 12:00:00,1,\(k == 19_999 ? 47 : 6),10.0.1.20,0,10.0.0.1,443,1,\(k),1\n" }
        let damagedPath = dir.write("damaged.csv", damaged)
        Self.assertWindowsMatchWholeRead(damagedPath, windows: [4096, 1 << 16], options: options)
        let repaired = InputReader.read(path: damagedPath, options: options, window: 4096)
        #expect(repaired.report.issues.map(\.position) == ["line 2"] && repaired.report.issues.first?.reason.contains("runs past 1 MB") == true)
        #expect(repaired.report.records == 20_000 && repaired.flows.map(\.evidence.line) == [20_002])
    }

    /// GCP and Azure flow logs and Entra sign-ins are read window by window too, in each shape they
    /// are exported in, broken records included.
    @Test func flowAndSignInLogsReadTheSameInSmallWindows() throws {
        let dir = TemporaryDirectory()
        var options = ReaderOptions()
        options.isInternalAddress = { $0.hasPrefix("10.") }
        let gcp = (0..<30).map { k in
            let dest = k % 3 == 0 ? "203.0.113.\(k)" : "10.0.0.\(k)", port = k % 5 == 0 ? 4789 : 443, proto = k % 5 == 0 ? 17 : 6
            let second = String(format: "%02d", k)
            return #"{"insertId":"i\#(k)","jsonPayload":{"connection":{"dest_ip":"\#(dest)","dest_port":\#(port),"protocol":\#(proto),"src_ip":"10.9.9.9","src_port":\#(1000 + k)},"start_time":"2026-11-04T03:45:\#(second)Z","reporter":"SRC","src_instance":{"vm_name":"vm-\#(k)"}},"logName":"projects/p/logs/compute.googleapis.com%2Fvpc_flows"}"#
        }
        var lines = gcp
        lines[12] = String(lines[12].prefix(90))  // a line cut short
        Self.assertWindowsMatchWholeRead(dir.write("gcp/vpc_flows.json", lines.joined(separator: "\n")), windows: [64, 200, 1000, 4096], options: options)
        Self.assertWindowsMatchWholeRead(dir.write("gcp/array/vpc_flows.json", "[" + gcp.joined(separator: ",\n") + "]"), windows: [64, 1000], options: options)

        let tuples = (0..<40).map { k in
            let dest = k % 4 == 0 ? "203.0.113.\(k)" : "10.5.16.\(k)", port = k % 7 == 0 ? 4789 : 443, proto = k % 7 == 0 ? "U" : "T"
            return "\"17622198\(String(format: "%02d", k)),10.5.16.4,\(dest),5983\(k % 10),\(port),\(proto),O,A,C,3,\(700 + k),2,1580\""
        }
        let azure = (0..<8).map { k in
            #"{"time":"2026-11-04T01:3\#(k):35Z","category":"NetworkSecurityGroupFlowEvent","resourceId":"/SUBSCRIPTIONS/6F1C2D3E-0000-4A5B-8C9D-11112222333\#(k)/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG1","properties":{"Version":2,"flows":[{"rule":"r","flows":[{"mac":"000D3AF87856","flowTuples":[\#(tuples[(5 * k)..<(5 * k + 5)].joined(separator: ","))]}]}]}}"#
        }
        Self.assertWindowsMatchWholeRead(dir.write("azure/PT1H.json", #"{"records":["# + azure.joined(separator: ",\n") + "]}"), windows: [64, 700, 4096], options: options)

        let signIns = (0..<20).map { k in
            let minute = String(format: "%02d", k)
            return #"{"time":"2026-11-03T10:\#(minute):41Z","category":"SignInLogs","tenantId":"t","resultType":"0","properties":{"createdDateTime":"2026-11-03T10:\#(minute):41+00:00","userPrincipalName":"user\#(k)@contoso.com","ipAddress":"198.51.100.\#(k)","status":{"errorCode":0},"authenticationRequirement":"singleFactorAuthentication"}}"#
        }
        Self.assertWindowsMatchWholeRead(dir.write("entra/PT1H.json", signIns.joined(separator: "\n")), windows: [64, 500])
        // Microsoft Graph writes `@odata.context` before `value`: the wrapper is read as one record and unwrapped.
        let graphPath = dir.write("entra/signins.json", #"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":["# + signIns.joined(separator: ",") + "]}")
        Self.assertWindowsMatchWholeRead(graphPath, windows: [64, 500])
        let graph = InputReader.read(path: graphPath, window: 64)
        #expect(graph.report.format == "entra-signin" && graph.report.records == 20 && graph.authEvents.count == 20)
        #expect(graph.authEvents.compactMap(\.evidence.record) == Array(0..<20), "each sign-in has a position of its own")
        // Two such pages as JSON lines: record numbers run on across them.
        let pages = [signIns[0..<5], signIns[5..<12]].map { #"{"@odata.context":"x","value":["# + $0.joined(separator: ",") + "]}" }
        let paged = InputReader.read(path: dir.write("entra/pages.json", pages.joined(separator: "\n")), window: 64)
        #expect(paged.report.records == 12 && paged.authEvents.compactMap(\.evidence.record) == Array(0..<12))
        #expect(paged.authEvents.map(\.evidence.line) == Array(repeating: 1, count: 5) + Array(repeating: 2, count: 7))
    }

    @Test func brokenRecordsAreReportedAtTheSamePlacesWhereverWindowsEnd() throws {
        let dir = TemporaryDirectory()
        let good = (0..<40).map { CT.other("GetObject", at: String(format: "2026-11-03T10:%02d:00Z", $0)) }
        let mirror = CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T11:00:00Z",
                               request: ["CreateTrafficMirrorSessionRequest": ["NetworkInterfaceId": "eni-0a1b2c3d4e5f60718", "TrafficMirrorTargetId": "tmt-0123456789abcdef0",
                                                                                 "TrafficMirrorFilterId": "tmf-0123456789abcdef0", "SessionNumber": 1]],
                               response: ["CreateTrafficMirrorSessionResponse": ["trafficMirrorSession": ["trafficMirrorSessionId": "tms-0123456789abcdef0"]]])
        // An S3 object (records start with eventVersion, as CloudTrail writes them) with a record garbled by junk.
        let records = (Array(good[0..<20]) + [mirror] + Array(good[20...])).map { "{\"eventVersion\":\"1.08\"," + CT.json($0).dropFirst() }
        var object = "{\"Records\":[" + records.joined(separator: ",") + "]}"
        let at = object.range(of: "GetObject", range: object.index(object.startIndex, offsetBy: 3000)..<object.endIndex)!
        object.replaceSubrange(at, with: "Get\u{1}\u{2}\"junk")
        let objectPath = dir.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/object.json", object)
        Self.assertWindowsMatchWholeRead(objectPath, windows: [64, 100, 1000, 1500, 8192])
        let garbled = InputReader.read(path: objectPath, window: 100)
        #expect(garbled.changes.count == 1)
        // Every record but the garbled one is read: the stray quote makes the scan run on, and
        // reading resumes at the next record (not counted as lost: it is read).
        #expect(garbled.report.records == 40, "\(garbled.report.issues)")
        #expect(garbled.report.issues.count == 1, "\(garbled.report.issues)")
        #expect(garbled.report.issues.first.map { $0.position.hasPrefix("record 5,") && !$0.reason.contains("trafficmirror") } == true, "\(garbled.report.issues)")
        #expect(garbled.report.skipped == 1)
        // JSON lines with a truncated line and a non-JSON line in the middle.
        var lines = CT.jsonLines(Array(good[0..<10]) + [mirror] + Array(good[10..<20])).split(separator: "\n").map(String.init)
        lines[4] = String(lines[4].prefix(120))
        lines[7] = "not json at all"
        let linesPath = dir.write("lines.jsonl", lines.joined(separator: "\n") + "\n")
        Self.assertWindowsMatchWholeRead(linesPath, windows: [64, 100, 1000, 5000])
        let result = InputReader.read(path: linesPath, window: 100)
        #expect(result.changes.count == 1)
        #expect(result.report.issues.contains { $0.position.hasPrefix("record 4, line 5") })
        #expect(result.report.issues.contains { $0.position.contains("line 8") && $0.reason.contains("expected '{'") })
    }

    /// Files larger than the window are read through memory mappings; one that shrinks while mapped
    /// reads as zeros past its new end (no SIGBUS) and the read says so.
    @Test func aFileThatShrinksWhileMappedIsReportedNotFatal() throws {
        let dir = TemporaryDirectory()
        let records = (0..<3000).map { CT.other("GetObject", at: String(format: "2026-11-03T%02d:%02d:00Z", $0 / 60 % 24, $0 % 60)) }
        let path = dir.write("shrinking.jsonl", CT.jsonLines(records))
        let input = StreamedInput(path, window: 1 << 20)
        var windows = 0, zeros = 0
        input.forEachWindow { window, _ in
            windows += 1
            if windows == 1 { #expect(truncate(path, 4096) == 0) }
            // Every byte of the window is read, past the file's new end too.
            for byte in window where byte == 0 { zeros += 1 }
            return window.count
        }
        #expect(windows == 1)
        #expect(zeros > 1_000_000 - 8192, "the window's bytes past the new end read as zeros")
        #expect(input.issues.count == 1)
        #expect(input.issues.first?.reason.contains("shrank while it was read") == true, "\(input.issues)")
        /// Reads a fresh copy in 64 KB windows, cutting it to `size` bytes while window `at` is read.
        func readCutting(_ name: String, at cut: Int, to size: off_t) -> (input: StreamedInput, windows: Int) {
            let path = dir.write(name, CT.jsonLines(records))
            let input = StreamedInput(path, window: 1 << 16)
            var windows = 0
            input.forEachWindow { window, _ in
                windows += 1
                if windows == cut { _ = truncate(path, size) }
                return window.count
            }
            return (input, windows)
        }
        // Shrunk below the window being read, whose bytes were not read again after it: said so at that window.
        let (again, seen) = readCutting("again.jsonl", at: 3, to: 100_000)
        #expect(seen == 3)
        // Shrunk to exactly where reading got to, between two windows: nothing was cut, but the file did shrink.
        let (third, calls) = readCutting("carried.jsonl", at: 1, to: 65_536)
        #expect(calls == 1)
        #expect(third.issues.count == 1)
        #expect(third.issues.first.map { $0.reason.contains("shrank to 65536 bytes") && $0.position == "byte 65536" } == true, "\(third.issues)")
        #expect(again.issues.first.map { $0.reason.contains("shrank while it was read") && $0.position == "byte 131072" } == true, "\(again.issues)")
        #expect(again.issues.count == 1)
    }

    @Test func gzipIsInflatedAsItIsReadAndDamageIsReported() throws {
        let dir = TemporaryDirectory()
        let records = (0..<3000).map { CT.other("GetObject", at: "2026-11-03T10:00:00Z", account: $0 % 2 == 0 ? "111122223333" : "444455556666") }
        let text = CT.s3Object(records)
        let path = dir.writeGzip("AWSLogs/object.json.gz", text)
        Self.assertWindowsMatchWholeRead(path, windows: [64, 4096, 65536])
        let whole = InputReader.read(path: path, window: 4096)
        #expect(whole.report.records == 3000)
        #expect(whole.report.bytes == text.utf8.count)
        #expect(whole.report.issues.isEmpty)

        // Two members (concatenated .gz parts) and zero padding after them.
        var twoMembers = try Data(contentsOf: URL(fileURLWithPath: path))
        let line = dir.writeGzip("second.json.gz", CT.s3Object(Array(records.prefix(5))))
        twoMembers += try Data(contentsOf: URL(fileURLWithPath: line)) + Data(repeating: 0, count: 512)
        let concatenated = dir.write("AWSLogs/two.json.gz", [UInt8](twoMembers))
        let both = InputReader.read(path: concatenated, window: 4096)
        #expect(both.report.records == 3005)
        #expect(both.report.issues.isEmpty)

        // Truncated: what came before the cut is read, the cut is reported with its compressed offset.
        let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
        let cutPath = dir.write("AWSLogs/cut.json.gz", [UInt8](compressed.prefix(compressed.count / 2)))
        let cut = InputReader.read(path: cutPath, window: 4096)
        #expect(cut.report.records > 1000 && cut.report.records < 3000)
        #expect(cut.report.issues.contains { $0.position.hasPrefix("compressed byte") && $0.reason.contains("truncated") })
        #expect(cut.report.issues.contains { $0.reason.contains("input ends inside") })
        Self.assertWindowsMatchWholeRead(cutPath, windows: [64, 4096])
        // Wherever the cut falls, zlib may hold decoded bytes it had no room for: they are read too.
        for cutAt in stride(from: compressed.count / 5, to: compressed.count, by: compressed.count / 9) {
            let somewhere = dir.write("AWSLogs/cut-\(cutAt).json.gz", [UInt8](compressed.prefix(cutAt)))
            Self.assertWindowsMatchWholeRead(somewhere, windows: [64, 777])
        }

        // Corrupt in the middle.
        var corrupt = [UInt8](compressed)
        for i in (corrupt.count / 2)..<(corrupt.count / 2 + 64) { corrupt[i] ^= 0x5A }
        let corruptPath = dir.write("AWSLogs/corrupt.json.gz", corrupt)
        let damaged = InputReader.read(path: corruptPath, window: 4096)
        #expect(damaged.report.issues.contains { $0.reason.contains("gzip data is corrupt") || $0.reason.contains("truncated") })
        #expect(damaged.report.records > 0)
    }

    @Test func syslogAndFlowLogsKeepLineNumbersAcrossWindows() throws {
        let dir = TemporaryDirectory()
        var log = ""
        for i in 0..<500 { log += "<189>Nov  3 10:00:\(String(format: "%02d", i % 60)) sw1 %SYS-5-CONFIG_I: noise line \(i)\n" }
        log += "<189>Nov  3 11:00:00 sw1 %PARSER-5-CFGLOG_LOGGEDCMD: User:alice  logged command:monitor session 2 destination interface Gi1/0/9\n"
        let logPath = dir.write("sw1-2026-11-03.log", log)
        Self.assertWindowsMatchWholeRead(logPath, windows: [64, 200, 4096])
        let device = InputReader.read(path: logPath, window: 200)
        #expect(device.report.records == 501)
        #expect(device.changes.first?.evidence.line == 501)

        var flows = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
        for i in 0..<400 { flows += "2 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.\(i % 250) 10.0.2.9 443 5\(i % 10)000 6 10 5000 1793700000 1793700060 ACCEPT OK\n" }
        flows += "2 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.5 203.0.113.50 40000 4789 17 1000 9000000 1793700000 1793700060 ACCEPT OK\n"
        flows += "2 111122223333 eni-0a1b2c3d4e5f60718 - - - - - - - 1793700000 1793700060 - SKIPDATA\n"
        let flowPath = dir.write("AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/03/flows.log", flows)
        Self.assertWindowsMatchWholeRead(flowPath, windows: [64, 500, 4096])
        let read = InputReader.read(path: flowPath, window: 500)
        #expect(read.report.format == "vpc-flow")
        #expect(read.flows.count == 1)
        #expect(read.flows.first?.evidence.line == 402)
        #expect(read.report.issues.contains { $0.reason.contains("SKIPDATA") })
    }
}
