import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

@Suite struct InventoryReaderTests {
    @Test func describeOutputsAreDetectedAndRead() throws {
        let sessions = #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-1","TrafficMirrorTargetId":"tmt-1","TrafficMirrorFilterId":"tmf-1","NetworkInterfaceId":"eni-1","OwnerId":"111122223333","SessionNumber":1,"VirtualNetworkId":42,"Tags":[{"Key":"Name","Value":"web"}]}]}"#
        let targets = #"{"TrafficMirrorTargets":[{"TrafficMirrorTargetId":"tmt-1","NetworkLoadBalancerArn":"arn:aws:elasticloadbalancing:us-east-1:444455556666:loadbalancer/net/s/1","Type":"network-load-balancer","OwnerId":"444455556666"},{"TrafficMirrorTargetId":"tmt-2","NetworkInterfaceId":"eni-9","Type":"network-interface","OwnerId":"111122223333"},{"TrafficMirrorTargetId":"tmt-3","GatewayLoadBalancerEndpointId":"vpce-1","Type":"gateway-load-balancer-endpoint","OwnerId":"111122223333"}]}"#
        let filters = #"{"TrafficMirrorFilters":[{"TrafficMirrorFilterId":"tmf-1","IngressFilterRules":[{"TrafficMirrorFilterRuleId":"tmfr-1","TrafficDirection":"ingress","RuleNumber":100,"RuleAction":"accept","DestinationCidrBlock":"0.0.0.0/0","SourceCidrBlock":"0.0.0.0/0"}],"EgressFilterRules":[],"NetworkServices":["amazon-dns"]}]}"#
        let enis = #"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-1","SubnetId":"subnet-1","VpcId":"vpc-1","AvailabilityZone":"us-east-1a","PrivateIpAddress":"10.0.1.5","OwnerId":"111122223333","Attachment":{"InstanceId":"i-1"},"TagSet":[{"Key":"DataClass","Value":"pci"}]}]}"#
        let dir = TemporaryDirectory()
        let paths = [dir.write("snap/us-east-1/sessions.json", sessions), dir.write("snap/us-east-1/targets.json", targets),
                     dir.write("snap/us-east-1/filters.json", filters), dir.write("snap/enis.json", enis)]
        let results = paths.map { InputReader.read(InputSource.load($0)) }
        #expect(results.allSatisfy { $0.report.format == "aws-inventory" && $0.report.skipped == 0 })
        let session = try #require(results[0].sessions.first)
        #expect(session.spec.targetRef == "tmt-1" && session.spec.filterRef == "tmf-1" && session.spec.sources.map(\.id) == ["eni-1"])
        #expect(session.scope == Scope(account: "111122223333", region: "us-east-1"))
        #expect(session.spec.virtualNetworkId == "42")
        #expect(results[1].targets.map(\.destination.kind) == [.nlb, .eni, .gwlbe])
        #expect(results[1].targets[0].destination.owner == "444455556666")
        let filter = try #require(results[2].filters.first)
        #expect(filter.rules.count == 1 && filter.rules[0].acceptsEverything)
        #expect(filter.services == ["amazon-dns"])
        let fact = try #require(results[3].assets.first)
        #expect(fact.instanceId == "i-1" && fact.subnetId == "subnet-1" && fact.privateIP == "10.0.1.5" && fact.tags["DataClass"] == "pci")
    }

    /// `describe-vpc-endpoints` and `describe-vpc-endpoint-services`, as the AWS CLI prints them.
    static let endpoints = #"{"VpcEndpoints":[{"VpcEndpointId":"vpce-0ab","VpcEndpointType":"GatewayLoadBalancer","VpcId":"vpc-1","ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","State":"available","SubnetIds":["subnet-9"],"OwnerId":"111122223333","Tags":[{"Key":"Name","Value":"inspection"}]}]}"#
    static let services = #"{"ServiceNames":["com.amazonaws.vpce.us-east-1.vpce-svc-0ext"],"ServiceDetails":[{"ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","ServiceId":"vpce-svc-0ext","ServiceType":[{"ServiceType":"GatewayLoadBalancer"}],"Owner":"999988887777","AcceptanceRequired":false},{"ServiceName":"com.amazonaws.us-east-1.s3","ServiceType":[{"ServiceType":"Gateway"}],"Owner":"amazon"},{"ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0bad","ServiceType":[{"ServiceType":"GatewayLoadBalancer"}]}]}"#

