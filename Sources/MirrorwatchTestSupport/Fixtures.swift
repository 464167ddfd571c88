@_exported import MirrorwatchExercise

// The native-format builders live in MirrorwatchExercise (they also write readiness exercises);
// the tests know them by these names.
public typealias CloudTrailFixture = CloudTrailRecords
public typealias GCPAuditFixture = GCPAuditEntries
public typealias AzureActivityFixture = AzureActivityRecords
