//go:build !race

package modeltest

// raceDetector reports whether the tests were built with -race.
const raceDetector = false
