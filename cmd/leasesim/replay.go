package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/scenarios"
)

func init() {
	subcommands = append(subcommands, func() *cobra.Command {
		return &cobra.Command{
			Use:   "replay DIR|FILE",
			Short: "Re-run a saved failure bit for bit",
			Long: `replay re-runs a failure bundle (the directory suite --out or explore wrote, or its
bundle.json) from the scenario bytes it saved, and confirms that the trace hash and the
verdict are the ones recorded. Exit: the verdict's code when the run reproduces (1 for
a violation), 1 with a message when it does not, 2 for a bad bundle.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				dir := args[0]
				if st, err := os.Stat(dir); err == nil && !st.IsDir() {
					dir = filepath.Dir(dir)
				}
				raw, err := os.ReadFile(filepath.Join(dir, "bundle.json"))
				if err != nil {
					return badInput("%s is not a failure bundle: %v", args[0], err)
				}
				var info bundleInfo
				if err := json.Unmarshal(raw, &info); err != nil {
					return badInput("%s: %v", filepath.Join(dir, "bundle.json"), err)
				}
				data, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
				if err != nil {
					return badInput("bundle %s has no scenario.yaml: %v", dir, err)
				}
				sc, err := scenarios.Parse(data, filepath.Join(dir, "scenario.yaml"))
				if err != nil {
					return badInput("%v", err)
				}
				run, err := runner.RunSeed(sc, info.Seed, runner.Options{})
				if err != nil {
					return badInput("%v", err)
				}
				w := cmd.OutOrStdout()
				printRunText(w, run.Result, run.Check.Checks)
				if run.Result.TraceHash != info.TraceHash || string(run.Result.Verdict) != info.Verdict {
					fmt.Fprintf(w, "NOT REPRODUCED: trace %s verdict %s, the bundle recorded trace %s verdict %s\n",
						run.Result.TraceHash, run.Result.Verdict, info.TraceHash, info.Verdict)
					return withCode(exitViolated)
				}
				fmt.Fprintf(w, "reproduced: seed %d, trace %s, verdict %s\n", info.Seed, info.TraceHash, info.Verdict)
				return withCode(exitCodeFor(run.Result.Verdict))
			},
		}
	})
}
