package cli

import (
	"embed"
	"strings"
)

// helpTexts holds the commands' long help, one file per command (help/NAME.txt), so that
// the code that defines a command stays short and the text reads as text.
//
//go:embed help/*.txt
var helpTexts embed.FS

// longHelp returns the long help of the command name: help/NAME.txt without its final
// newline. A missing file is a bug that every test of the package finds (newRoot builds
// every command).
func longHelp(name string) string {
	b, err := helpTexts.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("cli: no help text " + name + ": " + err.Error())
	}
	return strings.TrimSuffix(string(b), "\n")
}
