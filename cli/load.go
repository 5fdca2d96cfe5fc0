package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// loaded is a scenario with where it came from and its exact bytes (copied into failure
// bundles so that a replay does not depend on the file still being there).
type loaded struct {
	sc   *scenarios.Scenario
	file string // a path, or builtin:NAME.yaml
	data []byte
}

// loadScenario reads a scenario from a file, or from the built-in catalog when arg names
// one ("lease-cut", "lease-cut.yaml" or "builtin:lease-cut.yaml") and no such file
// exists.
func loadScenario(arg string) (*loaded, error) {
	data, err := os.ReadFile(arg)
	file := arg
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, badInput("%v", err)
		}
		name := strings.TrimPrefix(arg, catalog.Prefix)
		if !strings.HasSuffix(name, ".yaml") {
			name += ".yaml"
		}
		b, cerr := catalog.Read(name)
		if cerr != nil {
			return nil, badInput("%s: no such file, and no built-in scenario of that name (see leasesim list)", arg)
		}
		data, file = b, catalog.Prefix+name
	}
	sc, err := scenarios.Parse(data, file)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return &loaded{sc: sc, file: file, data: data}, nil
}

// loadPaths loads every scenario named by paths (files, or directories searched for
// *.yaml, *.yml and *.json), or the whole built-in catalog when there are none. Errors
// are collected per file so that one bad file is reported with the others.
func loadPaths(paths []string) ([]*loaded, []error) {
	var files []string
	var errs []error
	if len(paths) == 0 {
		for _, n := range catalog.Names() {
			files = append(files, catalog.Prefix+n)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			var found []string
			filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					// An unreadable directory or file is reported, not skipped.
					errs = append(errs, badInput("%v", err))
					return nil
				}
				if !d.IsDir() {
					switch filepath.Ext(path) {
					case ".yaml", ".yml", ".json":
						found = append(found, path)
					}
				}
				return nil
			})
			sort.Strings(found)
			files = append(files, found...)
			continue
		}
		files = append(files, p)
	}
	var out []*loaded
	for _, f := range files {
		l, err := loadScenario(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, l)
	}
	return out, errs
}

// useSwarm puts every random: entry of a loaded scenario in swarm mode (--swarm). A
// scenario that changes is kept as written out with swarm: true, so that its run
// directory and failure bundle hold the scenario that ran and replay reproduces it.
func useSwarm(l *loaded) {
	for _, f := range l.sc.Faults {
		if f.Random != nil && !f.Random.Swarm {
			l.sc = l.sc.WithSwarm()
			l.data = l.sc.Marshal()
			return
		}
	}
}
