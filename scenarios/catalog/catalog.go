// Package catalog is leasesim's built-in scenario catalog: the YAML files in this
// directory, embedded in the binary. `leasesim suite` with no paths runs them all and
// `leasesim list` lists them. It holds files only; parsing is package scenarios'.
package catalog

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Prefix marks a built-in scenario's path in results and reproduce commands:
// "builtin:lease-cut.yaml".
const Prefix = "builtin:"

// Names returns the catalog's file names, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Read returns the content of a catalog file by name ("lease-cut.yaml", with or without
// the builtin: prefix).
func Read(name string) ([]byte, error) {
	return files.ReadFile(strings.TrimPrefix(name, Prefix))
}