    @Test func vpcEndpointsAndTheirServicesAreRead() throws {
        let endpoints = readInput("snap/us-east-1/describe-vpc-endpoints.json", Self.endpoints)
        #expect(endpoints.report.format == "aws-inventory" && endpoints.report.skipped == 0)
        let endpoint = try #require(endpoints.assets.first)
        #expect(endpoint.id == "vpce-0ab" && endpoint.serviceName == "com.amazonaws.vpce.us-east-1.vpce-svc-0ext")
        #expect(endpoint.owner == "111122223333" && endpoint.vpcId == "vpc-1" && endpoint.tags["Name"] == "inspection")
        let services = readInput("snap/us-east-1/describe-vpc-endpoint-services.json", Self.services)
        #expect(services.report.format == "aws-inventory")
        #expect(services.assets.map(\.id) == ["com.amazonaws.vpce.us-east-1.vpce-svc-0ext", "vpce-svc-0ext", "com.amazonaws.us-east-1.s3"])
        #expect(services.assets.prefix(2).allSatisfy { $0.owner == "999988887777" })
        // As the AWS CLI prints it: hundreds of service names first, the details far past the sniffed head.
        let names = (0..<600).map { "\"com.amazonaws.us-east-1.service-\($0)\"" }.joined(separator: ",\n        ")
        let real = readInput("describe-vpc-endpoint-services.json", "{\n    \"ServiceNames\": [\n        \(names)\n    ],\n    \"ServiceDetails\": "
                             + #"[{"ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","Owner":"999988887777"}]}"#)
        #expect(real.report.format == "aws-inventory", "\(real.report.format)")
        #expect(real.assets.map(\.owner) == ["999988887777"])
        // A service without an owner is skipped and counted, not silently dropped.
        #expect(services.report.skipped == 1)
        #expect(services.report.issues.first?.reason.contains("names no Owner") == true)
    }

    @Test func brokenEntriesAreSkippedAndCounted() {
        let text = #"{"TrafficMirrorSessions":[{"TrafficMirrorTargetId":"tmt-1"},{"TrafficMirrorSessionId":"tms-2","NetworkInterfaceId":"eni-2"}]}"#
        let result = readInput("sessions.json", text)
        #expect(result.sessions.map(\.id) == ["tms-2"])
        #expect(result.report.skipped == 1)
        #expect(result.report.issues.first?.position == "record 0")
    }

    @Test func malformedSnapshotNamesLine() throws {
        let result = readInput("targets.json", "{\"TrafficMirrorTargets\": [\n  {\"TrafficMirrorTargetId\": \"tmt-1\",,}\n]}", as: .awsInventory)
        let issue = try #require(result.report.issues.first)
        #expect(issue.position.hasPrefix("line 2"))
    }
}

@Suite struct TicketReaderTests {
    @Test func serviceNowCSVInUTCByDefault() throws {
        let csv = """
        "number","short_description","state","start_date","end_date","assigned_to","requested_by","u_affected_resources"
        "CHG0031001","Roll out NDR mirroring","Implement","2026-11-03 08:30:00","2026-11-03 11:00:00","alice@example.com","lead@example.com","eni-1, tmt-1; tmf-1"
        "CHG0031002","Cancelled, with comma","Canceled","2026-11-04 08:30:00","2026-11-04 11:00:00","bob","", ""

        """
        let result = readInput("change_request.csv", csv)
        #expect(result.report.format == "tickets")
        #expect(result.tickets.count == 2)
        let ticket = result.tickets[0]
        #expect(ticket.id == "CHG0031001")
        #expect(ticket.resources == ["eni-1", "tmt-1", "tmf-1"])
        #expect(ticket.start == Timestamp.parse("2026-11-03T08:30:00Z"))
        #expect(ticket.people.contains("alice@example.com"))
        #expect(ticket.authorizesWork)
        #expect(!result.tickets[1].authorizesWork)
        #expect(result.tickets[1].summary == "Cancelled, with comma")
    }

