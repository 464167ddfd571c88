import Foundation

/// Builds CloudTrail records the way AWS writes them: for exercises, and for the tests.
public enum CloudTrailRecords {
    public static let account = "111122223333"

    public static func role(_ name: String, session: String, account: String = account, mfa: Bool = true) -> [String: Any] {
        [
            "type": "AssumedRole", "principalId": "AROAEXAMPLE:\(session)",
            "arn": "arn:aws:sts::\(account):assumed-role/\(name)/\(session)", "accountId": account,
            "sessionContext": [
                "sessionIssuer": ["type": "Role", "arn": "arn:aws:iam::\(account):role/\(name)", "accountId": account, "userName": name],
                "attributes": ["creationDate": "2026-11-03T08:00:00Z", "mfaAuthenticated": mfa ? "true" : "false"],
            ],
        ]
    }

    public static func user(_ name: String, account: String = account) -> [String: Any] {
        ["type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::\(account):user/\(name)", "accountId": account, "userName": name]
    }

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    static func nextId() -> String {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        return String(format: "00000000-0000-4000-8000-%012d", counter)
    }

    /// Starts record ids at `base`: an exercise seeds it, so two exports with different seeds do
    /// not share event ids (a SIEM or mirrorwatch would take them for the same records).
    public static func startIds(at base: Int) { lock.lock(); counter = base; lock.unlock() }

    /// A Traffic Mirroring write in EC2's wrapped form (`<Op>Request` / `<Op>Response`).
    public static func mirror(_ op: String, at time: String, by identity: [String: Any]? = nil, request: [String: Any],
                              response: [String: Any]? = nil, error: (String, String)? = nil, account: String = account) -> [String: Any] {
        var event: [String: Any] = [
            "eventVersion": "1.09", "userIdentity": identity ?? role("NetworkAdmin", session: "alice@example.com"),
            "eventTime": time, "eventSource": "ec2.amazonaws.com", "eventName": op, "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.18.4",
            "requestParameters": ["\(op)Request": request],
            "responseElements": response.map { ["\(op)Response": $0] } ?? NSNull(),
            "eventID": nextId(), "readOnly": false, "eventType": "AwsApiCall", "recipientAccountId": account,
        ]
        if let error {
            event["errorCode"] = error.0
            event["errorMessage"] = error.1
            event["responseElements"] = NSNull()
        }
        return event
    }

    /// A CloudTrail call on CloudTrail itself (`StopLogging`, `PutEventSelectors`, ...).
    public static func logging(_ name: String, request: [String: Any], at time: String, error: String? = nil, account: String = account) -> [String: Any] {
        var event: [String: Any] = [
            "eventVersion": "1.09", "userIdentity": role("Admin", session: "mallory", account: account), "eventTime": time,
            "eventSource": "cloudtrail.amazonaws.com", "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.66",
            "userAgent": "aws-cli/2.18.4", "requestParameters": request, "responseElements": NSNull(), "eventID": nextId(),
            "readOnly": false, "eventType": "AwsApiCall", "recipientAccountId": account,
        ]
        if let error { event["errorCode"] = error; event["errorMessage"] = "User is not authorized" }
        return event
    }

    /// An Elastic Load Balancing call (`RegisterTargets`, `ModifyListener`, ...): members in camel
    /// case, not wrapped.
    public static func balancer(_ name: String, at time: String, by identity: [String: Any]? = nil, request: [String: Any],
                                response: [String: Any]? = nil, account: String = account) -> [String: Any] {
        ["eventVersion": "1.09", "userIdentity": identity ?? role("NetworkAdmin", session: "alice@example.com"), "eventTime": time,
         "eventSource": "elasticloadbalancing.amazonaws.com", "eventName": name, "awsRegion": "us-east-1",
         "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.18.4", "requestParameters": request,
         "responseElements": response ?? NSNull(), "eventID": nextId(), "readOnly": false, "eventType": "AwsApiCall",
         "managementEvent": true, "recipientAccountId": account]
    }

