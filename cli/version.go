package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/buildinfo"
)

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
