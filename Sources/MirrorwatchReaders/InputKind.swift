/// The native formats mirrorwatch reads. Raw values are the names `--as` accepts.
public enum InputKind: String, Sendable, CaseIterable {
    /// AWS CloudTrail: S3 objects, JSON lines, EventBridge events, JSON arrays.
    case cloudtrail
    /// `aws ec2 describe-traffic-mirror-sessions|targets|filters` and `describe-network-interfaces` output.
    case awsInventory = "aws-inventory"
    /// GCP Cloud Audit Logs (Admin Activity): sink exports, JSON lines, single entries, Pub/Sub push envelopes.
    case gcpAudit = "gcp-audit"
    /// `gcloud compute packet-mirrorings|forwarding-rules|instances list --format=json` output.
    case gcpInventory = "gcp-inventory"
    /// Azure Activity Log: Event Hub / Storage exports, JSON lines, REST and portal exports.
    case azureActivity = "azure-activity"
    /// `az network vnet tap list` and `az network nic list` output.
    case azureInventory = "azure-inventory"
    /// Network-device command logs in syslog: Cisco IOS/IOS-XE CFGLOG, NX-OS accounting, Arista EOS accounting, Junos UI_CMDLINE.
    case deviceSyslog = "syslog"
    /// Device configuration snapshots (RANCID/Oxidized): IOS, IOS-XE, NX-OS, EOS running-configs, Junos set or curly form.
    case deviceConfig = "device-config"
    /// Change-ticket exports (CSV or JSON; ServiceNow, Jira and similar).
    case tickets
    /// AWS VPC Flow Logs (default and custom formats, with or without the header line).
    case vpcFlow = "vpc-flow"
    /// Azure NSG flow logs (v1, v2) and VNet flow logs.
    case azureFlow = "azure-flow"
    /// GCP VPC Flow Logs as Cloud Logging entries.
    case gcpFlow = "gcp-flow"
    /// NetFlow/IPFIX as CSV (nfdump `-o csv`, 1.6 and 1.7 layouts).
    case netflowCSV = "netflow-csv"
    /// Microsoft Entra ID sign-in logs (diagnostic export or Graph `auditLogs/signIns`).
    case entraSignIn = "entra-signin"
    /// `aws iam get-account-authorization-details` output and SCPs from `aws organizations describe-policy`.
    case awsIAM = "aws-iam"
    /// The AWS IAM credential report (`aws iam get-credential-report`, JSON or the CSV it holds).
    case awsCredentialReport = "aws-credential-report"
    /// GCP IAM policies (`get-iam-policy`, asset inventory), role definitions and deny policies.
    case gcpIAM = "gcp-iam"
    /// Azure role definitions, role assignments and deny assignments.
    case azureRBAC = "azure-rbac"
    /// Audit-logging configuration: CloudTrail trails and status, S3 lifecycle, GCP log buckets, Azure workspaces.
    case loggingConfig = "logging-config"
}
