import Foundation

/// The engine: inputs → readers → normalized records → state → rules → findings.
///
/// Inputs are read in parallel (at most `parallelism` at a time, so memory stays bounded by a
/// few inputs' size); everything after reading is ordered by time and input position, so the
/// findings are the same whatever the core count.
public enum Scanner {
    public static func scan(_ options: ScanOptions) async -> ScanResult {
        let results = await readAll(options)
        if options.endsProcess { ProcessLifetime.keep(results) }
        return evaluate(results, options: options)
    }

    /// Reads every input, in parallel, returning results in input order.
    public static func readAll(_ options: ScanOptions) async -> [ReadResult] {
        let (files, pathIssues) = InputSource.expand(options.paths)
        let tracker = options.progress.map { ProgressTracker(inputs: files.count, tell: $0) }
        let readerOptions = { var reading = Self.readerOptions(options.policy); reading.meter = tracker?.meter; return reading }()
        // Between inputs, progress from the meter, so a single large input moves too. On a timer of
        // its own: readers keep every thread of the concurrency pool busy while they read.
        let ticker = tracker?.startTicking(every: options.progressInterval)
        defer {
            ticker?.cancel()
            tracker?.stop()
        }
        var ordered = [ReadResult?](repeating: nil, count: files.count)
        await withTaskGroup(of: (Int, ReadResult).self) { group in
            var next = 0
            func launch() {
                guard next < files.count else { return }
                let index = next, file = files[index], kind = options.forcedKind
                next += 1
                group.addTask { (index, InputReader.read(path: file, as: kind, options: readerOptions)) }
            }
            for _ in 0..<options.parallelism { launch() }
            while let (index, result) = await group.next() {
                ordered[index] = result
                launch()
                tracker?.finished(records: result.report.records)
            }
        }
        var results = ordered.compactMap { $0 }
        if !pathIssues.isEmpty {
            for issue in pathIssues {
                var report = InputReport(input: issue.input, format: "missing")
                report.issues.append(issue)
                results.append(ReadResult(report: report))
            }
        }
        return results
    }

    /// What readers take from the policy: the time zone for zone-less times, mirror ports and the internal address space.
    public static func readerOptions(_ policy: Policy) -> ReaderOptions {
        var options = ReaderOptions(defaultTimeZone: policy.changeControl.timeZone)
        let organization = policy.organization
        options.mirrorPorts = Set(policy.flows.vxlanPorts + policy.flows.genevePorts)
        options.isInternalAddress = { organization.isInternal($0) }
        return options
    }

