package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		return &cobra.Command{
			Use:   "list",
			Short: "Protocols, their parameters and mutants, and the built-in scenarios",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				w := cmd.OutOrStdout()
				fmt.Fprintln(w, "PROTOCOLS")
				for _, p := range model.Protocols() {
					issuers := "1 issuer"
					if p.MaxIssuers > 1 {
						issuers = fmt.Sprintf("1..%d issuers", p.MaxIssuers)
					}
					fmt.Fprintf(w, "\n%s (%s): %s\n", p.Name, issuers, firstLine(p.Doc))
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "  param\ttype\tdefault\tmeaning")
					for _, prm := range p.AllParams() {
						kind := prm.Kind.String()
						if prm.Kind == model.Enum {
							kind = strings.Join(prm.Values, "|")
						}
						fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", prm.Name, kind, prm.Default, prm.Doc)
					}
					tw.Flush()
					if len(p.Mutants) > 0 {
						fmt.Fprintln(w, "  mutants:")
						for _, m := range p.Mutants {
							fmt.Fprintf(w, "    %-32s breaks %s: %s\n", m.Name, m.Breaks, m.Doc)
						}
					}
				}
				fmt.Fprintln(w, "\nBUILT-IN SCENARIOS (leasesim suite runs them all; leasesim run NAME runs one)")
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				for _, n := range catalog.Names() {
					l, err := loadScenario(catalog.Prefix + n)
					if err != nil {
						fmt.Fprintf(tw, "  %s\tERROR: %v\n", strings.TrimSuffix(n, ".yaml"), err)
						continue
					}
					proto := l.sc.Protocol
					if l.sc.Mutant != "" {
						proto += "/" + l.sc.Mutant
					}
					fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.sc.Name, proto, firstLine(l.sc.Description))
				}
				return tw.Flush()
			},
		}
	})
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}
