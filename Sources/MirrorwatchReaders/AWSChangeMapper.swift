import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Turns a decoded CloudTrail Traffic Mirroring write into a `MirrorChange`.
enum AWSChangeMapper {
    static func change(from event: CloudTrailEvent, evidence: Evidence) -> Result<MirrorChange, Reason> {
        let record = event.record
        let operation = event.eventName
        guard let (action, kind) = AWSMirrorOperations.writes[operation] else { return .failure(Reason("not a mirroring write")) }
        guard let timeText = record.member(ignoringCase: "eventTime")?.text, let time = Timestamp.parse(timeText) else {
            return .failure(Reason("\(operation) record has no valid eventTime"))
        }
        let identity = event.structured("userIdentity")
        let account = record.member(ignoringCase: "recipientAccountId")?.text ?? identity?.member(ignoringCase: "accountId")?.text
        let scope = Scope(account: account, region: record.member(ignoringCase: "awsRegion")?.text)
        let actor = AWSIdentity.actor(identity, sourceIP: record.member(ignoringCase: "sourceIPAddress")?.text,
                                      userAgent: record.member(ignoringCase: "userAgent")?.text)
        let errorCode = record.member(ignoringCase: "errorCode")?.text
        let outcome = Outcome(succeeded: errorCode == nil, errorCode: errorCode, errorMessage: record.member(ignoringCase: "errorMessage")?.text)
        let request = unwrap(event.structured("requestParameters"), "\(operation)Request")
        let response = unwrap(event.structured("responseElements"), "\(operation)Response")

        var spec = MirrorSpec()
        var resourceId: String?
        var parentId: String?
        switch kind {
        case .target:
            let made = response?.member(ignoringCase: "trafficMirrorTarget")
            resourceId = made?.member(ignoringCase: "trafficMirrorTargetId")?.text
                ?? request?.member(ignoringCase: "TrafficMirrorTargetId")?.text
                ?? response?.member(ignoringCase: "trafficMirrorTargetId")?.text
            let owner = made?.member(ignoringCase: "ownerId")?.text ?? account
            spec.destination = AWSTargetDestination.endpoint(request: request, response: made, owner: owner)
            spec.description = request?.member(ignoringCase: "Description")?.text ?? made?.member(ignoringCase: "description")?.text
        case .filter:
            resourceId = response?.member(ignoringCase: "trafficMirrorFilter")?.member(ignoringCase: "trafficMirrorFilterId")?.text
                ?? request?.member(ignoringCase: "TrafficMirrorFilterId")?.text
                ?? response?.member(ignoringCase: "trafficMirrorFilterId")?.text
            spec.description = request?.member(ignoringCase: "Description")?.text
            spec.addedServices = texts(request?.member(anyOf: "AddNetworkService", "AddNetworkServices"))
            spec.removedServices = texts(request?.member(anyOf: "RemoveNetworkService", "RemoveNetworkServices"))
        case .filterRule:
            let made = response?.member(ignoringCase: "trafficMirrorFilterRule")
            resourceId = made?.member(ignoringCase: "trafficMirrorFilterRuleId")?.text
                ?? request?.member(ignoringCase: "TrafficMirrorFilterRuleId")?.text
                ?? response?.member(ignoringCase: "trafficMirrorFilterRuleId")?.text
            parentId = request?.member(ignoringCase: "TrafficMirrorFilterId")?.text ?? made?.member(ignoringCase: "trafficMirrorFilterId")?.text
            if action != .delete {
                // The response holds the rule as it now is; the request only what was given.
                spec.rules = [AWSFilterRules.rule(made ?? request, fallback: request, id: resourceId)]
            }
            spec.removedFields = removedFields(request)
        case .session:
            let made = response?.member(ignoringCase: "trafficMirrorSession")
            resourceId = made?.member(ignoringCase: "trafficMirrorSessionId")?.text
                ?? request?.member(ignoringCase: "TrafficMirrorSessionId")?.text
                ?? response?.member(ignoringCase: "trafficMirrorSessionId")?.text
            if let eni = request?.member(ignoringCase: "NetworkInterfaceId")?.text ?? made?.member(ignoringCase: "networkInterfaceId")?.text {
                spec.sources = [Endpoint(kind: .eni, id: eni, owner: account)]
            }
            spec.targetRef = request?.member(ignoringCase: "TrafficMirrorTargetId")?.text
                ?? (action == .create ? made?.member(ignoringCase: "trafficMirrorTargetId")?.text : nil)
            spec.filterRef = request?.member(ignoringCase: "TrafficMirrorFilterId")?.text
                ?? (action == .create ? made?.member(ignoringCase: "trafficMirrorFilterId")?.text : nil)
            if action == .modify {
                spec.resultingTargetRef = made?.member(ignoringCase: "trafficMirrorTargetId")?.text
                spec.resultingFilterRef = made?.member(ignoringCase: "trafficMirrorFilterId")?.text
            }
            spec.sessionNumber = request?.member(ignoringCase: "SessionNumber")?.int
            spec.virtualNetworkId = request?.member(ignoringCase: "VirtualNetworkId")?.text
            spec.packetLength = request?.member(ignoringCase: "PacketLength")?.int
            spec.description = request?.member(ignoringCase: "Description")?.text
            spec.removedFields = removedFields(request)
        default:
            break
        }
        spec.tags = AWSTags.collect(request?.member(anyOf: "TagSpecification", "TagSpecifications"))
        return .success(MirrorChange(
            platform: .aws, scope: scope, time: time, actor: actor, operation: operation, action: action,
            outcome: outcome, resourceKind: kind, resourceId: resourceId, parentId: parentId, spec: spec,
            eventId: record.member(ignoringCase: "eventID")?.text, evidence: evidence))
    }

    struct Reason: Error { var text: String; init(_ text: String) { self.text = text } }

    /// EC2 wraps members: `requestParameters.CreateTrafficMirrorSessionRequest.{...}`.
    static func unwrap(_ value: JSONValue?, _ wrapper: String) -> JSONValue? {
        guard let value else { return nil }
        return value.member(ignoringCase: wrapper) ?? value
    }

    static func texts(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        return value.elements.compactMap { $0.text ?? $0.member(anyOf: "content", "value")?.text }
    }

    /// `RemoveField` as `[{"content": "description", "tag": 1}]` or as plain strings.
    static func removedFields(_ request: JSONValue?) -> [String] {
        texts(request?.member(anyOf: "RemoveField", "RemoveFields"))
    }
}

extension AWSChangeMapper.Reason: CustomStringConvertible { var description: String { text } }
