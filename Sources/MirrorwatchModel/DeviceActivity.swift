import Foundation

/// What device logs say about configuration activity beyond mirroring: that a device was
/// configured, that commands were logged, and commands that blind monitoring. Coverage rules
/// read these: a device that changed without command logs is a blind spot.
public struct DeviceActivity: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `%SYS-5-CONFIG_I`, `VSHD_SYSLOG_CONFIG_I`, `UI_COMMIT`, `CONFIG_SESSION_COMMIT_SUCCESS`: the configuration changed.
        case configured
        /// A command-level record (CFGLOG, accounting, `UI_CMDLINE_READ_LINE`, TACACS+): we see what changed.
        case commandLogged
        /// A command that switches logging or accounting off (`no logging host`, `no archive`,
        /// `no aaa accounting`, `delete system syslog`), with the command.
        case loggingTampered(String)
    }

    public var platform: Platform
    public var device: String
    public var time: Date?
    public var actor: Actor?
    public var kind: Kind
    public var evidence: Evidence

    public init(platform: Platform, device: String, time: Date?, actor: Actor?, kind: Kind, evidence: Evidence) {
        self.platform = platform
        self.device = device
        self.time = time
        self.actor = actor
        self.kind = kind
        self.evidence = evidence
    }

    /// Whether a device command (any vendor) turns logging or accounting off.
    /// Cisco and Arista commands (prefixes) that stop syslog or command accounting.
    public static let loggingOffCommands = ["no logging host", "no logging server", "no logging on", "no logging enable", "no logging trap", "no archive",
                                            "no log config", "no notify syslog", "no aaa accounting", "logging off"]
    /// Trap levels below notifications: CFGLOG (level 5) no longer leaves the device.
    public static let silencingTrapLevels = ["0", "1", "2", "3", "4", "emergencies", "alerts", "critical", "errors", "warnings"]
    /// Junos commands that remove or deactivate syslog destinations or command accounting.
    public static let junosLoggingOffCommands = ["delete system syslog", "deactivate system syslog", "delete system accounting", "deactivate system accounting"]

    public static func tampersWithLogging(_ command: String) -> Bool {
        let c = command.lowercased().split(separator: " ").joined(separator: " ")
        if loggingOffCommands.contains(where: { c.hasPrefix($0) }) { return true }
        // Legacy `no logging 10.1.1.1`, and a trap level below notifications (CFGLOG is level 5) silences command logs.
        let words = c.split(separator: " ")
        if words.count == 3, words[0] == "no", words[1] == "logging", words[2].first?.isNumber == true { return true }
        if words.count == 3, words[0] == "logging", words[1] == "trap", silencingTrapLevels.contains(String(words[2])) {
            return true
        }
        return junosLoggingOffCommands.contains { c.hasPrefix($0) }
    }
}
