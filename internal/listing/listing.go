package listing

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/leasesim/leasesim/internal/load"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/reports"
	"github.com/leasesim/leasesim/scenarios/catalog"
)

// Show prints the built-in scenario name's file as embedded (name with or without
// ".yaml" and the builtin: prefix). An unknown name is an error that lists the names.
func Show(w io.Writer, name string) error {
	file := strings.TrimPrefix(name, catalog.Prefix)
	if !strings.HasSuffix(file, ".yaml") {
		file += ".yaml"
	}
	b, err := catalog.Read(file)
	if err != nil {
		var names []string
		for _, n := range catalog.Names() {
			names = append(names, strings.TrimSuffix(n, ".yaml"))
		}
		return fmt.Errorf("--show %s: no built-in scenario of that name; expected one of: %s", name, strings.Join(names, ", "))
	}
	_, err = w.Write(b)
	return err
}

// listWidth is the width descriptions are wrapped to.
const listWidth = 100

// Protocols prints every registered protocol (model.Protocols): its issuers, what it
// is, a table of its parameters and its mutants with what each breaks.
func Protocols(w io.Writer) {
	fmt.Fprintln(w, "PROTOCOLS")
	for _, p := range model.Protocols() {
		issuers := "1 issuer"
		if p.MaxIssuers > 1 {
			issuers = fmt.Sprintf("1..%d issuers", p.MaxIssuers)
		}
		fmt.Fprintf(w, "\n%s (%s)\n", p.Name, issuers)
		writeWrapped(w, "  ", p.Doc)
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
				fmt.Fprintf(w, "    %s (breaks %s)\n", m.Name, m.Breaks)
				writeWrapped(w, "      ", m.Doc)
			}
		}
	}
}

// Scenarios prints every built-in scenario with its protocol (and mutant) and its
// description; a scenario that does not load is listed with its error.
func Scenarios(w io.Writer) {
	names := catalog.Names()
	fmt.Fprintf(w, "\nBUILT-IN SCENARIOS (%s; leasesim suite runs them all, leasesim run NAME one, leasesim list --show NAME prints one)\n", reports.Count(len(names), "scenario"))
	for _, n := range names {
		l, err := load.Scenario(catalog.Prefix + n)
		if err != nil {
			fmt.Fprintf(w, "\n  %s\n      ERROR: %v\n", strings.TrimSuffix(n, ".yaml"), err)
			continue
		}
		proto := l.Scenario.Protocol
		if l.Scenario.Mutant != "" {
			proto += "/" + l.Scenario.Mutant
		}
		fmt.Fprintf(w, "\n  %s (%s)\n", l.Scenario.Name, proto)
		writeWrapped(w, "      ", l.Scenario.Description)
	}
}

// writeWrapped writes text with its whitespace collapsed, in lines of at most listWidth
// columns (a longer word stands alone), each starting with indent. Nothing is cut.
func writeWrapped(w io.Writer, indent, text string) {
	words := strings.Fields(text)
	line := indent
	for _, word := range words {
		if line != indent && len(line)+1+len(word) > listWidth {
			fmt.Fprintln(w, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	if line != indent {
		fmt.Fprintln(w, line)
	}
}
