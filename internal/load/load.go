package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/leasesim/leasesim/scenarios"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// Source is a scenario with where it came from and its exact bytes.
type Source struct {
	Scenario *scenarios.Scenario
	// File is a path, or builtin:NAME.yaml.
	File string
	Data []byte
}

// Scenario reads a scenario from a file, or from the built-in catalog when arg names
// one and no such file exists. Every error is the input's: it names the file (and the
// line and field for a bad scenario).
func Scenario(arg string) (*Source, error) {
	data, err := os.ReadFile(arg)
	file := arg
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		name := strings.TrimPrefix(arg, catalog.Prefix)
		if !strings.HasSuffix(name, ".yaml") {
			name += ".yaml"
		}
		b, cerr := catalog.Read(name)
		if cerr != nil {
			return nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name (see leasesim list)", arg)
		}
		data, file = b, catalog.Prefix+name
	}
	sc, err := scenarios.Parse(data, file)
	if err != nil {
		return nil, err
	}
	return &Source{Scenario: sc, File: file, Data: data}, nil
}

// Paths loads every scenario named by paths (files, or directories searched for *.yaml,
// *.yml and *.json, in name order), or the whole built-in catalog when there are none.
// Errors are collected per file, so that one bad file is reported with the others.
func Paths(paths []string) ([]*Source, []error) {
	files, errs := expand(paths)
	var out []*Source
	for _, f := range files {
		s, err := Scenario(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	return out, errs
}

// expand lists the files paths name: the catalog's when there are none, each
// directory's scenario files. An unreadable directory or file is reported, not skipped.
func expand(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	if len(paths) == 0 {
		for _, n := range catalog.Names() {
			files = append(files, catalog.Prefix+n)
		}
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				errs = append(errs, err)
			case !d.IsDir() && slices.Contains([]string{".yaml", ".yml", ".json"}, filepath.Ext(path)):
				found = append(found, path)
			}
			return nil
		})
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, errs
}
