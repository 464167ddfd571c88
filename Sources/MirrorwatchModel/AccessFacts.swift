import Foundation

/// One condition clause of a permission statement: `StringEquals aws:RequestedRegion [eu-west-1]`,
/// or a whole expression (a GCP CEL condition, an Azure ABAC condition) with `key` nil.
public struct ConditionClause: Sendable, Hashable, CustomStringConvertible {
    /// AWS condition operator (`ArnNotLike`, `StringEquals`, ...) or `expression`.
    public var op: String
    /// Condition key (`aws:PrincipalArn`); nil for a whole expression.
    public var key: String?
    public var values: [String]

    public init(op: String, key: String?, values: [String]) {
        self.op = op
        self.key = key
        self.values = values
    }

    public var description: String {
        guard let key else { return values.joined(separator: " ") }
        return "\(op) \(key) \(values.count == 1 ? values[0] : "[" + values.joined(separator: ", ") + "]")"
    }
}

/// One permission statement, in the shape AWS IAM policies, GCP roles and Azure role definitions
/// all reduce to.
///
/// The statement covers an action when it matches one of `actions` and none of `notActions`;
/// with `actions` empty it covers everything except `notActions` (AWS `NotAction`). Azure's
/// `actions` minus `notActions` and GCP's permission lists are the same shape.
public struct PermissionStatement: Sendable, Hashable {
    public enum Effect: String, Sendable { case allow, deny }
    public var effect: Effect
    public var actions: [String]
    public var notActions: [String]
    /// Resource patterns; empty means any resource.
    public var resources: [String]
    /// AWS `NotResource`: every resource except these.
    public var notResources: [String]
    /// All clauses must hold for the statement to apply.
    public var conditions: [ConditionClause]
    /// `Sid`, or the statement's position (`statement 2`).
    public var label: String

    public init(effect: Effect, actions: [String], notActions: [String] = [], resources: [String] = [], notResources: [String] = [],
                conditions: [ConditionClause] = [], label: String) {
        self.effect = effect
        self.actions = actions
        self.notActions = notActions
        self.resources = resources
        self.notResources = notResources
        self.conditions = conditions
        self.label = label
    }
}

/// A named set of statements: an IAM policy, an SCP, a GCP role, an Azure role definition.
public struct PermissionPolicy: Sendable {
    /// ARN, role name (`roles/editor`, `projects/p/roles/r`) or role definition id.
    public var id: String
    /// Name for people (`AdministratorAccess`, `Network Contributor`).
    public var name: String
    public var statements: [PermissionStatement]
    public var evidence: Evidence

    public init(id: String, name: String, statements: [PermissionStatement], evidence: Evidence) {
        self.id = id
        self.name = name
        self.statements = statements
        self.evidence = evidence
    }
}

/// Who holds permissions: an IAM user or role, a GCP member, an Azure principal.
public struct AccessPrincipal: Sendable, Hashable {
    public var platform: Platform
    /// ARN, GCP member (`user:a@example.com`) or Azure object id.
    public var id: String
    /// Name for people and for `authorized_identities` (role name, e-mail, UPN, display name).
    public var name: String
    /// `user`, `role`, `group`, `serviceAccount`, `ServicePrincipal`, `domain`, ...
    public var type: String
    /// Account, project or subscription it belongs to, when known.
    public var account: String?
    /// The device of a device's local account.
    public var device: String?
    /// Other names `authorized_identities` may use for it (e-mail without the member prefix, UPN, ARN).
    public var aliases: [String]
    /// Who may become it (an AWS role's trust policy principals), for the explanation.
    public var trustedBy: [String]
    /// AWS groups the user is in.
    public var groups: [String]
    public var evidence: Evidence

    public init(platform: Platform, id: String, name: String, type: String, account: String? = nil, device: String? = nil, aliases: [String] = [],
                trustedBy: [String] = [], groups: [String] = [], evidence: Evidence) {
        self.platform = platform
        self.id = id
        self.name = name
        self.type = type
        self.account = account
        self.device = device
        self.aliases = aliases
        self.trustedBy = trustedBy
        self.groups = groups
        self.evidence = evidence
    }

    /// The name for people: a device account with its device (`admin on core-sw1`).
    public var display: String { device.map { "\(name) on \($0)" } ?? name }

    public static func == (a: Self, b: Self) -> Bool { a.platform == b.platform && a.id.lowercased() == b.id.lowercased() }
    public func hash(into hasher: inout Hasher) { hasher.combine(platform); hasher.combine(id.lowercased()) }
}

/// A policy given to a principal (or an AWS group), at a scope, by some route.
public struct AccessGrant: Sendable {
    public enum Kind: String, Sendable {
        /// Grants permissions (identity policy, role binding, role assignment).
        case identity
        /// Caps permissions (AWS permissions boundary).
        case boundary
    }
    public var platform: Platform
    /// The principal's id, or for AWS group policies `group:<name>` in the account.
    public var holder: String
    public var policy: String
    public var kind: Kind
    /// How it is given, in words: `inline policy deploy`, `attached`, `binding on shop-prod-2231`.
    public var route: String
    /// Where it applies: AWS account, GCP resource (`projects/p`), Azure scope path.
    public var scope: String
    /// A condition on the grant itself (GCP binding condition, Azure assignment condition).
    public var condition: ConditionClause?
    public var evidence: Evidence

