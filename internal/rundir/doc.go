// Package rundir writes what a person needs to understand one run into a directory:
// result.json (verdict, findings, metrics, how each property was checked),
// history.jsonl, the transcript when there is one, the timeline (timeline.svg and .txt,
// and finding-timeline.svg zoomed on the finding that matters most), porcupine's view of the first
// P1 findings and, with findings, the space-time diagram (spacetime.svg). `leasesim run
// --out`, `check --out`, failure bundles, explore and live trials all write this layout.
//
// Every file is written atomically (WriteFile: a temporary file and a rename), so that
// an interrupted command never leaves a half-written one.
package rundir
