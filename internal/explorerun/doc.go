// Package explorerun is what `leasesim explore` makes of explore.Search's answer: the
// minimal scenario, its replayed run directory and summary.json written (WriteFound),
// and the summary printed as a few lines or one JSON object (Print). The command parses
// the flags and runs the search.
package explorerun
