package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"main module, tagged", debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "v0.3.0"}}, "v0.3.0"},
		{"main module, source tree", debug.BuildInfo{Main: debug.Module{Path: ModulePath, Version: "(devel)"}, Settings: rev}, "devel abc123+modified"},
		{"dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/mylock"}, Settings: rev,
			Deps: []*debug.Module{{Path: "other"}, {Path: ModulePath, Version: "v0.2.1"}}}, "v0.2.1"},
		{"replaced dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/mylock"},
			Deps: []*debug.Module{{Path: ModulePath, Version: "v0.0.0", Replace: &debug.Module{Path: "../.."}}}}, "devel"},
		{"not linked", debug.BuildInfo{Main: debug.Module{Path: "example.com/x", Version: "v1.0.0"}}, "devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fromBuildInfo(&tt.bi).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