    /// Builds state from the read records, replays changes and runs the rules.
    public static func evaluate(_ results: [ReadResult], options: ScanOptions) -> ScanResult {
        var graph = MirrorGraph()
        var tickets = TicketIndex()
        var changes: [MirrorChange] = []
        for result in results {
            result.assets.forEach { graph.add($0) }
            result.tickets.forEach { tickets.add($0) }
            changes.append(contentsOf: result.changes)
        }
        // Later snapshots of a scope already read are changes, not starting state.
        let snapshots = SnapshotDiffer.diff(results)
        changes += snapshots.changes
        // The same record read twice counts once; the entries of one operation become one change.
        changes.sort { ($0.time, $0.evidence) < ($1.time, $1.evidence) }
        changes = Self.creationsFirstWithinASecond(changes)
        var seenEvents = Set<String>()
        let deduplicated = changes.filter { change in change.eventId.map { seenEvents.insert($0).inserted } ?? true }
        let unique = LocalAccounts.mark(ChangeCoalescer.coalesce(deduplicated), activity: results.flatMap(\.deviceActivity))
        // Snapshots are the state before the replayed changes, except for what the changes
        // themselves create: ids are never reused, so an object created in the logs did not
        // exist before, whenever the snapshot was taken.
        let created = Set(unique.filter { $0.action == .create && !$0.isUpsert && $0.outcome.succeeded && $0.outcomeIsFinal }.compactMap(\.resourceId))
        var firstChange: [String: Date] = [:]
        for change in unique { if let id = change.resourceId, firstChange[id].map({ change.time < $0 }) ?? true { firstChange[id] = change.time } }
        let balancerChanges = BalancerReplay(results)
        for (index, result) in results.enumerated() where !snapshots.later.contains(index) {
            result.targets.filter { !created.contains($0.id) }.forEach { graph.add($0) }
            result.filters.filter { !created.contains($0.id) }.forEach { graph.add($0) }
            let takenAt = SnapshotDiffer.pathTime(result.report.input)
            // A snapshot known (by the date in its name) to be later than logged changes of a
            // session shows their result, not the state before them: the logs rebuild it.
            func changedBefore(_ id: String) -> Bool { takenAt.map { taken in firstChange[id].map { $0 < taken } ?? false } ?? false }
            result.sessions.filter { !created.contains($0.id) && !changedBefore($0.id) }.forEach { session in
                var session = session
                session.takenAt = takenAt
                graph.add(session)
            }
            result.sessionLists.forEach { graph.noteSessionList($0) }
            result.targetGroups.compactMap { balancerChanges.stateBefore($0, listedAt: takenAt) }.forEach { graph.add($0) }
        }
        // Endpoint services with logged changes start as they were before the logs, before anything is replayed.
        balancerChanges.seedServices(into: &graph)

        // Findings about live state are stamped with the latest time the inputs show (the last
        // change or the newest snapshot file), not the wall clock, so their ids stay stable.
        let snapshotTimes = results.filter { !$0.sessions.isEmpty || !$0.targets.isEmpty || !$0.filters.isEmpty || !$0.sessionLists.isEmpty }
            .map { SnapshotDiffer.time(of: $0.report) }.filter { $0 != .distantPast }
        let latest = (snapshotTimes + unique.map(\.time)).max()
        let context = RuleContext(policy: options.policy, observationTime: options.observationTime ?? latest ?? options.now, now: options.now)
        let access = AccessMerger.merge(results)
        // Replaying the changes through the graph, and what does not depend on the graph (device
        // and logging coverage, least privilege, the coverage matrix), side by side.
        let (replayed, independent) = sideBySide(concurrently: options.parallelism > 1, {
            let identities = IdentityResolver(authEventsByInput: results.map(\.authEvents), changes: unique, policy: options.policy,
                                              credentials: access.credentials)
            let engine = RuleEngine(context: context, tickets: tickets, identities: identities)
            var graph = graph
            var findings: [Finding] = []
            // Dated complete session lists, checked against the replay when it reaches their date.
            var checkpoints = SnapshotCheckpoint.collect(results)[...]
            let logged = SnapshotCheckpoint.Logged.byId(unique)
            // Load balancer changes replayed among them, up to each list's date and each change's time.
            var balancers = balancerChanges
            func check(upTo time: Date?) {
                while let checkpoint = checkpoints.first, time.map({ checkpoint.time <= $0 }) ?? true {
                    checkpoints.removeFirst()
                    findings += balancers.replay(before: checkpoint.time, into: &graph, engine: engine)
                    findings += checkpoint.reconcile(&graph, logged: logged, engine: engine)
                }
            }
            for var change in unique {
                check(upTo: change.time)
                findings += balancers.replay(before: change.time, into: &graph, engine: engine)
                if change.isUpsert { change.action = graph.contains(change.resourceKind, change.resourceId) ? .modify : .create }
                let applied = graph.apply(change)
                findings += engine.evaluate(change, applied: applied, graph: graph)
            }
            check(upTo: nil)
            findings += balancers.replay(before: nil, into: &graph, engine: engine)
            findings += engine.evaluateState(graph)
            return (engine: engine, graph: graph, findings: findings)
        }, {
            let devices = CoverageRules.evaluate(results.flatMap(\.deviceActivity), context: context)
            // One change per event id (the same record in overlapping exports), copied only once kept.
            var seenLogging = Set<String>()
            var logging: [LoggingChange] = []
            for result in results {
                for change in result.loggingChanges where change.eventId.map({ seenLogging.insert($0).inserted }) ?? true { logging.append(change) }
            }
            let loggingFindings = CoverageRules.evaluate(logging: logging, context: context)
            // Least privilege and coverage: what the IAM exports allow, what the telemetry shows.
            let verdicts = AccessEvaluator(facts: access).evaluate()
            let accessFindings = AccessRules.evaluate(verdicts, context: context)
            let coverage = CoverageMatrix.build(TelemetryCollector.collect(results), policy: options.policy)
            let loggingConfigs = results.flatMap(\.loggingConfigs)
            let gaps = CoverageGapRules.evaluate(coverage, configs: loggingConfigs, context: context)
            return (coverageFindings: devices + loggingFindings, verdicts: verdicts, accessFindings: accessFindings,
                    coverage: coverage, loggingConfigs: loggingConfigs, gaps: gaps)
        })
        let engine = replayed.engine
        // Its identity index holds every sign-in and role assumption read.
        if options.endsProcess { ProcessLifetime.keep(engine) }
        graph = replayed.graph
        // In the order the rules have always been applied (the final sort is stable).
        var findings = replayed.findings + independent.coverageFindings
        let flows = results.flatMap(\.flows)
        engine.evaluateFlows(flows, graph: graph, findings: &findings)
        findings += independent.accessFindings
        findings += independent.gaps
        let verdicts = independent.verdicts, coverage = independent.coverage, loggingConfigs = independent.loggingConfigs
        let outcome = engine.finish(findings)
        var result = ScanResult(findings: outcome.findings, reports: results.map(\.report), graph: graph, changes: unique.count,
                                duplicateChanges: changes.count - deduplicated.count, unusedExceptions: outcome.unused)
        result.authEvents = results.reduce(0) { $0 + $1.authEvents.count }
        result.flows = flows.count
        result.correlatedFindings = ChangeCorrelator.correlate(result.findings)
        result.access = verdicts
        result.coverage = coverage
        result.loggingConfigs = loggingConfigs
        return result
    }

    /// Logs give times to the second, so records of one second in different files are ordered by
    /// file name: a session created and deleted within a second could be replayed deleted first
    /// (and stay live). Within each second, an object created in one file and deleted in another is
    /// created first and deleted last; within one file the records keep their order (a device may
    /// remove a session and configure one of the same number in one second), and so does everything else.
    static func creationsFirstWithinASecond(_ changes: [MirrorChange]) -> [MirrorChange] {
        var result: [MirrorChange] = []
        result.reserveCapacity(changes.count)
        var start = 0
        while start < changes.count {
            var end = start + 1
            while end < changes.count && changes[end].time == changes[start].time { end += 1 }
            let run = changes[start..<end]
            var createdIn: [String: Set<String>] = [:], deletedIn: [String: Set<String>] = [:]
            for change in run {
                guard let id = change.resourceId else { continue }
                if change.action == .create { createdIn[id, default: []].insert(change.evidence.input) }
                if change.action == .delete { deletedIn[id, default: []].insert(change.evidence.input) }
            }
            let both = Set(createdIn.keys.filter { id in deletedIn[id].map { $0 != createdIn[id] } ?? false })
            if both.isEmpty {
                result += run
            } else {
                func rank(_ change: MirrorChange) -> Int {
                    guard let id = change.resourceId, both.contains(id) else { return 1 }
                    return change.action == .create ? 0 : change.action == .delete ? 2 : 1
                }
                result += run.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
            }
            start = end
        }
        return result
    }
}
