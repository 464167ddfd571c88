/// The native formats mirrorwatch reads. Raw values are the names `--as` accepts.
public enum InputKind: String, Sendable, CaseIterable {
    /// AWS CloudTrail: S3 objects, JSON lines, EventBridge events, JSON arrays.
    case cloudtrail
    /// `aws ec2 describe-traffic-mirror-sessions|targets|filters` and `describe-network-interfaces` output.
    case awsInventory = "aws-inventory"
    /// Change-ticket exports (CSV or JSON; ServiceNow, Jira and similar).
    case tickets
}
