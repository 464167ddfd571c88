#if canImport(Glibc)
import Glibc
#endif
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
        markerTexts.contains { head.contains($0) } || looksLikeSyslog(head.bytes)
    }, stream: { input, options in read(input, options: options) })

    /// Whether the first line is a syslog line: `<PRI>`, a BSD timestamp (`Nov  3 10:00:00`) or an
    /// ISO timestamp followed by a host. Most of a device log is noise, so markers may come late.
    static func looksLikeSyslog(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let end = bytes.firstIndex(of: 0x0A) ?? min(bytes.count, 512)
        let first = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<min(end, 512)]), as: UTF8.self)
        if first.first == "<", let close = first.firstIndex(of: ">"), first[first.index(after: first.startIndex)..<close].allSatisfy(\.isNumber),
           first.distance(from: first.startIndex, to: close) <= 4 {
            return true
        }
        if SyslogLine.bsdTime(Substring(first), year: 2000) != nil { return true }
        if let space = first.firstIndex(of: " "), first[..<space].count >= 19, Timestamp.parse(String(first[..<space])) != nil { return true }
        return false
    }

    /// What makes a line worth parsing; every other line is counted and skipped unparsed.
    static let markerTexts = ["LOGGEDCMD", "ACCOUNTING-6-CMD", "UI_CMDLINE_READ_LINE", "type=update", "LOGIN_SUCCESS", "CONFIG_I:", "UI_COMMIT",
                              "CONFIG_SESSION_COMMIT", "UI_CFG_AUDIT", "\tcmd=", "CISE_TACACS_Accounting",
                              "CISE_Passed_Authentications"]
    private static let markers = markerTexts.map { Array($0.utf8) }

    /// Reads the lines that carry a marker, found by scanning each window once per marker
    /// (memchr speed), in line order. Windows end at a line's end, so no line is cut.
    public static func read(_ input: some ByteWindows, options: ReaderOptions = ReaderOptions()) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "syslog"))
        var state = CommandState(input: input.name, fallbackDevice: DeviceConfigReader.fileStem(input.name))
        // Syslog times often carry no year: take it from a date in the file's name, else from the file's time.
        let year = SyslogLine.utcCalendar.component(.year, from: Timestamp.inPath(input.name) ?? input.modified ?? Date())
        state.year = year
        var linesBefore = 0
        input.forEachWindowOfLines { buffer in
            let lineCount = LineIndex.count(buffer)
            readLines(buffer, year: year, firstLine: linesBefore + 1, state: &state, into: &result)
            result.report.records += lineCount
            result.report.bytes += buffer.count
            linesBefore += lineCount
        }
        return result
    }

    /// The marked lines of `buffer` (whole lines), numbered from `firstLine`.
    static func readLines(_ buffer: UnsafeRawBufferPointer, year: Int, firstLine: Int, state: inout CommandState, into result: inout ReadResult) {
        var starts = Set<Int>()
        for marker in markers {
            var from = 0
            while let hit = ByteSearch.firstIndex(of: marker, in: buffer, range: from..<buffer.count) {
                let start = LineIndex.start(of: hit, in: buffer)
                starts.insert(start)
                from = LineIndex.end(of: hit, in: buffer)
            }
        }
        var lines = LineCounter()
        for start in starts.sorted() {
            let end = LineIndex.end(of: start, in: buffer)
            let number = firstLine - 1 + lines.line(at: start, in: buffer)
            guard end - start <= 65536 else {
                result.report.problem("line \(number)", "line of \(end - start) bytes is too long for a device log; skipped"); continue
            }
            var text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            state.handle(SyslogLine.parse(Substring(text), year: year), raw: Substring(text), number: number, into: &result)
        }
    }
}

/// Device syslog read as it arrives (the service's syslog listener), batch after batch: the command
/// context of each device and user (the session being configured, the Junos edit level) carries over
/// from one batch to the next, as it would within one file.
public struct DeviceLogStream: Sendable {
    private var state: CommandState
    private let year: Int

    /// `year` completes syslog times written without one.
    public init(year: Int) {
        state = CommandState(input: "syslog", fallbackDevice: "unknown-device")
        state.year = year
        self.year = year
    }

