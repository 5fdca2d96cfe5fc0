// Package outdir prepares the directories and files a command writes before any work
// starts: it creates them, proves they are writable, and takes a lock so that two
// leasesim processes never write one directory at once. It is not a file format: what
// goes in the directory is the caller's business.
package outdir
