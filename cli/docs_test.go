package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cliSections splits docs/cli.md into its "## `leasesim CMD ...`" sections, by command
// path ("leasesim run", "leasesim live etcd"); "Global flags" is kept under its title.
func cliSections(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, sec := range strings.Split(string(b), "\n## ")[1:] {
		title, body, _ := strings.Cut(sec, "\n")
		key := title
		if strings.HasPrefix(title, "`leasesim ") {
			var words []string
			for _, w := range strings.Fields(strings.Trim(title, "`")) {
				if strings.ToUpper(w) == w || strings.ContainsAny(w, "[]|.") {
					break // the arguments: SCENARIO, [PATHS...], DIR|FILE
				}
				words = append(words, w)
			}
			key = strings.Join(words, " ")
		}
		out[key] = body
	}
	return out
}

// TestCLIDocumented: docs/cli.md has a section for every command, which names each of
// its flags, and lists the global flags.
func TestCLIDocumented(t *testing.T) {
	secs := cliSections(t)
	root := newRoot()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			if sub.HasSubCommands() {
				walk(sub)
				continue
			}
			path := sub.CommandPath()
			body, ok := secs[path]
			if !ok {
				t.Errorf("docs/cli.md has no section for %s", path)
				continue
			}
			sub.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
				if f.Name != "help" && !strings.Contains(body, "`--"+f.Name) {
					t.Errorf("docs/cli.md, %s: flag --%s is not documented", path, f.Name)
				}
			})
		}
	}
	walk(root)
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(secs["Global flags"], "`--"+f.Name) {
			t.Errorf("docs/cli.md, Global flags: --%s is not documented", f.Name)
		}
	})
}
