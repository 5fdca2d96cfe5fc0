// Package liverun is what `leasesim live etcd` does around package live's trials: it
// turns a scenario into the live configuration (its holders and fault plan, and with an
// etcd scenario the same plan simulated alongside, with the scenario's TTL and length),
// writes each trial's run directory as it finishes (failures/trial-N with a bundle.json
// for a trial with a judged finding, trials/trial-N otherwise) with trials.jsonl and the
// suite-style result of the trials so far, sums the trials up (live.Summary), prints
// them and gives the command's exit (Command, Exit), and reads a live run directory back
// for the report's "Live trials" section.
//
// The verdict is the checker's (live.Judge): belief overlaps — the checker's P1
// windows, two holders that both believed they led — are reported, not judged; every
// other finding is.
package liverun
