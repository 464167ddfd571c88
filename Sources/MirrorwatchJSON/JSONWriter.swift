/// Writes JSON text without Foundation: field order is kept as written, which makes output
/// stable and diffable.
public struct JSONWriter {
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]

    public init() {}

    /// Appends `text` as a quoted, escaped JSON string.
    public static func quote(_ text: String, into out: inout String) {
        out.append("\"")
        // Most text needs no escape: copy it whole; otherwise escape scalar by scalar.
        let plain = text.utf8.withContiguousStorageIfAvailable { StringScan.firstSpecial(in: UnsafeRawBufferPointer($0), from: 0, controls: true) == $0.count }
            ?? !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 })
        if plain {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { output.append(",") }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ name: String?) {
        separator()
        if let name { Self.quote(name, into: &output); output.append(":") }
    }

    public mutating func beginObject(_ name: String? = nil) { key(name); output.append("{"); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); output.append("}") }
    public mutating func beginArray(_ name: String? = nil) { key(name); output.append("["); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); output.append("]") }

    public mutating func string(_ name: String? = nil, _ value: String?) {
        key(name)
        if let value { Self.quote(value, into: &output) } else { output.append("null") }
    }
    public mutating func int(_ name: String? = nil, _ value: Int?) {
        key(name)
        output.append(value.map(String.init) ?? "null")
    }
    public mutating func bool(_ name: String? = nil, _ value: Bool?) {
        key(name)
        output.append(value.map { $0 ? "true" : "false" } ?? "null")
    }
    public mutating func null(_ name: String? = nil) { key(name); output.append("null") }
    /// Writes a value already serialised as JSON.
    public mutating func raw(_ name: String? = nil, _ json: String) { key(name); output.append(json) }

    /// Writes a `JSONValue`.
    public mutating func value(_ name: String? = nil, _ value: JSONValue) {
        switch value {
        case .null: null(name)
        case .bool(let b): bool(name, b)
        case .number(let n): raw(name, n)
        case .string(let s): string(name, s)
        case .array(let items):
            beginArray(name); for item in items { self.value(nil, item) }; endArray()
        case .object(let members):
            beginObject(name)
            for member in members.sorted(by: { $0.key < $1.key }) { self.value(member.key, member.value) }
            endObject()
        }
    }
}
