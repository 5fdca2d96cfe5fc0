package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/buildinfo"
	"github.com/leasesim/leasesim/internal/bundle"
)

func init() {
	subcommands = append(subcommands, newVersionCmd)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print leasesim's module version and VCS revision",
		Long:  longHelp("version"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := buildinfo.Read()
			fmt.Fprintf(cmd.OutOrStdout(), "leasesim %s (%s)\n", info, info.GoVersion)
			return nil
		},
	}
}

// warnVersion tells w when the bundle at path (a directory or its bundle.json) was
// written by another leasesim version than this one: the replay may then differ for
// that reason alone. A bundle it cannot read is left to replay to report.
func warnVersion(w io.Writer, path string) {
	info, err := bundle.ReadInfo(path)
	if err != nil || info.Version == "" {
		return
	}
	if now := buildinfo.Version(); info.Version != now {
		fmt.Fprintf(w, "leasesim: warning: bundle %s was written by leasesim %s; this is %s: a difference in the replay may come from the version\n", bundle.Dir(path), info.Version, now)
	}
}
