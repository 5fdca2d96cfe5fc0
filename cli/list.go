package cli

import (
	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/internal/listing"
)

func newListCmd() *cobra.Command {
	var show string
	cmd := &cobra.Command{
		Use:   "list [--show NAME]",
		Short: "Protocols, their parameters and mutants, and the built-in scenarios",
		Long:  longHelp("list"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if show != "" {
				if err := listing.Show(w, show); err != nil {
					return exit.Bad("%v", err)
				}
				return nil
			}
			listing.Protocols(w)
			listing.Scenarios(w)
			return nil
		},
	}
	cmd.Flags().StringVar(&show, "show", "", "print the built-in scenario NAME in full (its YAML file)")
	return cmd
}
