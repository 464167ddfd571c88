import MirrorwatchJSON
import MirrorwatchModel

/// VPC endpoints created in the logs (`CreateVpcEndpoint`): which endpoint service each hands its
/// traffic to. A Gateway Load Balancer endpoint can be a Traffic Mirror target, and the packets it
/// receives end at the appliances of whoever runs that service, possibly another account.
enum AWSEndpointFacts {
    static let names = CloudTrailEventNames(["CreateVpcEndpoint"])

    /// The endpoint a successful `CreateVpcEndpoint` made, with its service; nil for other records
    /// and failed calls.
    static func fact(from event: CloudTrailEvent, evidence: Evidence) -> AssetFact? {
        guard names.contains(event.eventName), event.record.member(ignoringCase: "errorCode") == nil else { return nil }
        let response = AWSChangeMapper.unwrap(event.structured("responseElements"), "CreateVpcEndpointResponse")
        let request = AWSChangeMapper.unwrap(event.structured("requestParameters"), "CreateVpcEndpointRequest")
        guard let made = response?.member(ignoringCase: "vpcEndpoint"), let id = made.member(ignoringCase: "vpcEndpointId")?.text else { return nil }
        let service = made.member(ignoringCase: "serviceName")?.text ?? request?.member(ignoringCase: "ServiceName")?.text
        let type = made.member(ignoringCase: "vpcEndpointType")?.text ?? request?.member(ignoringCase: "VpcEndpointType")?.text
        let owner = made.member(ignoringCase: "ownerId")?.text ?? event.record.member(ignoringCase: "recipientAccountId")?.text
        return AssetFact(id: id, vpcId: made.member(ignoringCase: "vpcId")?.text ?? request?.member(ignoringCase: "VpcId")?.text, owner: owner,
                         description: "\(type ?? "VPC") endpoint" + (service.map { " to \($0)" } ?? ""), serviceName: service, evidence: evidence)
    }
}
