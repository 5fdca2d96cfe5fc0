package transcripts

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/internal/runner"
	"github.com/leasesim/leasesim/result"
	"github.com/leasesim/leasesim/scenarios"
)

// The limits of an excerpt, so that every file stays reviewable whatever the scenario.
const (
	startLines    = 20  // protocol lines shown from the start of the run
	around        = 3   // protocol lines shown either side of each anchor
	maxFaultLines = 20  // fault starts and ends used as anchors
	maxAnchors    = 40  // other anchors: claims begin or end, findings, issuers' notes
	maxShown      = 300 // lines of the event excerpt
	maxFindings   = 10
	maxRecoveries = 10
	wrapAt        = 88 // the width of the header's prose
)

// Update is the command that rewrites every golden transcript.
const Update = "go test ./internal/transcripts -update"

// Excerpt returns the golden transcript of one checked run of sc, given the run's full
// transcript (runner.Options.Trace): a header that says what the scenario shows, the
// verdict, findings, metrics and checks, the number of transcript lines of each kind,
// and the protocol's events — the first few, and a few either side of every fault,
// claim change, finding and issuer decision — with the workload (timers, accepted
// writes, raft's own messages) left out. Claims and findings, which the simulator's
// transcript does not show, are added from the history and the check.
func Excerpt(sc *scenarios.Scenario, run *runner.Run, transcript []byte) ([]byte, error) {
	lines, err := parseTranscript(transcript)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeHeader(&b, sc, run.Result.Seed)
	writeSummary(&b, run)
	writeCounts(&b, lines)
	writeEvents(&b, merge(lines, added(run.History, run.Check.Findings)))
	return b.Bytes(), nil
}

func writeHeader(w io.Writer, sc *scenarios.Scenario, seed uint64) {
	fmt.Fprintf(w, "# %s, seed %d (%s)\n#\n", sc.Name, seed, sc.File)
	for _, l := range wrap(strings.TrimSpace(sc.Description), wrapAt-2) {
		fmt.Fprintf(w, "# %s\n", l)
	}
	fmt.Fprintf(w, "#\n")
	for _, l := range wrap(fmt.Sprintf("An excerpt of the transcript of `leasesim run %s --seed %d --out DIR`, whose "+
		"DIR/transcript.txt has every event. After an intended change of behaviour, rewrite every such file with: %s",
		sc.Name, seed, Update), wrapAt-2) {
		fmt.Fprintf(w, "# %s\n", l)
	}
	fmt.Fprintln(w)
}

