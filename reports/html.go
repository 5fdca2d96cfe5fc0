package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/leasesim/leasesim/result"
)

// Report is everything the HTML report shows: suite results, sweeps and failures.
type Report struct {
	Title    string
	Suite    []result.ScenarioResult
	Sweeps   []SweepSection
	Failures []FailureSection
	// Live are the trials of live runs, when a directory holds one.
	Live []LiveTrial
	// Sources lists the result directories merged, for the reader.
	Sources []string
}

// SweepSection is one sweep: its points, the parameters swept (the first is the x axis,
// the second the series), and the command that produced it.
type SweepSection struct {
	Scenario string
	Params   []string
	Points   []result.SweepPoint
	Command  string
}

// FailureSection is one failing scenario's bundle: the seed, the command that replays
// it, its space-time diagrams and timeline (SVG documents, inlined) and links to its
// files (paths relative to the report).
type FailureSection struct {
	Scenario    string
	Seed        uint64
	Findings    []string
	Replay      string
	TimelineSVG []byte
	// SpacetimeSVG is the bundle's spacetime.svg: each finding's space-time diagram
	// with the narrative of why it happened.
	SpacetimeSVG []byte
	Links        []Link
}

// Link is a named relative link.
type Link struct{ Name, Href string }

// WriteHTML writes the report as one self-contained HTML file: CSS inline, every plot
// an inline SVG, no script and nothing fetched from the network.
func WriteHTML(w io.Writer, r Report) error {
	type sweepView struct {
		SweepSection
		Unavail, Violations template.HTML
		Rows                [][]string
		Header              []string
	}
	type failureView struct {
		FailureSection
		Timeline, Spacetime template.HTML
	}
	type suiteRow struct {
		result.ScenarioResult
		Proto, Seeds, Violations, P50, P99, Gap, Verdict string
		RateLines                                        []string
	}
	var sweeps []sweepView
	for _, s := range r.Sweeps {
		v := sweepView{SweepSection: s}
		if len(s.Params) > 0 {
			vp, err := SweptViolationPlot(s.Points, s.Params, s.Scenario+": safety vs "+s.Params[0])
			if err != nil {
				return err
			}
			if v.Unavail, err = inlineSVG(func(b *bytes.Buffer) error {
				return WriteSweepFigure(b, s.Points, s.Params, s.Scenario+": unavailability vs "+s.Params[0], "svg")
			}); err != nil {
				return err
			}
			if v.Violations, err = inlineSVG(func(b *bytes.Buffer) error { return WritePlot(b, vp, "svg") }); err != nil {
				return err
			}
		}
		v.Header = append(append([]string{}, s.Params...), "seeds", "violating", "rate ≤ (95%)", "unavail mean", "p95", "max gap p95")
		for _, p := range s.Points {
			row := []string{}
			for _, k := range s.Params {
				row = append(row, p.Set[k])
			}
			if p.Error != "" {
				row = append(row, "invalid: "+p.Error)
			} else {
				row = append(row, fmt.Sprint(p.Seeds), fmt.Sprint(p.ViolatingSeeds),
					result.PercentUp(result.RateOf(p.ViolatingSeeds, p.Seeds, result.DefaultConfidence, 0).Upper), pct(p.UnavailMean), pct(p.UnavailP95),
					time.Duration(p.GapP95).Round(time.Millisecond).String())
			}
			v.Rows = append(v.Rows, row)
		}
		sweeps = append(sweeps, v)
	}
	var failures []failureView
	for _, f := range r.Failures {
		fv := failureView{FailureSection: f}
		if len(f.TimelineSVG) > 0 {
			fv.Timeline = template.HTML(stripXMLHeader(f.TimelineSVG))
		}
		if len(f.SpacetimeSVG) > 0 {
			fv.Spacetime = template.HTML(stripXMLHeader(f.SpacetimeSVG))
		}
		failures = append(failures, fv)
	}
	type liveView struct {
		LiveTrial
		Timeline template.HTML
	}
	var lives []liveView
	for _, l := range r.Live {
		lv := liveView{LiveTrial: l}
		if len(l.TimelineSVG) > 0 {
			lv.Timeline = template.HTML(stripXMLHeader(l.TimelineSVG))
		}
		lives = append(lives, lv)
	}
	var rows []suiteRow
	met, errored, undecided, notMet := 0, 0, 0, 0
	for _, s := range r.Suite {
		row := suiteRow{ScenarioResult: s, Proto: s.Protocol, Seeds: fmt.Sprint(s.Seeds), P50: pct(s.UnavailableP50), P99: pct(s.UnavailableP99),
			Gap: time.Duration(s.MaxGapMaxNs).Round(time.Millisecond).String(), Verdict: Verdict(s), RateLines: RateLines(s)}
		if s.Mutant != "" {
			row.Proto += "/" + s.Mutant
		}
		if b := BudgetText(s); b != "" {
			row.Seeds += " (" + b + ")"
		}
		if s.Error != "" {
			errored++
		}
		if s.Error != "" && s.Seeds == 0 {
			// The scenario did not run: its zeros are not measurements, and "–" would
			// read as "no violations".
			row.Seeds, row.Violations, row.P50, row.P99, row.Gap = "unknown", "unknown", "unknown", "unknown", "unknown"
			row.RateLines = []string{"unknown"}
			rows = append(rows, row)
			continue
		}
		row.Violations = violationsText(s.Violations, s.Unknown)
		if row.Violations == "-" {
			row.Violations = "–"
		}
		switch {
		case s.Met:
			met++
		case row.Verdict == "undecided":
			undecided++
		case s.Error == "":
			notMet++
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Scenario < rows[j].Scenario })
	return htmlTemplate.Execute(w, map[string]any{
		"Title": r.Title, "Suite": rows, "Met": met, "NotMet": notMet, "Errored": errored, "Undecided": undecided, "Sweeps": sweeps, "Failures": failures, "Live": lives, "Sources": r.Sources,
	})
}

