// Package mdblock finds and replaces generated blocks in Markdown files: a block starts
// with a line beginning "<!-- PREFIX:ID begin" and ends with the line
// "<!-- PREFIX:ID end -->". scripts/readmetables (the README's tables) and
// scripts/benchtables (BENCHMARKS.md's) write their tables between such markers.
//
// It is not a Markdown parser: it knows only the marker lines, and reports a missing,
// repeated or misordered marker as an error naming the file and line.
package mdblock
