import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Reader options as a scan with `internal_cidrs: [10.0.0.0/8]` passes them.
private var internalTen: ReaderOptions {
    var options = ReaderOptions()
    options.isInternalAddress = { $0.hasPrefix("10.") }
    return options
}

@Suite struct AWSFlowLogReaderTests {
    @Test func defaultFormatWithHeaderKeepsEgressAndEncapsulationOnly() {
        let log = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 111122223333 eni-0abc 10.20.99.7 198.51.100.200 40112 443 6 100 61233412 1762218000 1762218060 ACCEPT OK
        2 111122223333 eni-0abc 10.20.99.7 198.51.100.200 40112 443 6 100 1000 1762218300 1762218360 ACCEPT OK
        2 111122223333 eni-0abc 10.20.1.15 10.20.8.21 5555 5432 6 10 999 1762218000 1762218060 ACCEPT OK
        2 111122223333 eni-0abc 10.20.1.15 10.50.0.10 5555 4789 17 10 999 1762218000 1762218060 ACCEPT OK
        2 111122223333 eni-0abc - - - - - - - 1762218000 1762218060 - NODATA
        2 111122223333 eni-0abc - - - - - - - 1762218000 1762218060 - SKIPDATA
        """
        let result = readInput("111122223333_vpcflowlogs_us-east-1_fl-1_20261104T0100Z_x.log", log, options: internalTen)
        #expect(result.report.format == "vpc-flow")
        #expect(result.report.records == 6)
        #expect(result.flows.count == 2, "two conversations kept: the egress (merged) and the VXLAN flow")
        let egress = result.flows.first { $0.destinationAddress == "198.51.100.200" }
        #expect(egress?.count == 2 && egress?.bytes == 61_234_412 && egress?.observer == "eni-0abc")
        #expect(egress?.scope.account == "111122223333")
        #expect(result.flows.contains { $0.destinationPort == 4789 && $0.proto == 17 })
        #expect(result.report.issues.contains { $0.reason.contains("SKIPDATA") }, "lost flow-log records are reported")
    }

    @Test func customFormatIsReadByItsHeader() {
        let log = """
        version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region flow-direction
        5 vpc-1 subnet-1 i-1 eni-0def 111122223333 IPv4 10.1.1.1 203.0.113.9 1000 6081 10.1.1.1 203.0.113.9 17 5000 5 1762218000 1762218060 ACCEPT 0 OK us-east-1 egress
        """
        let result = readInput("flows.log", log, as: .vpcFlow, options: internalTen)
        #expect(result.flows.count == 1)
        #expect(result.flows.first?.destinationPort == 6081 && result.flows.first?.scope.region == "us-east-1")
    }

    @Test func headerlessCloudWatchExportAssumesTheDefaultFormatAndReportsShortLines() {
        let log = """
        2 111122223333 eni-0abc 10.0.0.5 203.0.113.50 0 0 47 10 1500 1762218000 1762218060 ACCEPT OK
        2 111122223333 eni-0abc 10.0.0.5
        """
        let result = readInput("export.txt", log, options: internalTen)
        #expect(result.report.format == "vpc-flow")
        #expect(result.flows.first?.proto == 47)
        #expect(result.report.issues.contains { $0.position == "line 2" && $0.reason.contains("fields") })
    }
}

@Suite struct AzureFlowLogReaderTests {
    @Test func nsgVersion2AndVersion1Tuples() {
        let json = """
        {"records":[{"time":"2026-11-04T01:30:35.3899262Z","systemId":"66aa","category":"NetworkSecurityGroupFlowEvent","resourceId":"/SUBSCRIPTIONS/6F1C2D3E-0000-4A5B-8C9D-111122223333/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG1","operationName":"NetworkSecurityGroupFlowEvents","properties":{"Version":2,"flows":[
          {"rule":"DefaultRule_AllowInternetOutBound","flows":[{"mac":"000D3AF87856","flowTuples":["1762219835,10.5.16.4,203.0.113.118,59831,4789,U,O,A,C,30,16978,24,14008","1762219836,10.5.16.4,203.0.113.119,59831,443,T,O,D,B,,,,","1762219837,10.5.16.4,10.5.16.9,1,2,T,O,A,B,,,,"]}]},
          {"rule":"v1rule","flows":[{"mac":"000D3AF87856","flowTuples":["1762219838,10.5.16.4,198.51.100.9,5000,22,T,O,A","garbage"]}]}]}}]}
        """
        let result = readInput("PT1H.json", json, options: internalTen)
        #expect(result.report.format == "azure-flow")
        #expect(result.report.records == 5)
        #expect(result.flows.count == 2, "the denied flow and the internal one are not kept")
        let vxlan = result.flows.first { $0.destinationPort == 4789 }
        #expect(vxlan?.bytes == 16978 && vxlan?.proto == 17 && vxlan?.scope.account == "6f1c2d3e-0000-4a5b-8c9d-111122223333")
        #expect(result.report.issues.contains { $0.reason.contains("garbage") })
    }

    @Test func vnetFlowLogsUseProtocolNumbersAndMilliseconds() {
        let json = """
        {"records":[{"time":"2026-11-04T01:30:52.5625085Z","flowLogVersion":4,"flowLogGUID":"abc","macAddress":"00224871C205","category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/0BADF00D-0000-0000-0000-000000000000/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NW/FLOWLOGS/VNETFLOWLOG","targetResourceID":"/subscriptions/0badf00d-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"x","flowGroups":[{"rule":"r","flowTuples":["1762219852599,10.0.0.6,198.51.100.180,23956,4789,17,O,E,NX,3,767,2,1580","1762219852600,198.51.100.1,10.0.0.6,1,22,6,I,D,NX,0,0,0,0"]}]}]}}]}
        """
        let result = readInput("PT1H.json", json, options: internalTen)
        #expect(result.flows.count == 1)
        let flow = result.flows.first
        #expect(flow?.proto == 17 && flow?.bytes == 767)
        #expect(flow.map { abs($0.start.timeIntervalSince1970 - 1_762_219_852.599) < 0.01 } == true, "milliseconds are read as such")
    }
}

@Suite struct GCPFlowAndNetFlowReaderTests {
    @Test func gcpVPCFlowEntriesAsJSONLines() {
        let lines = """
        {"insertId":"a","jsonPayload":{"bytes_sent":"1776000","connection":{"dest_ip":"203.0.113.12","dest_port":443,"protocol":6,"src_ip":"10.87.40.76","src_port":5601},"end_time":"2026-11-04T03:45:37.301953198Z","packets_sent":"7","reporter":"SRC","src_instance":{"project_id":"shop-prod-2231","region":"us-central1","vm_name":"dbg-collector","zone":"us-central1-a"},"start_time":"2026-11-04T03:45:37.186193305Z"},"logName":"projects/shop-prod-2231/logs/compute.googleapis.com%2Fvpc_flows","resource":{"labels":{"location":"us-central1-a","project_id":"shop-prod-2231","subnetwork_name":"default"},"type":"gce_subnetwork"},"timestamp":"2026-11-04T03:50:10.845445834Z"}
        {"insertId":"b","jsonPayload":{"bytes_sent":"10","connection":{"dest_ip":"10.1.1.1","dest_port":80,"protocol":6,"src_ip":"10.87.40.76","src_port":1},"start_time":"2026-11-04T03:45:37Z","reporter":"SRC"},"logName":"projects/shop-prod-2231/logs/compute.googleapis.com%2Fvpc_flows"}
        {"truncated":
        """
        let result = readInput("vpc_flows.json", lines, options: internalTen)
        #expect(result.report.format == "gcp-flow")
        #expect(result.flows.count == 1)
        #expect(result.flows.first?.observer == "dbg-collector" && result.flows.first?.bytes == 1_776_000)
        // The cut line is reported where it starts, with its byte offset.
        #expect(result.report.issues.contains { $0.position.hasPrefix("record 2, line 3, byte") && $0.reason.contains("input ends inside a record") })
    }

    /// Flows are judged from their bytes before any decode; the decode must still see every entry it
    /// would have kept or complained about: encapsulation, leaving the organization, odd spellings.
    @Test func gcpFlowsPassedOverUndecodedAreOnlyTheOnesTheReaderWouldDrop() {
        func entry(_ id: String, dest: String, port: String = "443", proto: String = "6", start: Bool = true, pretty: Bool = false) -> String {
            let colon = pretty ? ": " : ":"
            let time = start ? "\"start_time\"\(colon)\"2026-11-04T03:45:37Z\"," : ""
            return "{\"insertId\"\(colon)\"\(id)\",\"jsonPayload\"\(colon){\"connection\"\(colon){\"dest_ip\"\(colon)\(dest),\"dest_port\"\(colon)\(port),\"protocol\"\(colon)\(proto),\"src_ip\"\(colon)\"10.0.0.5\",\"src_port\"\(colon)1},"
                + "\(time)\"reporter\"\(colon)\"SRC\",\"src_instance\"\(colon){\"vm_name\"\(colon)\"vm-\(id)\"}},\"logName\"\(colon)\"projects/p/logs/compute.googleapis.com%2Fvpc_flows\"}"
        }
        let entries = [
            entry("internal", dest: #""10.1.1.1""#),
            entry("external", dest: #""203.0.113.9""#),
            entry("gre", dest: #""10.2.2.2""#, port: "0", proto: "47"),
            entry("vxlan", dest: #""10.3.3.3""#, port: "4789", proto: "17"),
            entry("pretty-external", dest: #""198.51.100.7""#, pretty: true),
            // An escape in the address: not read at the byte level, decoded (and external once decoded).
            entry("escaped", dest: #""203.0.113.\u0031""#),
            // Internal but without a start time: decoded, so that the gap is reported.
            entry("no-time", dest: #""10.4.4.4""#, start: false),
            // A start time that is there but null: the decode does not fall back to `timestamp`, and reports it.
            entry("null-time", dest: #""10.5.5.5""#).replacingOccurrences(of: #""start_time":"2026-11-04T03:45:37Z""#, with: #""start_time":null"#)
                .replacingOccurrences(of: #""logName""#, with: #""timestamp":"2026-11-04T03:45:37Z","logName""#),
            // VXLAN whose port's name is written with an escape: not plain, decoded, kept.
            entry("escaped-name", dest: #""10.6.6.6""#, port: "4789", proto: "17").replacingOccurrences(of: "dest_port", with: #"dest\u005fport"#),
        ]
        let result = readInput("vpc_flows.json", entries.joined(separator: "\n"), options: internalTen)
        #expect(result.report.records == 9)
        #expect(Set(result.flows.compactMap(\.observer)) == ["vm-external", "vm-gre", "vm-vxlan", "vm-pretty-external", "vm-escaped", "vm-escaped-name"])
        #expect(result.flows.first { $0.observer == "vm-escaped" }?.destinationAddress == "203.0.113.1")
        #expect(result.report.issues.map(\.position) == ["record 6, line 7", "record 7, line 8"], "the entries without a usable start time are reported")
        // An internal flow is passed over undecoded, as irrelevant audit records are: a bad literal
        // in a member that decides nothing is not noticed there, but is in a flow that is kept.
        let odd = readInput("vpc_flows.json", [entry("internal", dest: #""10.1.1.1""#), entry("external", dest: #""203.0.113.9""#)]
            .map { $0.replacingOccurrences(of: #""reporter":"SRC""#, with: #""reporter":tru"#) }.joined(separator: "\n"), options: internalTen)
        let oddIssues = odd.report.issues.map { "\($0.position): \($0.reason)" }
        #expect(oddIssues == ["record 1, line 2, byte 479: malformed record: invalid literal"])
        #expect(odd.flows.isEmpty)
        // The same entries as the array `gcloud logging read --format=json` prints.
        let array = readInput("vpc_flows.json", "[\n  " + entries.joined(separator: ",\n  ") + "\n]\n", options: internalTen)
        #expect(array.flows.count == 6 && array.report.records == 9)
    }

    @Test func nfdump16LayoutWithSummaryTrailer() throws {
        let csv = """
        ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr
        2026-11-03 10:15:31,2026-11-03 10:19:59,268.000,10.0.0.5,203.0.113.50,0,0,GRE,........,0,0,288410,241877302,0,0,48,1,0,0,24,0,0,0,10.0.0.254,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,10.0.0.5,0/0,1,2026-11-03 10:20:10.402
        2026-11-03 10:16:00,2026-11-03 10:16:01,1.000,10.0.0.5,10.0.0.9,1,2,TCP,........,0,0,1,1,0,0,48,1,0,0,24,0,0,0,10.0.0.254,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,10.0.0.5,0/0,1,2026-11-03 10:20:10.402
        Summary
        flows,bytes,packets,avg_bps,avg_pps,avg_bpp
        2,241877303,288411,1,1,1
        """
        let result = readInput("nfdump.csv", csv, options: internalTen)
        #expect(result.report.format == "netflow-csv")
        #expect(result.report.records == 2, "the Summary trailer is not a flow")
        #expect(result.report.issues.isEmpty)
        let gre = try #require(result.flows.first)
        #expect(gre.proto == 47 && gre.bytes == 241_877_302 && gre.observer == "10.0.0.5")
        #expect(gre.end == Timestamp.parse("2026-11-03T10:19:59Z"))
    }

    @Test func nfdump175LayoutAndLocalTime() {
        let csv = """
        firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows
        2026-11-03 11:15:00.123,60.004,47,10.0.1.20,0,198.51.100.77,0,9120,11854080,1
        2026-11-03 11:15:01.001,0.000,1,10.0.0.5,0,10.0.0.9,8.0,1,84,1
        """
        var options = internalTen
        options.defaultTimeZone = TimeZone(identifier: "Europe/Berlin")!
        let result = readInput("export.csv", csv, options: options)
        #expect(result.flows.count == 1)
        #expect(result.flows.first?.start == Timestamp.parse("2026-11-03T10:15:00.123Z"), "nfdump prints local time")
        #expect(result.flows.first.map { Int($0.end!.timeIntervalSince($0.start)) } == 60)
    }

    /// A stray quote opens a field that never closes: its row is reported and skipped, and the rows
    /// after it are still read (as they are in small windows, which grow until the input's end shows
    /// the quote is damage).
    @Test func aStrayQuoteInNetFlowCSVCostsOnlyItsRow() throws {
        let csv = """
        firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows
        2026-11-03 11:15:00.123,60.004,47,10.0.1.20,0,198.51.100.77,0,9120,11854080,1
        2026-11-03 11:16:00,1,"6,10.0.0.5,0,10.0.0.9,80,1,84,1
        2026-11-03 11:17:00,1,47,10.0.1.20,0,198.51.100.78,0,1,1,1

        """
        let result = readInput("flows.csv", csv, options: internalTen)
        #expect(result.report.issues.map { "\($0.position): \($0.reason)" } == ["line 3: quoted field opened here is never closed; row skipped, reading resumes on the next line"])
        #expect(result.flows.map(\.destinationAddress) == ["198.51.100.77", "198.51.100.78"])
        #expect(result.flows.last?.evidence.line == 4)
        let dir = TemporaryDirectory()
        let path = dir.write("flows.csv", csv)
        for window in [64, 100, 200] {
            let streamed = InputReader.read(path: path, options: internalTen, window: window)
            #expect(streamed.flows.map(\.destinationAddress) == ["198.51.100.77", "198.51.100.78"], "window \(window)")
            #expect(streamed.report.issues.count == 1, "window \(window)")
        }
    }

    @Test func netflowCSVWithoutAddressColumnsIsAClearError() {
        let result = readInput("flows.csv", "firstSeen,duration,packets\n2026-11-03 10:00:00,1,1\n", as: .netflowCSV)
        #expect(result.report.issues.first?.reason.contains("lacks start time, addresses or protocol") == true)
    }
}

@Suite struct SignInReaderTests {
    @Test func entraDiagnosticExportAndGraphShapes() {
        let lines = """
        {"time":"2026-11-03T10:52:41Z","category":"SignInLogs","tenantId":"t","resultType":"0","callerIpAddress":"198.51.100.44","properties":{"createdDateTime":"2026-11-03T10:52:41+00:00","userPrincipalName":"alice@contoso.com","appDisplayName":"Azure Portal","ipAddress":"198.51.100.44","status":{"errorCode":0},"authenticationRequirement":"singleFactorAuthentication","authenticationDetails":[{"succeeded":true,"authenticationStepRequirement":"Multi-factor authentication"}]}}
        {"time":"2026-11-03T13:17:09Z","category":"SignInLogs","resultType":"50126","properties":{"createdDateTime":"2026-11-03T13:17:09+00:00","userPrincipalName":"guest#EXT#@contoso.onmicrosoft.com","ipAddress":"102.130.113.9","status":{"errorCode":50126},"authenticationRequirement":"singleFactorAuthentication"}}
        """
        let export = readInput("PT1H.json", lines)
        #expect(export.report.format == "entra-signin")
        #expect(export.authEvents.count == 2)
        #expect(export.authEvents[0].mfa == true, "an MFA step that succeeded outranks the requirement field")
        #expect(export.authEvents[1].mfa == false && export.authEvents[1].succeeded == false)
        let graph = readInput("signins.json", #"{"value":[{"createdDateTime":"2026-11-03T10:00:00Z","userPrincipalName":"bob@contoso.com","ipAddress":"203.0.113.40","status":{"errorCode":0},"authenticationRequirement":"multiFactorAuthentication"}]}"#)
        #expect(graph.authEvents.first?.principal == "bob@contoso.com" && graph.authEvents.first?.mfa == true)
    }

    @Test func cloudTrailSignInAndAssumeRoleRecords() throws {
        let records: [[String: Any]] = [
            ["eventVersion": "1.09", "eventTime": "2026-11-03T14:28:40Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
             "awsRegion": "us-east-1", "sourceIPAddress": "185.220.101.47", "userAgent": "Boto3/1.35",
             "userIdentity": CT.user("svc-jenkins"), "recipientAccountId": CT.account,
             "requestParameters": ["roleArn": "arn:aws:iam::111122223333:role/DeployRole", "roleSessionName": "b-1"],
             "responseElements": ["credentials": ["accessKeyId": "ASIAKEY1"], "assumedRoleUser": ["arn": "arn:aws:sts::111122223333:assumed-role/DeployRole/b-1"]]],
            ["eventVersion": "1.09", "eventTime": "2026-11-04T02:31:00Z", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
             "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.40", "userAgent": "Mozilla/5.0", "userIdentity": CT.user("bob"),
             "responseElements": ["ConsoleLogin": "Success"], "additionalEventData": ["MFAUsed": "No"], "recipientAccountId": CT.account],
            ["eventVersion": "1.09", "eventTime": "2026-11-04T02:32:00Z", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
             "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.41", "userIdentity": CT.user("bob"), "errorMessage": "Failed authentication",
             "responseElements": ["ConsoleLogin": "Failure"], "additionalEventData": ["MFAUsed": "Yes"], "recipientAccountId": CT.account],
        ]
        let result = readInput("trail.json", CT.s3Object(records))
        #expect(result.authEvents.count == 3)
        let assume = try #require(result.authEvents.first { $0.kind == .assumeRole })
        #expect(assume.issuedAccessKey == "ASIAKEY1" && assume.principal == "arn:aws:iam::111122223333:user/svc-jenkins")
        #expect(assume.issuedIdentity == "arn:aws:sts::111122223333:assumed-role/DeployRole/b-1")
        let logins = result.authEvents.filter { $0.kind == .signIn }
        #expect(logins.map(\.mfa) == [false, true] && logins.map(\.succeeded) == [true, false])
    }
}