    /// Reads the next batch of lines, named `name` in evidence (line numbers count within the batch).
    public mutating func read(_ bytes: [UInt8], name: String) -> ReadResult {
        var result = ReadResult(report: InputReport(input: name, format: "syslog"))
        state.input = name
        bytes.withUnsafeBytes { buffer in
            DeviceLogReader.readLines(buffer, year: year, firstLine: 1, state: &state, into: &result)
            result.report.records = LineIndex.count(buffer)
            result.report.bytes = buffer.count
        }
        return result
    }
}

/// Line boundaries in a buffer, with memchr.
enum LineIndex {
    static func start(of offset: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        var i = offset
        while i > 0, buffer[i - 1] != 0x0A { i -= 1 }
        return i
    }

    static func end(of offset: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, offset < buffer.count,
              let hit = memchr(base + offset, 0x0A, buffer.count - offset) else { return buffer.count }
        return UnsafeRawPointer(hit) - base
    }

    /// Offset just past the buffer's last newline, or nil when it has none.
    static func endOfLastLine(in buffer: UnsafeRawBufferPointer) -> Int? {
        var i = buffer.count
        while i > 0 {
            if buffer[i - 1] == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    /// Newlines in `range`.
    static func newlines(in buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var n = 0, i = range.lowerBound
        while i < range.upperBound, let hit = memchr(base + i, 0x0A, range.upperBound - i) {
            n += 1
            i = UnsafeRawPointer(hit) - base + 1
        }
        return n
    }

    /// Lines in the buffer (a last line without a newline counts).
    static func count(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        var n = 0, i = 0
        while i < buffer.count, let hit = memchr(base + i, 0x0A, buffer.count - i) {
            n += 1
            i = UnsafeRawPointer(hit) - base + 1
        }
        return buffer.last == 0x0A ? n : n + 1
    }
}

/// Per-device mirroring configuration and per-user command context, fed one logged command at a time.
struct CommandState {
    /// The input evidence names (a stream names each batch as it comes).
    var input: String
    let fallbackDevice: String
    private var cisco: [String: CiscoMonitorConfig] = [:]
    private var junos: [String: JunosMirroringConfig] = [:]
    /// (device, user) → the `monitor session` being configured.
    private var block: [String: String] = [:]
    /// (device, user) → the Junos `edit` level.
    private var editLevel: [String: [String]] = [:]
    /// `device-user` for commands a device logged, `tacacs-user` for those a TACACS+ server accounted.
    private var actorType = "device-user"
    /// ISE record segments waiting for the rest, by message id.
    private var iseParts: [String: [Int: String]] = [:]
    /// The year for timestamps that have none (the input file's).
    var year = 2026
    /// Junos statements already counted (from the command line or the audit), by device, user and text.
    private var countedJunos: [String: Date] = [:]
    /// (device, user) → where the user logged in from (`%SEC_LOGIN-5-LOGIN_SUCCESS`), for commands that do not say.
    private var loginSource: [String: String] = [:]

    init(input: String, fallbackDevice: String) {
        self.input = input
        self.fallbackDevice = fallbackDevice
    }

    mutating func handle(_ line: SyslogLine, raw: Substring, number: Int, into result: inout ReadResult) {
        let message = line.message
        let device = line.host ?? fallbackDevice
        let evidence = Evidence(input: input, line: number)
        if raw.contains("\tcmd=") && !raw.contains("CISE_") {
            tacPlus(raw, evidence: evidence, into: &result)
            return
        }
        if raw.contains("CISE_Passed_Authentications") {
            iseAuthentication(raw, time: line.time, evidence: evidence, into: &result)
            return
        }
        if raw.contains("CISE_TACACS_Accounting") {
            iseSegment(raw, time: line.time, evidence: evidence, into: &result)
            return
        }
        if let range = message.range(of: "CONFIG_I:") {
            // IOS/EOS `%SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.1.2.3)`,
            // NX-OS `%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.2.3@pts/0`.
            let body = message[range.upperBound...]
            let user = field(body, after: " by ", until: " ")
            let ip = field(body, after: "(", until: ")") ?? field(body, after: " on ", until: "@")
            let platform: Platform = message.contains("VSHD") ? .ciscoNXOS : line.app == "ConfigAgent" ? .aristaEOS : .ciscoIOS
            result.deviceActivity.append(DeviceActivity(platform: platform, device: device, time: line.time,
                                                        actor: user.map { Actor(name: $0, type: "device-user", sourceIP: ip) }, kind: .configured, evidence: evidence))
            return
        }
        if message.contains("CONFIG_SESSION_COMMIT") || line.messageId?.hasPrefix("UI_COMMIT") == true || message.contains("UI_COMMIT") {
            let junos = !message.contains("CONFIG_SESSION_COMMIT")
            let user = line.junosUser ?? field(message, after: " by ", until: " ")
            result.deviceActivity.append(DeviceActivity(platform: junos ? .junos : .aristaEOS, device: device, time: line.time,
                                                        actor: user.map { Actor(name: $0, type: "device-user") }, kind: .configured, evidence: evidence))
            return
        }
        if line.messageId?.hasPrefix("UI_CFG_AUDIT") == true || message.contains("UI_CFG_AUDIT") {
            junosAudit(line, device: device, evidence: evidence, into: &result)
            return
        }
        if message.contains("LOGIN_SUCCESS") {
            // `Login Success [user: mallory] [Source: 198.51.100.23] [localport: 22] at ...`
            if let user = field(message, after: "[user: ", until: "]"), let source = field(message, after: "[Source: ", until: "]") {
                loginSource["\(device)|\(user)"] = source
                if let time = line.time {
                    result.authEvents.append(AuthEvent(kind: .deviceLogin, operation: "LOGIN_SUCCESS", platform: .ciscoIOS, scope: Scope(device: device),
                                                       time: time, principal: user, sourceIP: source, evidence: evidence))
                }
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
            guard let user = line.junosUser,
                  let command = line.parameters["command"] ?? field(message, after: "command '", until: "'") else {
                result.report.problem(evidence.position, "UI_CMDLINE_READ_LINE without user or command"); return
            }
            junosCommand(device: device, user: user, pid: line.processId, command: command.trimmingCharacters(in: .whitespaces), time: line.time,
                         evidence: evidence, into: &result)
        } else {
            result.report.problem(evidence.position, "looks like a command log line but matches no known form (IOS CFGLOG, EOS or NX-OS accounting, Junos UI_CMDLINE_READ_LINE, TACACS+)")
        }
    }

    // MARK: Cisco IOS, NX-OS, Arista EOS

    private mutating func cisco(device: String, platform: Platform, user: String, ip: String?, commands: [String], time: Date?,
                                evidence: Evidence, into result: inout ReadResult, viaTacacs: Bool = false) {
        let key = "\(device)|\(user)"
        var config = cisco[device] ?? CiscoMonitorConfig(device: device)
        actorType = viaTacacs ? "tacacs-user" : "device-user"
        defer { actorType = "device-user" }
        let actor = Actor(name: user, type: actorType, sourceIP: ip)
        result.deviceActivity.append(DeviceActivity(platform: platform, device: device, time: time, actor: actor, kind: .commandLogged, evidence: evidence))
        for command in commands {
            if DeviceActivity.tampersWithLogging(command) {
                result.deviceActivity.append(DeviceActivity(platform: platform, device: device, time: time, actor: actor,
                                                            kind: .loggingTampered(command), evidence: evidence))
            }
            let words = command.split(separator: " ").map(String.init)
            guard let first = words.first else { continue }
            if first == "monitor", words.count >= 3, words[1] == "session" {
                block[key] = words.count == 3 || words[3] == "type" ? words[2] : nil
                apply(&config, session: words[2], line: command, indented: false, platform: platform, user: user, ip: ip, time: time,
                      evidence: evidence, into: &result)
            } else if first == "no", words.count >= 4, words[1] == "monitor", words[2] == "session" {
                let name = words[3]
                let id = "\(device):monitor session \(name)"
                if words.count == 4, ["all", "local", "remote"].contains(name) {
                    // `no monitor session all`: every session on the device goes (local/remote: we cannot tell them apart here, so all).
                    for session in config.names {
                        config.remove(session)
                        result.changes.append(change(platform: platform, device: device, id: "\(device):monitor session \(session)", action: .delete,
                                                     spec: MirrorSpec(), command: command, user: user, ip: ip, time: time, evidence: evidence, upsert: false))
                    }
                    result.report.relevant += 1
                } else if words.count == 4 {
                    // Deleting a session the logs never showed is still a delete of the live one.
                    config.remove(name)
                    result.changes.append(change(platform: platform, device: device, id: id, action: .delete, spec: MirrorSpec(), command: command,
                                                 user: user, ip: ip, time: time, evidence: evidence, upsert: false))
                    result.report.relevant += 1
                } else {
                    // `no monitor session 1 destination interface Gi1/0/48`: a part of the session goes.
                    let rest = words.dropFirst(4).joined(separator: " ")
                    apply(&config, session: name, line: "monitor session \(name) no \(rest)", indented: false, platform: platform, user: user, ip: ip,
                          time: time, evidence: evidence, into: &result, label: command)
                }
            } else if let name = block[key], CiscoMonitorConfig.sessionWords.contains(first),
                      first != "no" || ["shutdown", "shut", "source", "destination", "description"].contains(words.dropFirst().first ?? "") {
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
                                user: String, ip: String?, time: Date?, evidence: Evidence, into result: inout ReadResult, label: String? = nil) {
        let before = config.session(name)
        if indented {
            config.feedSessionLine(line, session: name, number: evidence.line ?? 0)
        } else {
            config.feed(Substring(line), number: evidence.line ?? 0)
        }
        guard let after = config.session(name), !after.isReceiver else { return }
        var spec = Self.delta(sources: (before?.sources, after.sources), destinations: (before?.destinations, after.destinations),
                              off: (before?.shutdown, after.shutdown))
        if after.description != before?.description { spec.description = after.description }
        result.report.relevant += 1
        // Context lines (`destination`, `erspan-id 100`, `vrf default`) change nothing that is copied: not a change.
        guard before == nil || !spec.sources.isEmpty || !spec.sourcesAreAdditions || spec.destinationsChanged || spec.enabled != nil else { return }
        result.changes.append(change(platform: platform, device: config.device, id: "\(config.device):monitor session \(name)",
                                     action: before == nil ? .create : .modify, spec: spec,
                                     command: label ?? (indented ? "(monitor session \(name)) \(line)" : line),
                                     user: user, ip: ip, time: time, evidence: evidence, upsert: true))
    }

    // MARK: Junos

    /// `pid` keeps two CLI sessions of one user apart (each `mgd` process has its own edit level).
    private mutating func junosCommand(device: String, user: String, pid: String?, command: String, time: Date?, evidence: Evidence,
                                       into result: inout ReadResult) {
        let key = "\(device)|\(user)|\(pid ?? "")"
        var words = JunosConfigText.words(Substring(command))
        guard var verb = words.first else { return }
        words.removeFirst()
        var level = editLevel[key] ?? []
        result.deviceActivity.append(DeviceActivity(platform: .junos, device: device, time: time, actor: Actor(name: user, type: actorType),
                                                    kind: .commandLogged, evidence: evidence))
        // `top set ...` and `top delete ...` act from the top without moving there.
        if verb == "top", let next = words.first, ["set", "delete", "deactivate", "activate", "edit"].contains(next) {
            level = []
            verb = next
            words.removeFirst()
            if verb == "edit" { editLevel[key] = words; return }
        }
        switch verb {
        case "edit":
            // A bare `edit` (or `configure`) enters configuration mode at the top.
            editLevel[key] = words.isEmpty ? [] : level + words
            return
        case "configure", "top", "quit":
            editLevel[key] = []
            return
        case "exit":
            if words.first == "configuration-mode" { editLevel[key] = []; return }
            Self.leaveLevel(&level)
            editLevel[key] = level
            return
        case "up":
            let steps = max(0, min(Int(words.first ?? "") ?? 1, level.count))
            for _ in 0..<steps { Self.leaveLevel(&level) }
            editLevel[key] = level
            return
        case "commit":
            if words.contains("and-quit") { editLevel[key] = [] }
            return
        case "set", "delete", "deactivate", "activate": break
        default: return
        }
        let statement = level + words
        junosStatement(device: device, user: user, verb: verb, statement: statement, time: time, evidence: evidence, into: &result)
    }

    /// A Junos `set`/`delete`/`deactivate` statement, from the command line or the configuration audit.
    private mutating func junosStatement(device: String, user: String, verb: String, statement: [String], time: Date?, evidence: Evidence,
                                         into result: inout ReadResult) {
        let text = "\(verb) \(statement.joined(separator: " "))"
        // The configuration audit may log the same statement as the command line (before or after it,
        // within the minutes to the commit); the same statement much later is a new change.
        let key = "\(device)|\(user)|\(text)"
        if let seen = countedJunos[key], let time, abs(time.timeIntervalSince(seen)) <= 900 { return }
        countedJunos[key] = time ?? .distantPast
        if DeviceActivity.tampersWithLogging(text) {
            result.deviceActivity.append(DeviceActivity(platform: .junos, device: device, time: time, actor: Actor(name: user, type: actorType),
                                                        kind: .loggingTampered(text), evidence: evidence))
        }
        var config = junos[device] ?? JunosMirroringConfig(device: device)
        // `delete forwarding-options`, `delete forwarding-options analyzer`: every session under it goes.
        if verb == "delete" || verb == "deactivate", statement.first == "forwarding-options",
           statement.count == 1 || (statement.count == 2 && ["analyzer", "port-mirroring"].contains(statement[1])) {
            for key in config.keys where statement.count == 1 || key.hasPrefix(statement[1]) {
                config.remove(key)
                result.report.relevant += 1
                result.changes.append(change(platform: .junos, device: device, id: "\(device):\(key)", action: .delete, spec: MirrorSpec(), command: text,
                                             user: user, ip: nil, time: time, evidence: evidence, upsert: false,
                                             kind: key.hasPrefix("analyzer") ? .analyzer : .portMirroring))
            }
            junos[device] = config
            return
        }
        guard let session = JunosMirroringConfig.sessionKey(statement) else { return }
        let before = config.session(session)
        let id = "\(device):\(session)"
        let kind: MirrorResourceKind = session.hasPrefix("analyzer") ? .analyzer : .portMirroring
        result.report.relevant += 1
        if verb == "delete" || verb == "deactivate" {
            // The session itself: `... port-mirroring` (default), `... port-mirroring instance NAME`, `... analyzer NAME`.
            let wholeLength = session == "port-mirroring default" ? 2 : session.hasPrefix("port-mirroring") ? 4 : 3
            if statement.count <= wholeLength {
                config.remove(session)
                junos[device] = config
                result.changes.append(change(platform: .junos, device: device, id: id, action: .delete, spec: MirrorSpec(), command: text,
                                             user: user, ip: nil, time: time, evidence: evidence, upsert: false, kind: kind))
                return
            }
            config.removePart(session, statement: statement)
            junos[device] = config
            guard let after = config.session(session) else { return }
            let spec = Self.delta(sources: (before?.sources, after.sources), destinations: (before?.destinations, after.destinations),
                                  off: (before?.disabled, after.disabled))
            result.changes.append(change(platform: .junos, device: device, id: id, action: .modify, spec: spec, command: text,
                                         user: user, ip: nil, time: time, evidence: evidence, upsert: true, kind: kind))
            return
        }
        config.feed(statement, line: evidence.line ?? 0)
        junos[device] = config
        guard let after = config.session(session) else { return }
        let spec = Self.delta(sources: (before?.sources, after.sources), destinations: (before?.destinations, after.destinations),
                              off: (before?.disabled, after.disabled))
        result.changes.append(change(platform: .junos, device: device, id: id, action: before == nil ? .create : .modify, spec: spec,
                                     command: "\(verb) \(statement.joined(separator: " "))", user: user, ip: nil, time: time, evidence: evidence,
                                     upsert: true, kind: kind))
    }

    /// The configuration audit: `UI_CFG_AUDIT_SET: User 'bob' set: [forwarding-options analyzer x output interface]
    /// unconfigured -- "ge-0/0/9.0"` (a new value), `"old" -- "new"` (a change; some releases write `->`),
    /// `UI_CFG_AUDIT_OTHER: User 'bob' delete: [forwarding-options analyzer x]`, or the RFC 5424 form with
    /// `action`, `pathname` and `value` parameters. A statement the command line also logged counts once.
    private mutating func junosAudit(_ line: SyslogLine, device: String, evidence: Evidence, into result: inout ReadResult) {
        let message = line.message
        guard let user = line.junosUser else {
            result.report.problem(evidence.position, "UI_CFG_AUDIT line without user"); return
        }
        var statement: [String]
        var deleting: Bool
        var value: String?
        if let path = line.parameters["pathname"] {
            statement = JunosConfigText.words(Substring(path.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))))
            deleting = line.parameters["action"]?.lowercased().contains("delete") == true
            value = line.parameters["value"]
        } else {
            // The path follows the user (`mgd[77]:` before it is the process id).
            let afterUser = message.range(of: "User '").map { message[$0.upperBound...] } ?? message
            guard let open = afterUser.firstIndex(of: "["), let close = afterUser[open...].firstIndex(of: "]") else {
                result.report.problem(evidence.position, "UI_CFG_AUDIT line without a configuration path"); return
            }
            statement = JunosConfigText.words(afterUser[afterUser.index(after: open)..<close])
            deleting = afterUser[..<open].contains("delete:")
            let after = afterUser[afterUser.index(after: close)...]
            if !deleting, let arrow = after.range(of: " -- ", options: .backwards) ?? after.range(of: "->", options: .backwards) {
                value = after[arrow.upperBound...].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        if let value, !value.isEmpty, value != "<unconfigured>", value != "unconfigured" { statement.append(value) }
        let verb = deleting ? "delete" : "set"
        result.deviceActivity.append(DeviceActivity(platform: .junos, device: device, time: line.time, actor: Actor(name: user, type: actorType),
                                                    kind: .commandLogged, evidence: evidence))
        junosStatement(device: device, user: user, verb: verb, statement: statement, time: line.time, evidence: evidence, into: &result)
    }

    // MARK: TACACS+

    /// tac_plus accounting: `Nov  3 10:15:01<TAB>10.0.0.5<TAB>mallory<TAB>tty1<TAB>198.51.100.23<TAB>stop<TAB>task_id=5<TAB>...<TAB>cmd=monitor session 3 ... <cr>`.
    private mutating func tacPlus(_ raw: Substring, evidence: Evidence, into result: inout ReadResult) {
        let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 6, let cmd = fields.first(where: { $0.hasPrefix("cmd=") }) else {
            result.report.problem(evidence.position, "TACACS+ accounting line without device, user or command"); return
        }
        let device = String(fields[1]), user = String(fields[2])
        let time = SyslogLine.bsdTime(fields[0], year: year)?.0 ?? Timestamp.parse(String(fields[0]))
        let command = Self.cleanTacacsCommand(String(cmd.dropFirst(4)))
        guard !command.isEmpty else { return }
        // Junos devices account their CLI through `process*mgd[...]` with `set`/`delete` statements.
        if fields.contains(where: { $0.contains("process*mgd") }) || ["set ", "delete ", "deactivate "].contains(where: { command.hasPrefix($0) }) {
            actorType = "tacacs-user"
            defer { actorType = "device-user" }
            junosCommand(device: device, user: user, pid: nil, command: command, time: time, evidence: evidence, into: &result)
            return
        }
        cisco(device: device, platform: .ciscoIOS, user: user, ip: fields[4].isEmpty ? nil : String(fields[4]), commands: [command], time: time,
              evidence: evidence, into: &result, viaTacacs: true)
    }

    /// Cisco ISE splits long records: `CISE_TACACS_Accounting <id> <segments> <n> <text>`. Segments are
    /// gathered by id and the record is read when all have arrived.
    private mutating func iseSegment(_ raw: Substring, time: Date?, evidence: Evidence, into result: inout ReadResult) {
        guard let tag = raw.range(of: "CISE_TACACS_Accounting ") else { return }
        let fields = raw[tag.upperBound...].split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard fields.count == 4, let total = Int(fields[1]), let number = Int(fields[2]), total > 1 else {
            ise(raw, time: time, evidence: evidence, into: &result)
            return
        }
        let id = String(fields[0])
        var parts = iseParts[id] ?? [:]
        parts[number] = String(fields[3])
        if parts.count == total {
            iseParts[id] = nil
            let whole = (0..<total).compactMap { parts[$0] }.joined()
            ise(Substring("CISE_TACACS_Accounting \(id) 1 0 " + whole), time: time, evidence: evidence, into: &result)
        } else {
            iseParts[id] = parts
        }
    }

    /// Cisco ISE `CISE_TACACS_Accounting ... User=mallory, ..., NetworkDeviceName=core-sw1, ..., CmdSet=[ CmdAV=monitor session 3 ... <cr> ], ..., Remote-Address=198.51.100.23`.
    private mutating func ise(_ raw: Substring, time: Date?, evidence: Evidence, into result: inout ReadResult) {
        guard let user = field(raw, after: "User=", until: ","), let cmdSet = field(raw, after: "CmdSet=[", until: "]") else {
            result.report.problem(evidence.position, "ISE TACACS accounting without user or command"); return
        }
        let device = field(raw, after: "NetworkDeviceName=", until: ",") ?? field(raw, after: "Device IP Address=", until: ",") ?? fallbackDevice
        let command = Self.cleanTacacsCommand(cmdSet.replacingOccurrences(of: "CmdAV=", with: ""))
        guard !command.isEmpty else { return }
        // ISE records carry their own time after the sequence fields: `2026-11-03 10:15:01.123 +00:00`.
        let ownTime = raw.range(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [+-]\d{2}:\d{2}"#, options: .regularExpression)
            .flatMap { Timestamp.parse(String(raw[$0])) }
        cisco(device: device, platform: .ciscoIOS, user: user, ip: field(raw, after: "Remote-Address=", until: ","), commands: [command],
              time: ownTime ?? time, evidence: evidence, into: &result, viaTacacs: true)
    }

    /// ISE `Passed Authentications` for device administration: who logged in to which device, from where.
    private mutating func iseAuthentication(_ raw: Substring, time: Date?, evidence: Evidence, into result: inout ReadResult) {
        guard let user = field(raw, after: "UserName=", until: ",") ?? field(raw, after: "User=", until: ","),
              let device = field(raw, after: "NetworkDeviceName=", until: ",") ?? field(raw, after: "Device IP Address=", until: ",") else {
            result.report.problem(evidence.position, "ISE authentication without user or device"); return
        }
        let ownTime = raw.range(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [+-]\d{2}:\d{2}"#, options: .regularExpression)
            .flatMap { Timestamp.parse(String(raw[$0])) }
        guard let when = ownTime ?? time else { return }
        result.report.relevant += 1
        result.authEvents.append(AuthEvent(kind: .deviceLogin, operation: "CISE_Passed_Authentications", platform: .ciscoIOS, scope: Scope(device: device), time: when,
                                           principal: user, sourceIP: field(raw, after: "Remote-Address=", until: ","),
                                           evidence: evidence))
    }

    /// TACACS+ command AVs end with `<cr>` and may quote arguments.
    static func cleanTacacsCommand(_ text: String) -> String {
        var command = text.trimmingCharacters(in: .whitespaces)
        if command.hasSuffix("<cr>") { command = String(command.dropLast(4)).trimmingCharacters(in: .whitespaces) }
        return command
    }

    /// What one command changed in a session (any vendor): sources added (or the whole list, when some
    /// went), the destination list when it changed, and the switch (on creation, or when it flips).
    static func delta(sources: (before: [Endpoint]?, after: [Endpoint]), destinations: (before: [Endpoint]?, after: [Endpoint]),
                      off: (before: Bool?, after: Bool)) -> MirrorSpec {
        var spec = MirrorSpec()
        let old = sources.before ?? []
        let removed = old.contains { gone in !sources.after.contains { $0.id == gone.id } }
        if removed {
            spec.sources = sources.after
        } else {
            spec.sources = sources.after.filter { added in !old.contains { $0.id == added.id } }
            spec.sourcesAreAdditions = true
        }
        setDestinations(destinations.after, before: destinations.before ?? [], in: &spec)
        if off.before == nil || off.after != off.before { spec.enabled = !off.after }
        return spec
    }

    /// The destination list after a command, when it differs from before: the first is the
    /// session's destination, the rest its other destinations, and the list replaces the old one.
    static func setDestinations(_ after: [Endpoint], before: [Endpoint], in spec: inout MirrorSpec) {
        guard after.map(\.id) != before.map(\.id) else { return }
        spec.destination = after.first
        spec.otherDestinations = Array(after.dropFirst())
        spec.destinationsChanged = true
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
            actor: Actor(name: user, type: actorType, sourceIP: ip), operation: command, action: action, outcome: .success,
            resourceKind: kind, resourceId: id, spec: spec,
            // The same line relayed twice is one change.
            eventId: "\(id)|\(time.map(Timestamp.format) ?? "")|\(user)|\(command)", evidence: evidence)
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