func inlineSVG(write func(*bytes.Buffer) error) (template.HTML, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return "", err
	}
	return template.HTML(stripXMLHeader(b.Bytes())), nil
}

// stripXMLHeader drops the <?xml …?> declaration so that an SVG document can sit inside
// HTML.
func stripXMLHeader(svg []byte) string {
	s := string(svg)
	if strings.HasPrefix(s, "<?xml") {
		if i := strings.Index(s, "?>"); i >= 0 {
			s = s[i+2:]
		}
	}
	return strings.TrimSpace(s)
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"count": Count}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}
tr.unmet td{background:#fde8e8}
code,pre{background:#f6f6f6;padding:1px 4px}
svg{max-width:100%;height:auto;display:block;margin:1em 0}
.spacetime,.wide{overflow-x:auto}.spacetime svg{max-width:none}
.ok{color:#2a7a2a}.bad{color:#c62828}.open{color:#9a6700}.rates{font-size:90%;white-space:nowrap}
</style></head><body>
<h1>{{.Title}}</h1>
{{if .Sources}}<p>Merged from: {{range .Sources}}<code>{{.}}</code> {{end}}</p>{{end}}
{{if .Suite}}<h2>Suite</h2>
<p>{{count (len .Suite) "scenario"}}, {{.Met}} with every expectation met{{if .NotMet}}, {{.NotMet}} not met{{end}}{{if .Undecided}}, {{.Undecided}} undecided (more seeds or checks would decide them){{end}}{{if .Errored}}, {{.Errored}} with an error{{end}}. Violation rates are per run, each bound one-sided at the confidence given.</p>
<div class="wide"><table><tr><th>scenario</th><th>protocol</th><th>seeds</th><th>violations (seeds)</th><th>violation rate</th><th>unavailable p50</th><th>p99</th><th>longest gap</th><th>expectations</th></tr>
{{range .Suite}}<tr{{if not .Met}} class="unmet"{{end}}><td>{{.Scenario}}</td><td>{{.Proto}}</td><td>{{.Seeds}}</td><td>{{.Violations}}</td><td class="rates">{{range .RateLines}}{{.}}<br>{{end}}</td><td>{{.P50}}</td><td>{{.P99}}</td><td>{{.Gap}}</td>
<td>{{if .Error}}<span class="bad">error: {{.Error}}</span><br>{{end}}{{if eq .Verdict "undecided"}}<span class="open">undecided</span><br>{{end}}{{range .Expectations}}<span class="{{if .Met}}ok{{else if .Undecided}}open{{else}}bad{{end}}">{{.Key}} {{.Want}}: {{.Got}}</span><br>{{end}}{{if .Reproduce}}<code>{{.Reproduce}}</code>{{end}}</td></tr>
{{end}}</table></div>{{end}}
{{if .Live}}<style>.expected{color:#9a6700}.chip{display:inline-block;padding:0 5px;margin:1px;border-radius:3px}.chip.expected{background:#fff1c2;border:1px solid #f2a900}.chip.bad{background:#fde8e8;border:1px solid #d62728}</style>
<h2>Live trials</h2>
<p><span class="chip expected">belief overlap</span> two holders both believed they led: expected with etcd's client under partitions and pauses (the old leader learns its session ended only at its own next keepalive deadline), harmless when writes are fenced; reported with its width, not judged.
<span class="chip bad">effective overlap</span> etcd accepted a stale leader's write after a newer leader's: a real bug, and the trial is violated. Times are on the driver's monotonic clock, since the trial started.</p>
<table><tr><th>scenario</th><th>trial</th><th>seed</th><th>verdict</th><th>belief overlaps (expected)</th><th>effective overlaps and other findings</th><th>files</th></tr>
{{range .Live}}<tr{{if eq .Verdict "violated"}} class="unmet"{{end}}><td>{{.Scenario}}</td><td>{{.Trial}}</td><td>{{.Seed}}</td><td class="{{if eq .Verdict "ok"}}ok{{else}}bad{{end}}">{{.Verdict}}</td>
<td>{{range .Belief}}<span class="chip expected" title="{{.Detail}}">{{.Holders}}: {{.Width}} from {{.At}}</span> {{else}}–{{end}}</td>
<td>{{range .Judged}}<span class="chip bad">{{.Holders}} at {{.At}}</span> {{.Detail}}<br>{{else}}–{{end}}{{if .Failure}}<br>(timeline under Failures){{end}}</td>
<td>{{range .Links}}<a href="{{.Href}}">{{.Name}}</a> {{end}}</td></tr>
{{end}}</table>
{{range .Live}}{{if .Timeline}}<details><summary>{{.Scenario}} trial {{.Trial}}, seed {{.Seed}}: <span class="expected">{{len .Belief}} belief overlap(s), expected</span></summary>
{{.Timeline}}
</details>
{{end}}{{end}}{{end}}{{range .Sweeps}}<h2>Sweep: {{.Scenario}}</h2>
{{if .Command}}<p>Reproduce: <code>{{.Command}}</code></p>{{end}}
{{.Unavail}}
{{.Violations}}
<table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>
{{end}}
{{if .Failures}}<h2>Failures</h2>{{end}}
{{range .Failures}}<h3>{{.Scenario}}, seed {{.Seed}}</h3>
<ul>{{range .Findings}}<li>{{.}}</li>{{end}}</ul>
<p>Replay: <code>{{.Replay}}</code></p>
{{if .Spacetime}}<h4>Why: each finding's space-time diagram</h4>
<div class="spacetime">{{.Spacetime}}</div>
<h4>Timeline</h4>{{end}}
{{.Timeline}}
<p>{{range .Links}}<a href="{{.Href}}">{{.Name}}</a> {{end}}</p>
{{end}}
<p><small>Written by leasesim report. Every figure is inline; nothing is fetched.</small></p>
</body></html>
`))