// wrap breaks text into lines of at most width characters at spaces (a longer word gets
// a line of its own).
func wrap(text string, width int) []string {
	var out []string
	cur := ""
	for _, word := range strings.Fields(text) {
		if cur != "" && len(cur)+1+len(word) > width {
			out = append(out, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func dur(ns int64) string { return time.Duration(ns).String() }

func writeSummary(w io.Writer, run *runner.Run) {
	r := run.Result
	proto := "protocol " + r.Protocol
	if r.Mutant != "" {
		proto += " (mutant " + r.Mutant + ")"
	}
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		proto += " " + k + "=" + r.Params[k]
	}
	fmt.Fprintln(w, proto)
	fmt.Fprintf(w, "verdict %s  trace %s\n", r.Verdict, r.TraceHash)
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "findings: none")
	} else {
		fmt.Fprintf(w, "findings: %s\n", result.Thousands(len(r.Findings)))
	}
	for i, f := range r.Findings {
		if i == maxFindings {
			fmt.Fprintf(w, "  … %s more\n", result.Thousands(len(r.Findings)-maxFindings))
			break
		}
		fmt.Fprintf(w, "  %s\n", finding(f))
	}
	m := r.Metrics
	fmt.Fprintf(w, "unavailable %s (%s total, longest gap %s from %s), leader changes %s\n",
		result.Measured(m.UnavailableFraction), dur(m.UnavailableNs), dur(m.MaxGapNs), dur(m.MaxGapFrom), result.Thousands(m.LeaderChanges))
	fmt.Fprintf(w, "%s events, %s messages, issuer %.1f msg/s\n", result.Thousands(m.Events), result.Thousands(m.Messages), m.IssuerMsgsPerSec)
	if m.KeyLeases > 0 {
		fmt.Fprintf(w, "keys: %s leases, unavailable %s\n", result.Thousands(m.KeyLeases), result.Measured(m.KeysUnavailableFraction))
	}
	c := run.Check.Checks
	for _, p := range []struct {
		name string
		c    checker.PropertyCheck
	}{{"p1", c.P1}, {"p2", c.P2}, {"p3", c.P3}, {"p4", c.P4}} {
		s := fmt.Sprintf("%s %s by %s over %s items", p.name, p.c.Status, p.c.Method, result.Thousands(p.c.Items))
		if p.c.Partitions > 0 {
			s += fmt.Sprintf(" (%s porcupine partitions)", result.Thousands(p.c.Partitions))
		}
		if p.c.Note != "" {
			s += ": " + p.c.Note
		}
		fmt.Fprintln(w, s)
	}
	if len(m.Recoveries) > 0 {
		fmt.Fprintln(w, "recoveries:")
	}
	for i, rc := range m.Recoveries {
		if i == maxRecoveries {
			fmt.Fprintf(w, "  … %s more\n", result.Thousands(len(m.Recoveries)-maxRecoveries))
			break
		}
		s := fmt.Sprintf("  %s %s [%s, %s): ", rc.Fault, strings.Join(rc.Nodes, ","), dur(rc.Start), dur(rc.End))
		switch {
		case !rc.Caused:
			s += "no unavailability"
		case rc.Recovered:
			s += fmt.Sprintf("unavailable from %s, held again at %s", dur(rc.UnavailableAt), dur(rc.HeldAgainAt))
		default:
			s += fmt.Sprintf("unavailable from %s, not held again", dur(rc.UnavailableAt))
		}
		fmt.Fprintln(w, s)
	}
	fmt.Fprintf(w, "claims: %s\n\n", result.Thousands(len(run.History.Claims)))
}

func finding(f checker.Finding) string {
	s := fmt.Sprintf("%s %s", strings.ToUpper(string(f.Kind)), strings.Join(f.Holders, ","))
	if f.Lease != "" {
		s += " on " + f.Lease
	}
	return s + fmt.Sprintf(" [%s, %s): %s", dur(f.From), dur(f.To), f.Detail)
}

// writeCounts writes how many transcript lines of each kind the run had, by kind name:
// a change of rhythm (a renewal period, a retry) shows here even where the excerpt
// does not reach.
func writeCounts(w io.Writer, lines []line) {
	n := map[string]int{}
	for _, l := range lines {
		n[kind(l.text)]++
	}
	kinds := make([]string, 0, len(n))
	for k := range n {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "events by kind (%s transcript lines):\n", result.Thousands(len(lines)))
	for _, k := range kinds {
		fmt.Fprintf(w, "%8s  %s\n", result.Thousands(n[k]), k)
	}
	fmt.Fprintln(w)
}

// added returns the lines the history and the check add to the transcript: each claim's
// start (with its end), the end of a claim that did not end at its deadline or with the
// run (the simulator writes deadline ends itself), and each finding's start. They are
// sorted by time, in the history's order at equal times.
func added(h *history.History, findings []checker.Finding) []line {
	var out []line
	for _, c := range h.Claims {
		end := "until the run ends"
		if c.End != history.EndRunEnd {
			end = fmt.Sprintf("ends %s (%s)", dur(c.To), c.End)
		}
		out = append(out, line{at: c.From, added: true,
			text: fmt.Sprintf("claim begins: %s %s epoch=%d, %s", c.Holder, c.Lease, c.Epoch, end)})
		if c.End != history.EndDeadline && c.End != history.EndRunEnd {
			out = append(out, line{at: c.To, added: true,
				text: fmt.Sprintf("claim ends (%s): %s %s epoch=%d", c.End, c.Holder, c.Lease, c.Epoch)})
		}
	}
	for _, f := range findings {
		out = append(out, line{at: f.From, added: true, text: "finding " + finding(f)})
	}
	slices.SortStableFunc(out, func(a, b line) int { return cmp.Compare(a.at, b.at) })
	return out
}

// merge puts each added line after every transcript line of its time or earlier.
func merge(lines, add []line) []line {
	out := make([]line, 0, len(lines)+len(add))
	j := 0
	for _, l := range lines {
		for j < len(add) && add[j].at < l.at {
			out = append(out, add[j])
			j++
		}
		out = append(out, l)
	}
	return append(out, add[j:]...)
}

// writeEvents writes the protocol's lines (the workload left out): the first
// startLines, and around lines either side of each anchor — the first maxFaultLines
// fault lines and the first maxAnchors other anchors — with the number of lines left out
// between them, and at most maxShown lines (counting those that say how many were left
// out) under the heading.
func writeEvents(w io.Writer, all []line) {
	var prot []line
	for _, l := range all {
		if l.added || !workload(l.text) {
			prot = append(prot, l)
		}
	}
	show := make([]bool, len(prot))
	mark := func(from, to int) {
		for i := max(from, 0); i < min(to, len(prot)); i++ {
			show[i] = true
		}
	}
	mark(0, startLines)
	faults, others := 0, 0
	for i, l := range prot {
		if !anchor(l) {
			continue
		}
		if isFault(l) {
			if faults == maxFaultLines {
				continue
			}
			faults++
		} else {
			if others == maxAnchors {
				continue
			}
			others++
		}
		mark(i-around, i+around+1)
	}
	var out []string // the lines written, and those that say how many were left out
	events, skipped := 0, 0
	gap := func() {
		if skipped > 0 {
			out = append(out, fmt.Sprintf("%16s  … %s", "", plural(skipped, "line")))
			skipped = 0
		}
	}
	for i, l := range prot {
		if !show[i] {
			skipped++
			continue
		}
		if len(out)+1 >= maxShown {
			out = append(out, fmt.Sprintf("%16s  … the excerpt stops here: %s more", "", plural(len(prot)-i, "protocol line")))
			skipped = 0
			break
		}
		gap()
		out = append(out, fmt.Sprintf("%16s  %s", dur(l.at), l.text))
		events++
	}
	gap()
	fmt.Fprintf(w, "events (%s of %s protocol lines: the first %d, and %d either side of the first %d fault lines "+
		"and the first %d claim changes, findings and notes):\n", result.Thousands(events), result.Thousands(len(prot)), startLines, around, maxFaultLines, maxAnchors)
	for _, l := range out {
		fmt.Fprintln(w, l)
	}
}

// plural returns "1 line", "2 lines", "1,200 lines".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return result.Thousands(n) + " " + noun + "s"
}
