package reports

// LiveTrial is one trial of a live run (leasesim live etcd --out) in the report's "Live
// trials" section: its verdict, its belief overlaps (expected with etcd's client, shown
// in amber with their widths) apart from its judged findings (effective overlaps and any
// other, in red), and its timeline.
type LiveTrial struct {
	Scenario string
	Trial    int
	Seed     uint64
	// Verdict is the trial's verdict: ok, violated or unknown.
	Verdict string
	// Belief are the belief overlaps; Judged the effective overlaps and other findings.
	Belief []LiveWindow
	Judged []LiveWindow
	// Failure is set when the trial has a failure bundle (in the Failures section, with
	// its timeline); TimelineSVG is inlined only for the other trials that have belief
	// overlaps to show.
	Failure     bool
	TimelineSVG []byte
	Links       []Link
}

// LiveWindow is one finding of a live trial, formatted for people.
type LiveWindow struct {
	// Holders are the holders involved, comma-separated; At is when it starts and Width
	// its length, both as durations since the trial started; Detail the checker's
	// sentence.
	Holders, At, Width, Detail string
}
