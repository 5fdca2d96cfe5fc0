// Package explorerun is what `leasesim explore` does around explore.Search: it runs the
// search with progress on stderr and its wall-clock budget (Search), writes what the
// search found — the minimal scenario, its replayed run directory and summary.json
// (WriteFound) — and prints the summary as a few lines or one JSON object (Print). The
// command parses the flags.
package explorerun
