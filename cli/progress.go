package cli

import "github.com/spf13/cobra"

// progressQuiet is the root's --quiet flag: no progress output at all (the commands
// pass it to progress.New).
var progressQuiet bool

// addProgressFlags registers --quiet on the root command (every subcommand inherits it).
func addProgressFlags(root *cobra.Command) {
	root.PersistentFlags().BoolVarP(&progressQuiet, "quiet", "q", false,
		"print no progress on stderr (results and errors are still printed)")
}
