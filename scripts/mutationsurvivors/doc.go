// Command mutationsurvivors reads gremlins' JSON reports (gremlins unleash -o FILE) and
// compares the mutants that survived with the committed list of known survivors
// (docs/mutation-survivors.txt). scripts/mutation.sh runs it; see docs/mutation.md.
//
// Usage:
//
//	go run ./scripts/mutationsurvivors [-known FILE] [-write] PKGDIR=REPORT.json ...
//
// PKGDIR is the package directory gremlins was run on (model/lease), relative to the
// module root, and REPORT.json its report. The command prints the counts per status and
// every survivor. With -known it fails (exit 1) when a mutant survives that the file does
// not list, and notes the listed ones that no longer survive (or were not run). With
// -write it prints the survivors in the file's format instead, for pasting after review.
//
// A survivor is named by its file, its mutator type, the source line's text and the
// mutant's column within that text, not by line number, so that edits elsewhere in the
// file do not turn known survivors into new ones. The known-survivors file holds one
// survivor per line, its fields separated by tabs:
//
//	FILE	TYPE	COLUMN	SOURCE LINE	WHY IT IS KNOWN (equivalent, or why it is left)
//
// Blank lines and lines starting with # are comments.
package main
