/// RFC 4180 CSV (and tab-separated) rows with the line each starts on. Quoted fields may hold
/// separators, doubled quotes and newlines; an unterminated quote is reported, not fatal.
///
/// Reads a whole input at once (`parse(_:)`) or window by window (`parse(_:isLast:onRow:onProblem:)`),
/// each window taken up to the end of its last complete row, so a row (even one whose quoted field
/// spans lines) is never cut: a row the window's end leaves open is read again, whole, from the
/// start of the next window.
public struct CSVParser {
    public struct Row: Sendable {
        public var fields: [String]
        public var line: Int
    }

    public struct Problem: Sendable {
        public var line: Int
        public var reason: String
    }

    /// A quoted field longer than this is taken for damage (a stray quote), like one that never closes:
    /// reading it to the input's end would hold the rest of the input in one field.
    public static let maximumQuotedField = 1 << 20

    /// The separator, chosen on the first line: `,` unless it has more tabs than commas.
    private var separator: UInt8? = nil
    /// The line the next window starts on.
    private var line = 1

    public init() {}

    /// Splits `bytes` into rows.
    public static func parse(_ bytes: [UInt8]) -> (rows: [Row], problems: [Problem]) {
        var rows: [Row] = []
        var problems: [Problem] = []
        var parser = CSVParser()
        bytes.withUnsafeBytes { _ = parser.parse($0, isLast: true, onRow: { rows.append($0) }, onProblem: { problems.append($0) }) }
        return (rows, problems)
    }

    /// Parses the rows of one window of an input, which starts where the previous window's
    /// consumed part ended. Returns how many bytes it consumed: through the end of the last complete
    /// row, or all of them when `isLast` (a row left open there is reported or ended).
    public mutating func parse(_ bytes: UnsafeRawBufferPointer, isLast: Bool, onRow: (Row) -> Void, onProblem: (Problem) -> Void) -> Int {
        var start = 0
        if separator == nil {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            let firstLine = UnsafeRawBufferPointer(rebasing: bytes[start...])
            let lineEnd = firstLine.firstIndex(of: 0x0A) ?? firstLine.count
            guard lineEnd < firstLine.count || isLast else { return 0 }
            let commas = firstLine[..<lineEnd].filter { $0 == 0x2C }.count
            let tabs = firstLine[..<lineEnd].filter { $0 == 0x09 }.count
            separator = tabs > commas ? 0x09 : 0x2C
        }
        let separator = separator ?? 0x2C
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = self.line
        var rowLine = line
        var rowStart = start
        var inQuotes = false
        var quoteLine = 0
        // Where the last complete row ended, and the line after it.
        var consumed = start
        var lineAfter = line
        var i = start
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(fields: fields, line: rowLine)) }
            fields.removeAll(keepingCapacity: true)
        }
        while true {
            while i < bytes.count {
                let c = bytes[i]
                if inQuotes {
                    if field.count > Self.maximumQuotedField { break }
                    if c == 0x22 {
                        if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        inQuotes = false
                    } else {
                        if c == 0x0A { line += 1 }
                        field.append(c)
                    }
                    i += 1
                    continue
                }
                switch c {
                case 0x22 where field.isEmpty:
                    inQuotes = true
                    quoteLine = line
                case separator:
                    endField()
                case 0x0D:
                    break
                case 0x0A:
                    endRow()
                    line += 1
                    rowLine = line
                    rowStart = i + 1
                    consumed = i + 1
                    lineAfter = line
                default:
                    field.append(c)
                }
                i += 1
            }
            let overlong = inQuotes && field.count > Self.maximumQuotedField
            guard overlong || (isLast && inQuotes) else { break }
            // The input ends inside a quoted field, or the field outgrew any real one: the quote is damage.
            // Its row is skipped and reading resumes on the line after the row's first line (when that line
            // ends beyond this window, the window is read again, larger).
            let newline = UnsafeRawBufferPointer(rebasing: bytes[rowStart...]).firstIndex(of: 0x0A)
            if newline == nil, !isLast { break }
            onProblem(Problem(line: quoteLine, reason: overlong
                ? "quoted field opened here runs past \(Self.maximumQuotedField >> 20) MB without closing; row skipped, reading resumes on the next line"
                : "quoted field opened here is never closed; row skipped, reading resumes on the next line"))
            fields.removeAll()
            field.removeAll()
            inQuotes = false
            guard let newline else { i = bytes.count; break }
            i = rowStart + newline + 1
            rowStart = i
            line = rowLine + 1
            rowLine = line
            consumed = i
            lineAfter = line
        }
        guard isLast else {
            for row in rows { onRow(row) }
            self.line = lineAfter
            return consumed
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        for row in rows { onRow(row) }
        self.line = line
        return bytes.count
    }
}
