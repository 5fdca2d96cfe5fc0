// Package transcripts keeps a readable golden transcript of every built-in scenario, so
// that a change of a protocol's behaviour shows up in review as a diff of events rather
// than as changed numbers.
//
// For each scenario of the built-in catalog, seed 1 is run and checked, and Excerpt
// turns its transcript and history into a file of a few hundred lines at most:
// the verdict, findings and metrics, how many events of each kind the run had, and the
// protocol's events around each fault, claim change and finding. The test compares the
// file with testdata/NAME.txt and, when they differ, prints the first differing lines
// with their line numbers. After an intended change, rewrite every file with
//
//	go test ./internal/transcripts -update
//
// and review the diff like any other.
package transcripts
