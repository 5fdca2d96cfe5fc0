// Package progress reports how far a long command (suite, sweep, explore, live) has
// come, on stderr: on a terminal a bar redrawn in place, elsewhere (CI logs, pipes,
// files) a plain line every 10 s with done/total, the rate, an ETA and the findings so
// far, and one closing line when at least one line was printed; nothing when quiet.
//
// A Reporter's methods may be called from any goroutine and on a nil *Reporter. New
// starts a ticker so that the output moves while one unit takes long; NewTo takes the
// writer, mode and clock, and no ticker, for tests that drive it through Step and Tick.
package progress
