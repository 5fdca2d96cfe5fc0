package buildinfo

import "runtime/debug"

// ModulePath is leasesim's module path.
const ModulePath = "github.com/leasesim/leasesim"

// Info is what the build recorded about leasesim.
type Info struct {
	// Version is the module version ("v0.3.0", a pseudo-version), or "devel" for a build
	// from a source tree (no version recorded, or a replaced module without one).
	Version string
	// Revision is the VCS revision of the build, when leasesim is the main module and
	// the build recorded it; Modified says the tree had uncommitted changes.
	Revision string
	Modified bool
	// Replaced is the directory or module leasesim was replaced by (a replace
	// directive), when it is a dependency.
	Replaced string
	// GoVersion is the Go toolchain that built the binary.
	GoVersion string
}

// Read returns what the running binary's build recorded.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "devel"}
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: "devel", GoVersion: bi.GoVersion}
	mod := &bi.Main
	if bi.Main.Path != ModulePath {
		mod = nil
		for _, d := range bi.Deps {
			if d.Path == ModulePath {
				mod = d
				break
			}
		}
		if mod == nil {
			return info
		}
		if r := mod.Replace; r != nil {
			info.Replaced = r.Path
			mod = r
		}
	} else {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if v := mod.Version; v != "" && v != "(devel)" {
		info.Version = v
	}
	return info
}

// String is the version as one line: the version, then the revision ("+modified" for a
// dirty tree) when known: "v0.3.0", "devel 1a2b3c…+modified".
func (i Info) String() string {
	v := i.Version
	if i.Revision != "" {
		v += " " + i.Revision
		if i.Modified {
			v += "+modified"
		}
	}
	return v
}

// Version is Read().String().
func Version() string { return Read().String() }
