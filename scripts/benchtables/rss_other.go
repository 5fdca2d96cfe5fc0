//go:build !unix

package main

import "os"

// maxRSS is 0: the platform does not report a process's peak resident set size here.
func maxRSS(*os.ProcessState) int64 { return 0 }
