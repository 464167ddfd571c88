import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads network-device command logs from syslog files and streams: Cisco IOS / IOS-XE
/// (`%PARSER-5-CFGLOG_LOGGEDCMD`), NX-OS (the accounting log, `type=update:...:cmd=...`), Arista EOS
/// (`%ACCOUNTING-6-CMD ... cmd=`) and Junos (`UI_CMDLINE_READ_LINE` with its `edit` level,
/// `UI_CFG_AUDIT_SET`), each turned into mirroring changes with who, from where and when.
///
/// Commands arrive one by one and sub-mode lines without their parent (`ip address 10.1.1.200`
/// after `monitor session 1 type erspan-source` and `destination`): the reader keeps, per device
/// and user, the session being configured and the Junos edit level, and per device the mirroring
/// configuration the commands have built, so each command becomes a change to a known session.
public enum DeviceLogReader {
    static let format = InputFormat(kind: .deviceSyslog, recognizes: { head in
        ["CFGLOG_LOGGEDCMD", "%SYS-5-CONFIG_I", "VSHD_SYSLOG_CONFIG_I", "ACCOUNTING-6-CMD", "UI_CMDLINE_READ_LINE", "UI_CFG_AUDIT",
         "UI_COMMIT", ":type=update:id=", "CONFIG_SESSION_COMMIT"].contains { head.contains($0) }
    }, read: { input, options in read(input, options: options) })

    /// Lines that can matter: anything else is counted and skipped without parsing.
    private static let markers = ["LOGGEDCMD", "ACCOUNTING-6-CMD", "UI_CMDLINE_READ_LINE", "type=update", "LOGIN_SUCCESS"].map { Array($0.utf8) }

    public static func read(_ input: LoadedInput, options: ReaderOptions = ReaderOptions()) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "syslog"))
        result.report.bytes = input.bytes.count
        var state = CommandState(input: input.name, fallbackDevice: DeviceConfigReader.fileStem(input.name))
        let year = Calendar(identifier: .gregorian).component(.year, from: input.modified ?? Date())
        input.bytes.withUnsafeBytes { buffer in
            var start = 0
            var number = 0
            while start < buffer.count {
                number += 1
                let end = buffer[start...].firstIndex(of: 0x0A) ?? buffer.count
                defer { start = end + 1 }
                guard end > start else { continue }
                result.report.records += 1
                let range = start..<end
                guard markers.contains(where: { ByteSearch.contains($0, in: buffer, range: range) }) else { continue }
                guard end - start <= 65536 else {
                    result.report.problem("line \(number)", "line of \(end - start) bytes is too long for a device log; skipped"); continue
                }
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
                let line = SyslogLine.parse(Substring(text.hasSuffix("\r") ? String(text.dropLast()) : text), year: year)
                state.handle(line, number: number, into: &result)
            }
        }
        return result
    }
}

/// Per-device mirroring configuration and per-user command context, fed one logged command at a time.
struct CommandState {
    let input: String
    let fallbackDevice: String
    private var cisco: [String: CiscoMonitorConfig] = [:]
    private var junos: [String: JunosMirroringConfig] = [:]
    /// (device, user) → the `monitor session` being configured.
    private var block: [String: String] = [:]
    /// (device, user) → the Junos `edit` level.
    private var editLevel: [String: [String]] = [:]
    /// (device, user) → where the user logged in from (`%SEC_LOGIN-5-LOGIN_SUCCESS`), for commands that do not say.
    private var loginSource: [String: String] = [:]

    init(input: String, fallbackDevice: String) {
        self.input = input
        self.fallbackDevice = fallbackDevice
    }