    @Test func policyTimeZoneAppliesToZonelessTimes() throws {
        let csv = "number,state,start_date,end_date\nCHG1,Scheduled,2026-11-03 08:30:00,2026-11-03 09:30:00\n"
        let options = ReaderOptions(defaultTimeZone: TimeZone(identifier: "Europe/Berlin")!)
        let ticket = try #require(readInput("changes.csv", csv, options: options).tickets.first)
        #expect(ticket.start == Timestamp.parse("2026-11-03T07:30:00Z"))
    }

    @Test func jiraJSONExport() throws {
        let json = #"{"issues":[{"key":"NET-42","fields":{"summary":"Mirror eni-7 to sensor","status":{"name":"Approved"},"assignee":{"emailAddress":"carol@example.com"},"customfield_start":"2026-11-03T08:00:00+01:00","duedate":"2026-11-05"}}]}"#
        let ticket = try #require(readInput("jira.json", json, as: .tickets).tickets.first)
        #expect(ticket.id == "NET-42")
        #expect(ticket.state == "Approved")
        #expect(ticket.authorizesWork)
        #expect(ticket.summary?.contains("eni-7") == true)
    }

    @Test func rowWithoutIdIsSkippedWithLine() throws {
        let csv = "number,state\n,Implement\nCHG9,Implement\n"
        let result = readInput("t.csv", csv)
        #expect(result.tickets.map(\.id) == ["CHG9"])
        #expect(result.report.skipped == 1)
        #expect(result.report.issues.first?.position.hasSuffix("line 2") == true)
    }

    @Test func serviceNowRESTExportWithDisplayValues() throws {
        let json = #"{"result":[{"number":{"display_value":"CHG0040001","value":"CHG0040001"},"state":{"display_value":"Scheduled","value":"-2"},"start_date":"2026-11-03 09:00:00","end_date":"2026-11-03 10:00:00","assigned_to":{"display_value":"Carol","value":"carol@example.com"},"cmdb_ci":{"display_value":"core-sw1","value":"a1b2"}}]}"#
        let ticket = try #require(readInput("change_request.json", json).tickets.first)
        #expect(ticket.id == "CHG0040001" && ticket.state == "Scheduled" && ticket.resources == ["core-sw1"])
        #expect(ticket.authorizesWork)
    }

    @Test func jiraCSVExportWithCustomFieldColumns() throws {
        let csv = """
        Summary,Issue key,Issue id,Status,Created,Resolved,Assignee,Custom field (Change window start),Custom field (Change window end),Custom field (Affected CIs)
        Tap aggregator feed,NET-2291,48211,Done,03/Nov/26 9:00 AM,03/Nov/26 12:41 PM,alice@example.com,2026-11-03T10:30:00Z,2026-11-03T11:30:00Z,edge-eos2
        """
        let ticket = try #require(readInput("Jira.csv", csv).tickets.first)
        #expect(ticket.id == "NET-2291" && ticket.resources == ["edge-eos2"])
        #expect(ticket.start == Timestamp.parse("2026-11-03T10:30:00Z") && ticket.end == Timestamp.parse("2026-11-03T11:30:00Z"))
    }

    @Test func jiraSearchExportMapsCustomFieldsThroughNames() throws {
        let path = RepositoryPaths.root + "/examples/tickets/jira-search-NET.json"
        let result = InputReader.read(InputSource.load(path))
        #expect(result.report.format == "tickets")
        let ticket = try #require(result.tickets.first { $0.id == "NET-2291" })
        #expect(ticket.state == "Done" && ticket.resources == ["edge-eos2"])
        #expect(ticket.start == Timestamp.parse("2026-11-03T10:30:00Z"), "window start from customfield_10210, +0100 offset")
        #expect(ticket.end == Timestamp.parse("2026-11-03T11:30:00Z"))
        #expect(ticket.people.contains("alice@example.com"))
        let todo = try #require(result.tickets.first { $0.id == "NET-2302" })
        #expect(!todo.authorizesWork, "To Do does not authorize work")
    }

    @Test func malformedTicketFileIsAnErrorWithPosition() throws {
        let result = readInput("tickets.json", "{\"result\": [{\"number\": \"CHG1\",\n \"state\": }]}")
        let issue = try #require(result.report.issues.first)
        #expect(issue.position.hasPrefix("line 2") && issue.reason.contains("malformed JSON"))
        #expect(result.tickets.isEmpty)
    }
}
