package cli

import (
	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/bundle"
)

// newReplayCmd is leasesim replay (package bundle replays).
func newReplayCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "replay DIR|FILE",
		Short: "Re-run a saved failure bit for bit",
		Long:  longHelp("replay"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle.WarnVersion(cmd.ErrOrStderr(), args[0])
			return bundle.Replay(cmd.OutOrStdout(), args[0])
		},
	}
}