    public init(platform: Platform, holder: String, policy: String, kind: Kind = .identity, route: String, scope: String,
                condition: ConditionClause? = nil, evidence: Evidence) {
        self.platform = platform
        self.holder = holder
        self.policy = policy
        self.kind = kind
        self.route = route
        self.scope = scope
        self.condition = condition
        self.evidence = evidence
    }
}

/// An organization-level deny that applies over grants: an AWS SCP, a GCP deny policy, an Azure
/// deny assignment.
public struct AccessGuardrail: Sendable {
    public var platform: Platform
    public var policy: PermissionPolicy
    /// What kind, in words (`service control policy`, `deny policy`, `deny assignment`).
    public var kind: String
    /// Where it is attached (Azure scope path, GCP resource); nil for everything read.
    public var scope: String?
    /// Azure `doNotApplyToChildScopes` false: it also covers resources below its scope.
    public var appliesToChildScopes = true
    /// Principals it applies to; empty (and no `principalSets`) means everyone.
    public var principals: [String]
    /// Sets whose members the exports do not list (a GCP Workspace customer): it may apply.
    public var principalSets: [String] = []
    /// Principals exempt from it.
    public var exceptPrincipals: [String]
    /// Groups exempt from it: a principal may be exempt through membership the exports do not show.
    public var exceptGroups: [String] = []
    /// AWS SCP: the accounts, OUs or roots it is attached to (`list-targets-for-policy`); nil when not known.
    public var targets: [String]?
    /// AWS SCP: the organization's management account, which SCPs never restrict.
    public var exemptAccount: String?

    public init(platform: Platform, policy: PermissionPolicy, kind: String, scope: String? = nil, principals: [String] = [], exceptPrincipals: [String] = []) {
        self.platform = platform
        self.policy = policy
        self.kind = kind
        self.scope = scope
        self.principals = principals
        self.exceptPrincipals = exceptPrincipals
    }
}

/// One row of an AWS IAM credential report: how a user signs in and how old its access keys are.
public struct CredentialReportEntry: Sendable {
    /// One access key slot (`access_key_1`, `access_key_2`).
    public struct AccessKey: Sendable {
        public var active: Bool
        public var lastRotated: Date?
        public var lastUsed: Date?
        public init(active: Bool, lastRotated: Date?, lastUsed: Date?) {
            self.active = active
            self.lastRotated = lastRotated
            self.lastUsed = lastUsed
        }
    }

    public var arn: String
    public var user: String
    public var passwordEnabled: Bool
    public var mfaActive: Bool
    public var accessKeys: [AccessKey]
    /// When the report was generated, when known.
    public var generated: Date?
    public var evidence: Evidence

    public init(arn: String, user: String, passwordEnabled: Bool, mfaActive: Bool, accessKeys: [AccessKey], generated: Date?, evidence: Evidence) {
        self.arn = arn
        self.user = user
        self.passwordEnabled = passwordEnabled
        self.mfaActive = mfaActive
        self.accessKeys = accessKeys
        self.generated = generated
        self.evidence = evidence
    }

    /// The oldest active key's rotation date.
    public var oldestActiveKey: Date? { accessKeys.filter(\.active).compactMap(\.lastRotated).min() }
}

/// Everything read from access exports: principals, the policies, who holds which, and guardrails.
public struct AccessFacts: Sendable {
    public var principals: [AccessPrincipal] = []
    public var policies: [PermissionPolicy] = []
    public var grants: [AccessGrant] = []
    public var guardrails: [AccessGuardrail] = []
    /// Role names by role definition id (lowercased), from exports that give both (Azure assignments).
    public var roleNames: [String: String] = [:]
    /// AWS SCP attachments by policy id (`p-...`): account ids, `ou-...`, `r-...` (`list-targets-for-policy`).
    public var policyTargets: [String: [String]] = [:]
    /// AWS credential report rows, by lowercased user ARN.
    public var credentials: [String: CredentialReportEntry] = [:]

    public init() {}

    public var isEmpty: Bool { principals.isEmpty && policies.isEmpty && grants.isEmpty && guardrails.isEmpty }

    public mutating func merge(_ other: AccessFacts) {
        principals += other.principals
        policies += other.policies
        grants += other.grants
        guardrails += other.guardrails
        roleNames.merge(other.roleNames) { a, _ in a }
        policyTargets.merge(other.policyTargets) { a, b in a + b }
        credentials.merge(other.credentials) { a, b in (a.generated ?? .distantPast) >= (b.generated ?? .distantPast) ? a : b }
    }
}
