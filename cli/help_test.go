package cli

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpTextsUsed: every help/NAME.txt is the long help of one command, so that no
// text is left behind when a command changes.
func TestHelpTextsUsed(t *testing.T) {
	used := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Long != "" {
			used[c.Long] = true
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
	names, err := fs.Glob(helpTexts, "help/*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("no help texts embedded: %v", err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "help/"), ".txt")
		if !used[longHelp(name)] {
			t.Errorf("%s is no command's long help", n)
		}
	}
}
