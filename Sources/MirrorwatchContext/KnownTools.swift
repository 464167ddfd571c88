import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// A mirroring tool a change was recognized as coming from, and on what grounds.
public struct ToolMatch: Sendable, Hashable {
    public var name: String
    /// What matched: "userAgent contains ...", "description names ...".
    public var basis: String
    /// True when the only ground is text anyone can write (a description or tag), not how the call was made.
    public var claimOnly: Bool
}

/// Recognizes the tools that set up mirroring for a living: the AWS Support automation
/// runbook, infrastructure-as-code services, and NDR vendors' sensor automation.
///
/// Recognition is context, never trust: rules lower the severity of a recognized tool's change
/// only when its destination is approved, and treat a tool's name on a change to an unapproved
/// destination as imitation.
public enum KnownTools {
    /// Services that make calls on a principal's behalf (CloudTrail `invokedBy`, user agent).
    static let services: [(marker: String, name: String)] = [
        ("AWSSupport-ConfigureTrafficMirroring", "AWSSupport-ConfigureTrafficMirroring (SSM Automation runbook)"),
        ("ssm.amazonaws.com", "AWS Systems Manager Automation"),
        ("cloudformation.amazonaws.com", "AWS CloudFormation"),
        ("exec-env/AWS_Lambda", "AWS Lambda function"),
        ("AWS_Lambda_", "AWS Lambda function"),
        ("Terraform/", "Terraform"),
        ("HashiCorp", "Terraform"),
        ("google-cloud-sdk gcloud deployment-manager", "Google Cloud Deployment Manager"),
        ("Microsoft.Resources/deployments", "Azure Resource Manager deployment"),
    ]

    /// Network detection and response and packet-broker products whose sensors are fed by mirroring.
    static let vendors = ["vectra", "extrahop", "corelight", "gigamon", "darktrace", "arkime", "zeek", "netwitness",
                          "netscout", "keysight", "ixia", "cpacket", "stealthwatch", "secure cloud analytics", "awake security",
                          "fidelis", "trellix", "plixer", "kentik", "nprobe", "ntopng", "suricata", "security onion", "cisco ftd"]

    /// The services' markers, lowercased once.
    private static let lowercasedMarkers = services.map { $0.marker.lowercased() }

    /// The first service whose marker occurs in `text` ignoring case, the same in every locale
    /// (Foundation's localized search follows the process's locale and costs an ICU search per call;
    /// the standard library's `firstRange` compares characters one by one): both lowercased, then
    /// searched byte for byte.
    private static func service(in text: String) -> (marker: String, name: String)? {
        let lower = text.lowercased()
        return lowercasedMarkers.firstIndex(where: { lower.containsBytes($0) }).map { services[$0] }
    }

    public static func recognize(_ change: MirrorChange) -> ToolMatch? {
        let actor = change.actor
        let calledThrough = [actor?.invokedBy, actor?.userAgent, actor?.sourceIP].compactMap { $0 }
        for text in calledThrough {
            if let service = service(in: text) {
                // invokedBy and a service source address are set by AWS; a user agent is set by the caller.
                let where_ = text == actor?.invokedBy ? "invokedBy" : text == actor?.userAgent ? "user agent" : "source"
                return ToolMatch(name: service.name, basis: "\(where_) '\(text.prefix(80))'", claimOnly: where_ == "user agent")
            }
        }
        var claims = [change.spec.description].compactMap { $0 }
        for (key, value) in change.spec.tags {
            // `aws:` tags are AWS's own: a caller cannot set them.
            if key.hasPrefix("aws:cloudformation:stack-name") {
                return ToolMatch(name: "AWS CloudFormation stack \(value)", basis: "tag \(key)=\(value)", claimOnly: false)
            }
            claims.append("\(key)=\(value)")
        }
        for claim in claims {
            if let runbook = service(in: claim) {
                return ToolMatch(name: runbook.name, basis: "description or tag '\(claim.prefix(80))'", claimOnly: true)
            }
            let lower = claim.lowercased()
            if let vendor = vendors.first(where: { lower.containsBytes($0) }) {
                return ToolMatch(name: "\(vendor.capitalized) sensor automation", basis: "description or tag '\(claim.prefix(80))'", claimOnly: true)
            }
        }
        return nil
    }
}
