// Package exit holds leasesim's process exit codes (docs/cli.md), the order in which
// they win when a command has several to report, and Error, which carries one out of a
// command to cli.Execute.
//
// Exit codes: 0 every expectation met, 1 an expectation failed or a property was
// violated, 2 bad input or usage, 3 a check could not decide (porcupine timeout), 4 an
// internal error (a run panicked: a bug to report), 130 interrupted (SIGINT or
// SIGTERM). When several apply, the first of 130, 4, 2, 1, 3 wins (Worst).
package exit