    mutating func handle(_ line: SyslogLine, number: Int, into result: inout ReadResult) {
        let message = line.message
        let device = line.host ?? fallbackDevice
        let evidence = Evidence(input: input, line: number)
        if message.contains("LOGIN_SUCCESS") {
            // `Login Success [user: mallory] [Source: 198.51.100.23] [localport: 22] at ...`
            if let user = field(message, after: "[user: ", until: "]"), let source = field(message, after: "[Source: ", until: "]") {
                loginSource["\(device)|\(user)"] = source
            }
            return
        }
        if let range = message.range(of: "CFGLOG_LOGGEDCMD:") {
            // `User:alice  logged command:monitor session 1 destination interface Gi1/0/12`
            let body = message[range.upperBound...]
            guard let user = field(body, after: "User:", until: " "), let command = field(body, after: "logged command:", until: nil) else {
                result.report.problem(evidence.position, "CFGLOG line without user or command"); return
            }
            let ip = loginSource["\(device)|\(user)"]
            cisco(device: device, platform: .ciscoIOS, user: user, ip: ip, commands: [command], time: line.time, evidence: evidence, into: &result)
        } else if let range = message.range(of: "ACCOUNTING-6-CMD:") {
            // `alice vty5 10.1.2.3 stop task_id=11 ... cmd=monitor session tap destination ...`
            let body = message[range.upperBound...].drop(while: { $0 == " " })
            let words = body.split(separator: " ", maxSplits: 3)
            guard words.count >= 3, let command = field(body, after: "cmd=", until: nil) else {
                result.report.problem(evidence.position, "accounting line without user or command"); return
            }
            cisco(device: device, platform: .aristaEOS, user: String(words[0]), ip: String(words[2]), commands: [command], time: line.time,
                  evidence: evidence, into: &result)
        } else if message.contains("type=update"), let command = field(message, after: "cmd=", until: nil) {
            // NX-OS accounting: `...:type=update:id=10.1.2.3@pts/0:user=admin:cmd=configure terminal ; monitor session 1 ; ... (SUCCESS)`
            var text = command.trimmingCharacters(in: .whitespaces)
            var failed = false
            if text.hasSuffix("(SUCCESS)") { text = String(text.dropLast(9)) }
            if text.hasSuffix("(FAILURE)") { text = String(text.dropLast(9)); failed = true }
            guard !failed else { return }
            let commands = text.components(separatedBy: " ; ").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && $0 != "configure terminal" && $0 != "config t" }
            let user = field(message, after: "user=", until: ":") ?? "unknown"
            let ip = field(message, after: "id=", until: "@")
            // Each accounting record carries its own context: start it afresh.
            block["\(device)|\(user)"] = nil
            let accountingTime = line.time ?? nxosTime(message)
            cisco(device: device, platform: .ciscoNXOS, user: user, ip: ip, commands: commands, time: accountingTime, evidence: evidence, into: &result)
        } else if line.messageId == "UI_CMDLINE_READ_LINE" || message.contains("UI_CMDLINE_READ_LINE") {
            guard let user = line.parameters["username"] ?? field(message, after: "User '", until: "'"),
                  let command = line.parameters["command"] ?? field(message, after: "command '", until: "'") else {
                result.report.problem(evidence.position, "UI_CMDLINE_READ_LINE without user or command"); return
            }
            junosCommand(device: device, user: user, command: command.trimmingCharacters(in: .whitespaces), time: line.time,
                         evidence: evidence, into: &result)
        } else {
            result.report.problem(evidence.position, "looks like a command log line but matches no known form (IOS CFGLOG, EOS or NX-OS accounting, Junos UI_CMDLINE_READ_LINE)")
        }
    }

    // MARK: Cisco IOS, NX-OS, Arista EOS

    private mutating func cisco(device: String, platform: Platform, user: String, ip: String?, commands: [String], time: Date?,
                                evidence: Evidence, into result: inout ReadResult) {
        let key = "\(device)|\(user)"
        var config = cisco[device] ?? CiscoMonitorConfig(device: device)
        for command in commands {
            let words = command.split(separator: " ").map(String.init)
            guard let first = words.first else { continue }
            if first == "monitor", words.count >= 3, words[1] == "session" {
                block[key] = words.count == 3 || words[3] == "type" ? words[2] : nil
                apply(&config, session: words[2], line: command, indented: false, platform: platform, user: user, ip: ip, time: time,
                      evidence: evidence, into: &result)
            } else if first == "no", words.count >= 4, words[1] == "monitor", words[2] == "session" {
                let name = words[3]
                let id = "\(device):monitor session \(name)"
                if words.count == 4 {
                    // Deleting a session the logs never showed is still a delete of the live one.
                    config.remove(name)
                    result.changes.append(change(platform: platform, device: device, id: id, action: .delete, spec: MirrorSpec(), command: command,
                                                 user: user, ip: ip, time: time, evidence: evidence, upsert: false))
                } else {
                    result.changes.append(change(platform: platform, device: device, id: id, action: .modify, spec: MirrorSpec(), command: command,
                                                 user: user, ip: ip, time: time, evidence: evidence, upsert: false))
                }
                result.report.relevant += 1
            } else if let name = block[key], ["source", "destination", "ip", "erspan-id", "shutdown", "shut", "no", "description", "origin", "vrf", "exit", "mtu"].contains(first) {
                if first == "exit" { continue }
                apply(&config, session: name, line: command, indented: true, platform: platform, user: user, ip: ip, time: time,
                      evidence: evidence, into: &result)
            } else {
                block[key] = nil  // another top-level command: the session's sub-mode is left
            }
        }
        cisco[device] = config
    }

    private mutating func apply(_ config: inout CiscoMonitorConfig, session name: String, line: String, indented: Bool, platform: Platform,
                                user: String, ip: String?, time: Date?, evidence: Evidence, into result: inout ReadResult) {
        let before = config.session(name)
        if indented {
            // Re-enter the block so the config model reads the line as part of the session.
            config.feed(Substring("monitor session \(name)"), number: evidence.line ?? 0)
            if line.hasPrefix("ip ") || line.hasPrefix("erspan-id") || line.hasPrefix("origin") { config.feed(" destination", number: evidence.line ?? 0) }
            config.feed(Substring(" " + line), number: evidence.line ?? 0)
        } else {
            config.feed(Substring(line), number: evidence.line ?? 0)
        }
        guard let after = config.session(name), !after.isReceiver else { return }
        var spec = MirrorSpec()
        let newSources = after.sources.filter { added in !(before?.sources.contains { $0.id == added.id } ?? false) }
        spec.sources = newSources
        spec.sourcesAreAdditions = true
        if after.destinations.first?.id != before?.destinations.first?.id { spec.destination = after.destinations.first }
        if after.shutdown != (before?.shutdown ?? false) || before == nil { spec.enabled = !after.shutdown }
        if after.description != before?.description { spec.description = after.description }
        result.report.relevant += 1
        result.changes.append(change(platform: platform, device: config.device, id: "\(config.device):monitor session \(name)",
                                     action: before == nil ? .create : .modify, spec: spec, command: indented ? "(monitor session \(name)) \(line)" : line,
                                     user: user, ip: ip, time: time, evidence: evidence, upsert: true))
    }

    // MARK: Junos

    private mutating func junosCommand(device: String, user: String, command: String, time: Date?, evidence: Evidence, into result: inout ReadResult) {
        let key = "\(device)|\(user)"
        var words = JunosConfigText.words(Substring(command))
        guard let verb = words.first else { return }
        words.removeFirst()
        var level = editLevel[key] ?? []
        switch verb {
        case "edit": editLevel[key] = level + words; return
        case "top": editLevel[key] = []; return
        case "up", "exit":
            for _ in 0..<(Int(words.first ?? "") ?? 1) { Self.leaveLevel(&level) }
            editLevel[key] = level
            return
        case "set", "delete", "deactivate", "activate": break
        default: return
        }
        let statement = level + words
        guard let session = JunosMirroringConfig.sessionKey(statement) else { return }
        var config = junos[device] ?? JunosMirroringConfig(device: device)
        let before = config.session(session)
        let id = "\(device):\(session)"
        let kind: MirrorResourceKind = session.hasPrefix("analyzer") ? .analyzer : .portMirroring
        result.report.relevant += 1
        if verb == "delete" || verb == "deactivate" {
            let whole = statement.count <= (session.hasPrefix("port-mirroring instance") || session.hasPrefix("analyzer") ? 3 : 2)
            if whole { config.remove(session) }
            junos[device] = config
            result.changes.append(change(platform: .junos, device: device, id: id, action: whole ? .delete : .modify, spec: MirrorSpec(),
                                         command: "\(verb) \(statement.joined(separator: " "))", user: user, ip: nil, time: time, evidence: evidence,
                                         upsert: false, kind: kind))
            return
        }
        config.feed(statement, line: evidence.line ?? 0)
        junos[device] = config
        guard let after = config.session(session) else { return }
        var spec = MirrorSpec()
        spec.sources = after.sources.filter { added in !(before?.sources.contains { $0.id == added.id } ?? false) }
        spec.sourcesAreAdditions = true
        if after.destinations.first?.id != before?.destinations.first?.id { spec.destination = after.destinations.first }
        if after.disabled != (before?.disabled ?? false) || before == nil { spec.enabled = !after.disabled }
        result.changes.append(change(platform: .junos, device: device, id: id, action: before == nil ? .create : .modify, spec: spec,
                                     command: "\(verb) \(statement.joined(separator: " "))", user: user, ip: nil, time: time, evidence: evidence,
                                     upsert: true, kind: kind))
    }

    /// One hierarchy level up: `[forwarding-options analyzer a1]` → `[forwarding-options]` (a named
    /// element is its keyword and its name).
    static func leaveLevel(_ level: inout [String]) {
        guard !level.isEmpty else { return }
        level.removeLast()
        let named: Set<String> = ["analyzer", "instance", "filter", "term", "unit", "interfaces", "group", "family"]
        if let last = level.last, named.contains(last) { level.removeLast() }
    }

    // MARK: Changes

    private func change(platform: Platform, device: String, id: String, action: ChangeAction, spec: MirrorSpec, command: String, user: String,
                        ip: String?, time: Date?, evidence: Evidence, upsert: Bool, kind: MirrorResourceKind = .spanSession) -> MirrorChange {
        var change = MirrorChange(
            platform: platform, scope: Scope(device: device), time: time ?? Date(timeIntervalSince1970: 0),
            actor: Actor(name: user, type: "device-user", sourceIP: ip), operation: command, action: action, outcome: .success,
            resourceKind: kind, resourceId: id, spec: spec,
            // The same line relayed twice is one change.
            eventId: "\(device)|\(time.map(Timestamp.format) ?? "")|\(user)|\(command)", evidence: evidence)
        change.isUpsert = upsert
        return change
    }

    /// `field(text, after: "User:", until: " ")`: the text between a marker and a terminator (or the end).
    private func field(_ text: Substring, after marker: String, until end: String?) -> String? {
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        let rest = text[start...]
        if let end, let stop = rest.range(of: end) { return String(rest[..<stop.lowerBound]).trimmingCharacters(in: .whitespaces) }
        let value = String(rest).trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// NX-OS accounting lines start with their own time: `Tue Nov  3 10:00:00 2026:type=...`.
    private func nxosTime(_ message: Substring) -> Date? {
        let words = message.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 5, let year = Int(words[4].prefix(4)) else { return nil }
        return SyslogLine.bsdTime(Substring(words[1...3].joined(separator: " ")), year: year)?.0
    }
}
