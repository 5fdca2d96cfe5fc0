package cli

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/live"
)

// newLiveHolderCmd is the hidden command a holder process of `leasesim live etcd` runs.
func newLiveHolderCmd() *cobra.Command {
	return &cobra.Command{
		Use:                live.HolderSubcommand,
		Short:              "internal: one holder process of `leasesim live etcd`",
		Hidden:             true,
		DisableFlagParsing: true,
		Run: func(cmd *cobra.Command, args []string) {
			os.Exit(live.HolderMain(args))
		},
	}
}