    /// Instances (`i-…`) or IP addresses registered in a target group.
    public static func registerTargets(_ group: String, _ targets: [String], at time: String, by identity: [String: Any]? = nil,
                                       account: String = account) -> [String: Any] {
        balancer("RegisterTargets", at: time, by: identity, request: ["targetGroupArn": group, "targets": targets.map { ["id": $0, "port": 4789] }],
                 account: account)
    }

    /// Any other API call (background noise).
    public static func other(_ name: String, source: String = "s3.amazonaws.com", at time: String = "2026-11-03T10:00:00Z", account: String = account) -> [String: Any] {
        ["eventVersion": "1.09", "userIdentity": user("bob", account: account), "eventTime": time, "eventSource": source, "eventName": name,
         "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.8", "userAgent": "Boto3/1.35",
         "requestParameters": ["bucketName": "logs", "key": "a \"quoted\" {brace} [bracket] key\\path"],
         "responseElements": NSNull(), "eventID": nextId(), "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": account]
    }

    public static func json(_ object: Any, pretty: Bool = false) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// `{"Records": [...]}` as CloudTrail writes to S3.
    public static func s3Object(_ records: [[String: Any]], pretty: Bool = false) -> String { json(["Records": records], pretty: pretty) }

    /// A SAML federation sign-in (as an IdP such as Okta makes it): AWS names the role session after
    /// the assertion's subject, which the caller cannot choose, so tickets naming that person count.
    public static func samlSignIn(_ subject: String, role: String, at time: String, ip: String = "198.51.100.7", account: String = account) -> [String: Any] {
        ["eventVersion": "1.09", "eventTime": time, "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML", "awsRegion": "us-east-1",
         "sourceIPAddress": ip, "userAgent": "Mozilla/5.0", "recipientAccountId": account, "eventID": "saml-\(account)-\(time)",
         "userIdentity": ["type": "SAMLUser", "principalId": "okta:\(subject)", "userName": subject,
                          "identityProvider": "arn:aws:iam::\(account):saml-provider/Okta"],
         "requestParameters": ["roleArn": "arn:aws:iam::\(account):role/\(role)", "principalArn": "arn:aws:iam::\(account):saml-provider/Okta"],
         "responseElements": ["subject": subject, "subjectType": "persistent",
                              "assumedRoleUser": ["arn": "arn:aws:sts::\(account):assumed-role/\(role)/\(subject)"]]]
    }

    /// One record per line.
    public static func jsonLines(_ records: [[String: Any]]) -> String { records.map { json($0) + "\n" }.joined() }

    /// An EventBridge envelope around a record.
    public static func eventBridge(_ record: [String: Any]) -> [String: Any] {
        ["version": "0", "id": nextId(), "detail-type": "AWS API Call via CloudTrail", "source": "aws.ec2",
         "account": account, "time": record["eventTime"] ?? "", "region": "us-east-1", "resources": [], "detail": record]
    }

    // MARK: The standard mirroring chain

    public static func createTarget(_ id: String, nlb: String? = nil, eni: String? = nil, gwlbe: String? = nil, owner: String = account,
                                    at time: String = "2026-11-03T09:00:00Z", by identity: [String: Any]? = nil, account: String = account) -> [String: Any] {
        var request: [String: Any] = ["ClientToken": "t"]
        var made: [String: Any] = ["trafficMirrorTargetId": id, "ownerId": owner, "tagSet": ""]
        if let nlb { request["NetworkLoadBalancerArn"] = nlb; made["networkLoadBalancerArn"] = nlb; made["type"] = "network-load-balancer" }
        if let eni { request["NetworkInterfaceId"] = eni; made["networkInterfaceId"] = eni; made["type"] = "network-interface" }
        if let gwlbe {
            request["GatewayLoadBalancerEndpointId"] = gwlbe
            made["gatewayLoadBalancerEndpointId"] = gwlbe
            made["type"] = "gateway-load-balancer-endpoint"
        }
        return mirror("CreateTrafficMirrorTarget", at: time, by: identity, request: request, response: ["trafficMirrorTarget": made], account: account)
    }

    public static func createFilter(_ id: String, at time: String = "2026-11-03T09:01:00Z", by identity: [String: Any]? = nil, account: String = account) -> [String: Any] {
        mirror("CreateTrafficMirrorFilter", at: time, by: identity, request: ["ClientToken": "f"],
               response: ["trafficMirrorFilter": ["trafficMirrorFilterId": id, "ingressFilterRuleSet": "", "egressFilterRuleSet": ""]], account: account)
    }

    public static func createRule(_ id: String, filter: String, direction: String = "ingress", source: String = "0.0.0.0/0",
                                  destination: String = "0.0.0.0/0", proto: Int? = nil, at time: String = "2026-11-03T09:02:00Z",
                                  by identity: [String: Any]? = nil, account: String = account) -> [String: Any] {
        var request: [String: Any] = ["TrafficMirrorFilterId": filter, "TrafficDirection": direction, "RuleNumber": 100,
                                      "RuleAction": "accept", "SourceCidrBlock": source, "DestinationCidrBlock": destination]
        if let proto { request["Protocol"] = proto }
        var made: [String: Any] = ["trafficMirrorFilterRuleId": id, "trafficMirrorFilterId": filter, "trafficDirection": direction,
                                   "ruleNumber": 100, "ruleAction": "accept", "sourceCidrBlock": source, "destinationCidrBlock": destination]
        if let proto { made["protocol"] = proto }
        return mirror("CreateTrafficMirrorFilterRule", at: time, by: identity, request: request, response: ["trafficMirrorFilterRule": made], account: account)
    }

    public static func createSession(_ id: String, eni: String, target: String, filter: String, at time: String = "2026-11-03T09:03:00Z",
                                     by identity: [String: Any]? = nil, description: String? = nil, account: String = account, number: Int = 1) -> [String: Any] {
        var request: [String: Any] = ["NetworkInterfaceId": eni, "TrafficMirrorTargetId": target, "TrafficMirrorFilterId": filter, "SessionNumber": number]
        if let description { request["Description"] = description }
        return mirror("CreateTrafficMirrorSession", at: time, by: identity, request: request,
                      response: ["trafficMirrorSession": ["trafficMirrorSessionId": id, "networkInterfaceId": eni, "trafficMirrorTargetId": target,
                                                          "trafficMirrorFilterId": filter, "ownerId": account, "sessionNumber": number, "virtualNetworkId": 77]],
                      account: account)
    }

    public static func deleteSession(_ id: String, at time: String, by identity: [String: Any]? = nil, account: String = account) -> [String: Any] {
        mirror("DeleteTrafficMirrorSession", at: time, by: identity, request: ["TrafficMirrorSessionId": id], response: ["trafficMirrorSessionId": id], account: account)
    }

    public static func modifySession(_ id: String, target: String? = nil, filter: String? = nil, description: String? = nil,
                                     packetLength: Int? = nil, number: Int? = nil, removing removed: [String] = [],
                                     at time: String, by identity: [String: Any]? = nil, account: String = account) -> [String: Any] {
        var request: [String: Any] = ["TrafficMirrorSessionId": id]
        if let number { request["SessionNumber"] = number }
        if let packetLength { request["PacketLength"] = packetLength }
        if !removed.isEmpty { request["RemoveField"] = removed.enumerated().map { ["content": $0.element, "tag": $0.offset + 1] } }
        if let target { request["TrafficMirrorTargetId"] = target }
        if let filter { request["TrafficMirrorFilterId"] = filter }
        if let description { request["Description"] = description }
        return mirror("ModifyTrafficMirrorSession", at: time, by: identity, request: request,
                      response: ["trafficMirrorSession": ["trafficMirrorSessionId": id]], account: account)
    }
}
