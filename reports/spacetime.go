package reports

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strings"

	"github.com/leasesim/leasesim/checker"
	"github.com/leasesim/leasesim/history"
)

// SpacetimeFinding is one finding's space-time diagram as a report shows it: the
// finding, the window drawn and the narrative under it.
type SpacetimeFinding struct {
	Finding   checker.Finding
	From, To  int64
	Narrative []string
}

// SpacetimeMaxFindings bounds the findings a space-time document draws; the rest are
// named at its end.
const SpacetimeMaxFindings = 6

// Spacetime returns the window and narrative of each finding's diagram, as
// WriteSpacetimeSVG draws them.
func Spacetime(h *history.History, findings []checker.Finding) []SpacetimeFinding {
	var out []SpacetimeFinding
	for i, f := range findings {
		if i == SpacetimeMaxFindings {
			break
		}
		sc := newSpacetimeScene(h, f)
		out = append(out, SpacetimeFinding{Finding: f, From: sc.from, To: sc.to, Narrative: sc.story(h)})
	}
	return out
}

// Layout of the diagram, in CSS pixels: the document is stWidth wide and is drawn at
// that size in a report, so that its text keeps the sizes written here (11 px and up).
const (
	stWidth    = 1060
	stLeft     = 170 // lane labels
	stRight    = 24
	stLaneH    = 84
	stFontS    = 12
	stFontM    = 14
	stWrapAt   = 128 // characters of narrative per line
	stLineH    = 20
	stMaxTitle = 100
)

// stKindColors colour message kinds (in sorted order); stEpochColors colour claims by
// epoch. Red is kept for what is wrong: overlaps, drops, stale writes.
var (
	stKindColors  = []string{"#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#7f7f7f"}
	stEpochColors = []string{"#4c78a8", "#54a24b", "#b279a2", "#f58518", "#9d755d", "#72b7b2"}
)

// WriteSpacetimeSVG draws one space-time diagram per finding, each on its own row with
// its narrative under it: a lane per node (its clock readings at the events that matter
// when its clock is not true time), the messages as arrows from send to delivery (drops
// marked ×), claims, the finding's window, faults, issuer decisions and stale writes,
// over a window from the last grant the stale holder relied on to the end of the
// finding. It reads only the history; without message records it draws the rest.
func WriteSpacetimeSVG(w io.Writer, h *history.History, findings []checker.Finding) error {
	var body strings.Builder
	y := 0
	if len(findings) == 0 {
		fmt.Fprintf(&body, `<text x="16" y="32" font-size="%d">No findings: every property holds in this run.</text>`+"\n", stFontM)
		y = 56
	}
	for i, f := range findings {
		if i == SpacetimeMaxFindings {
			fmt.Fprintf(&body, `<text x="16" y="%d" font-size="%d">%d more findings are not drawn (result.json lists them all).</text>`+"\n", y+24, stFontM, len(findings)-i)
			y += 40
			break
		}
		sc := newSpacetimeScene(h, f)
		fmt.Fprintf(&body, `<g transform="translate(0,%d)">`+"\n", y)
		y += sc.draw(&body, h, i+1)
		body.WriteString("</g>\n")
	}
	_, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" class="spacetime">
<defs><marker id="st-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>
<rect width="100%%" height="100%%" fill="#fff"/>
%s</svg>
`, stWidth, y, stWidth, y, body.String())
	return err
}

// draw writes the scene at the origin and returns its height.
func (sc *spacetimeScene) draw(b *strings.Builder, h *history.History, n int) int {
	esc := html.EscapeString
	// A finding much narrower than the window that shows its cause gets a second panel,
	// zoomed on it.
	var zoom *spacetimeScene
	fw := min(sc.f.To, h.Meta.End) - sc.f.From
	if span := sc.to - sc.from; fw*12 < span {
		z := *sc
		pad := max(2*fw, span/200, 1000)
		z.from, z.to = max(h.Meta.Start, sc.f.From-pad), min(h.Meta.End, min(sc.f.To, h.Meta.End)+pad)
		z.pickMessages(h)
		zoom = &z
	}
	// Title and legend.
	title := fmt.Sprintf("Finding %d · %s: %s", n, strings.ToUpper(string(sc.f.Kind)), sc.f.Detail)
	y := 26
	for _, line := range wrap(title, stMaxTitle) {
		fmt.Fprintf(b, `<text x="16" y="%d" font-size="16" font-weight="600">%s</text>`+"\n", y, esc(line))
		y += 22
	}
	kinds := sc.kinds()
	if zoom != nil {
		for _, k := range zoom.kinds() {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		slices.Sort(kinds)
	}
	lx := 16.0
	legend := func(swatch, label string) {
		fmt.Fprintf(b, `<g transform="translate(%.0f,%d)">%s<text x="22" y="4" font-size="%d">%s</text></g>`+"\n", lx, y, swatch, stFontS, esc(label))
		lx += 30 + float64(len(label))*6.8
		if lx > stWidth-160 {
			lx = 16
			y += 20
		}
	}
	for i, k := range kinds {
		legend(fmt.Sprintf(`<line x1="0" y1="0" x2="16" y2="0" stroke="%s" stroke-width="2" marker-end="url(#st-arrow)"/>`, stKindColors[i%len(stKindColors)]), k)
	}
	legend(`<line x1="0" y1="0" x2="10" y2="0" stroke="#d62728" stroke-width="1.5" stroke-dasharray="3,2"/><path d="M10,-4 l8,8 m0,-8 l-8,8" stroke="#d62728" stroke-width="2"/>`, "dropped")
	legend(fmt.Sprintf(`<rect x="0" y="-5" width="8" height="10" fill="%s"/><rect x="8" y="-5" width="8" height="10" fill="%s"/>`, stEpochColors[1], stEpochColors[2]), "claim (colour per epoch)")
	legend(`<rect x="0" y="-7" width="16" height="14" fill="#d62728" fill-opacity="0.15" stroke="#d62728"/>`, sc.bandLabel())
	legend(`<rect x="0" y="-7" width="16" height="14" fill="#888" fill-opacity="0.25"/>`, "fault")
	y += 30
	y = sc.drawPanel(b, h, y, kinds)
	if zoom != nil {
		fmt.Fprintf(b, `<text x="16" y="%d" font-size="%d" font-weight="600">%s</text>`+"\n", y+22, stFontM,
			esc(fmt.Sprintf("Zoomed on the %s: %s to %s", sc.bandLabel(), stTime(zoom.from, zoom.to-zoom.from), stTime(zoom.to, zoom.to-zoom.from))))
		y = zoom.drawPanel(b, h, y+34, kinds)
	}
	// Narrative.
	y += 30
	for _, s := range sc.story(h) {
		for i, line := range wrap(s, stWrapAt) {
			indent := 16
			if i > 0 {
				indent = 28
			}
			fmt.Fprintf(b, `<text x="%d" y="%d" font-size="%d">%s</text>`+"\n", indent, y, stFontM, esc(line))
			y += stLineH
		}
	}
	fmt.Fprintf(b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>`+"\n", y+4, stWidth, y+4)
	return y + 16
}

// drawClocks labels the local clock readings at the events of the story.
func (sc *spacetimeScene) drawClocks(b *strings.Builder, h *history.History, laneY map[string]int, x func(int64) float64) {
	span := sc.to - sc.from
	type mark struct {
		node string
		t    int64
	}
	var marks []mark
	if g := sc.grant; g != nil {
		marks = append(marks, mark{g.From, g.Sent}, mark{g.To, g.At})
	}
	if c := sc.staleClaim; c != nil && c.To <= sc.to {
		marks = append(marks, mark{c.Holder, c.To})
	}
	if c := sc.otherClaim; c != nil && c.From >= sc.from {
		marks = append(marks, mark{c.Holder, c.From})
	}
	for _, s := range h.Statuses {
		if s.At >= sc.from && s.At <= sc.to {
			marks = append(marks, mark{s.Issuer, s.At})
		}
	}
	right := map[string]float64{} // per lane, where the last label ended
	for _, m := range marks {
		ly, ok := laneY[m.node]
		if !ok || sc.clockIsTrue(m.node) || m.t < sc.from || m.t > sc.to {
			continue
		}
		wall := m.node == sc.stale && sc.staleClaim != nil && sc.staleClaim.Clock == "wall"
		c, ok := sc.clockAt(m.node, m.t, wall)
		if !ok {
			continue
		}
		label := "clock " + stTime(c, span)
		esc := html.EscapeString
		xm := x(m.t)
		w := float64(len(label)) * 6.2
		tx, anchor, left := xm+3, "start", xm+3
		if xm+w > stWidth-stRight {
			tx, anchor, left = xm-3, "end", xm-3-w
		}
		if left < right[m.node]+4 {
			continue // would overlap the previous label on this lane
		}
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#444"/><text x="%.1f" y="%d" font-size="11" fill="#333" text-anchor="%s" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
			xm, ly+6, xm, ly+26, tx, ly+36, anchor, esc(label))
		right[m.node] = left + w
	}
}

// inStory reports whether m is to or from the finding's stale or other holder.
func (sc *spacetimeScene) inStory(m history.Msg) bool {
	return m.From == sc.stale || m.To == sc.stale || m.From == sc.other || m.To == sc.other
}

// kinds lists the message kinds drawn, sorted.
func (sc *spacetimeScene) kinds() []string {
	var ks []string
	for _, m := range sc.msgs {
		if !slices.Contains(ks, m.Kind) {
			ks = append(ks, m.Kind)
		}
	}
	slices.Sort(ks)
	return ks
}

// bandLabel names the finding's window.
func (sc *spacetimeScene) bandLabel() string {
	switch sc.f.Kind {
	case checker.P1:
		return "overlap"
	case checker.P2:
		return "stale writes accepted"
	case checker.P4:
		if len(sc.f.Holders) > 0 && sc.f.Lease != history.LivenessLease(sc.f.Holders[0]) {
			return "expired, still claimed" // a lease that kept the node's keys (an expired status)
		}
		return "declared failed, still alive"
	}
	return "not linearizable"
}

// laneNote describes a lane's node and its clock.
func (sc *spacetimeScene) laneNote(h *history.History, node string) (role, clock string) {
	role = "holder"
	switch {
	case sc.issuers[node]:
		role = "issuer"
	case node == h.Meta.Resource:
		role = "resource"
	}
	ps := sc.clocks[node]
	switch {
	case len(ps) == 0:
		return role, ""
	case sc.clockIsTrue(node):
		return role, "clock = true time"
	}
	p := ps[0]
	clock = fmt.Sprintf("clock %+.0f ppm", float64(p.DriftPPB)/1000)
	if off := p.Wall - p.At; off != 0 {
		clock += ", wall " + signed(stDur(abs(off)), off)
	}
	if len(ps) > 1 {
		clock += fmt.Sprintf(", %d changes", len(ps)-1)
	}
	return role, clock
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func signed(s string, v int64) string {
	if v < 0 {
		return "-" + s
	}
	return "+" + s
}

// wrap breaks s into lines of at most n characters at spaces.
func wrap(s string, n int) []string {
	var lines []string
	for len(s) > n {
		i := strings.LastIndex(s[:n], " ")
		if i <= 0 {
			i = n
		}
		lines = append(lines, s[:i])
		s = strings.TrimLeft(s[i:], " ")
	}
	return append(lines, s)
}

// drawPanel draws the lanes, faults, claims, messages, decisions and axis of the
// scene's window with its top at y, and returns the y under its axis labels.
func (sc *spacetimeScene) drawPanel(b *strings.Builder, h *history.History, y int, kinds []string) int {
	esc := html.EscapeString
	span := sc.to - sc.from
	plotW := float64(stWidth - stLeft - stRight)
	x := func(t int64) float64 {
		t = max(sc.from, min(sc.to, t))
		return float64(stLeft) + plotW*float64(t-sc.from)/float64(span)
	}
	top := y
	laneY := map[string]int{}
	for i, l := range sc.lanes {
		laneY[l] = top + 24 + i*stLaneH
	}
	bottom := top + 24 + (len(sc.lanes)-1)*stLaneH + 30
	// The finding's window, behind everything.
	fx0, fx1 := x(sc.f.From), x(min(sc.f.To, h.Meta.End))
	fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#d62728" fill-opacity="0.10" stroke="#d62728" stroke-opacity="0.5"/>`+"\n", fx0, top, max(fx1-fx0, 2), bottom-top)
	bx, banchor := fx0+4, "start"
	if fx0 > stWidth-220 {
		bx, banchor = fx0-4, "end"
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="%d" fill="#b71c1c" font-weight="600" text-anchor="%s">%s</text>`+"\n", bx, bottom-6, stFontS, banchor, esc(fmt.Sprintf("%s %s", sc.bandLabel(), stDur(min(sc.f.To, h.Meta.End)-sc.f.From))))
	// Lanes.
	for _, l := range sc.lanes {
		ly := laneY[l]
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#bbb"/>`+"\n", stLeft, ly, stWidth-stRight, ly)
		fmt.Fprintf(b, `<text x="16" y="%d" font-size="15" font-weight="600">%s</text>`+"\n", ly+1, esc(l))
		role, clk := sc.laneNote(h, l)
		fmt.Fprintf(b, `<text x="16" y="%d" font-size="11" fill="#555">%s</text>`+"\n", ly+16, esc(role))
		if clk != "" {
			fmt.Fprintf(b, `<text x="16" y="%d" font-size="11" fill="#555">%s</text>`+"\n", ly+30, esc(clk))
		}
	}
	// Faults.
	for _, f := range h.Faults {
		if f.To < sc.from || f.From > sc.to {
			continue
		}
		label := f.Kind
		if len(f.Nodes) > 0 {
			label += " " + strings.Join(f.Nodes, "|")
		}
		first := true
		for _, node := range f.Nodes {
			ly, ok := laneY[node]
			if !ok {
				continue
			}
			x0, x1 := x(f.From), x(f.To)
			if f.To == f.From {
				fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#666" stroke-dasharray="4,3"/>`+"\n", x0, ly-22, x0, ly+22)
			} else {
				fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="36" fill="#888" fill-opacity="0.22"/>`+"\n", x0, ly-18, max(x1-x0, 2))
			}
			if first {
				fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="11" fill="#333" stroke="#fff" stroke-width="3" stroke-opacity="0.7" paint-order="stroke">%s</text>`+"\n", x0+3, ly-8, esc(label))
				first = false
			}
		}
	}
	// Claims of the lease in the story.
	for _, c := range h.Claims {
		ly, ok := laneY[c.Holder]
		if !ok || c.Lease != sc.lease || c.To < sc.from || c.From > sc.to {
			continue
		}
		x0, x1 := x(c.From), x(min(c.To, h.Meta.End))
		col := stEpochColors[int(c.Epoch%uint64(len(stEpochColors)))]
		fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="10" fill="%s"><title>%s</title></rect>`+"\n", x0, ly-5, max(x1-x0, 2), col,
			esc(fmt.Sprintf("%s claims %s, epoch %d, %s – %s (%s)", c.Holder, c.Lease, c.Epoch, stTime(c.From, span), stTime(min(c.To, h.Meta.End), span), c.End)))
		if c.From >= sc.from {
			ex, ea := x0+2, "start"
			if x0 > stWidth-90 {
				ex, ea = x0-2, "end"
			}
			fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="11" fill="%s" text-anchor="%s">epoch %d</text>`+"\n", ex, ly+20, col, ea, c.Epoch)
		}
		if c.To <= sc.to && c.To < h.Meta.End {
			fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="11" fill="%s" text-anchor="end">%s</text>`+"\n", x1-2, ly+20, col, esc(string(c.End)))
		}
	}
	// Stale writes: accepted under an epoch older than one accepted before.
	if ly, ok := laneY[sc.resource]; ok {
		var newest uint64
		for _, w := range h.Writes {
			stale := w.Accepted && w.Epoch < newest
			if w.Accepted && w.Epoch > newest {
				newest = w.Epoch
			}
			if stale && w.At >= sc.from && w.At <= sc.to {
				fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d62728" stroke-width="2"/>`+"\n", x(w.At), ly-9, x(w.At), ly+9)
			}
		}
	}
	// Messages; the key ones' labels go on top of everything.
	var labels []string
	for _, m := range sc.msgs {
		y0, y1 := float64(laneY[m.From]), float64(laneY[m.To])
		key := m.Kind
		col := stKindColors[slices.Index(kinds, key)%len(stKindColors)]
		important := sc.grant != nil && m == *sc.grant || sc.request != nil && m == *sc.request
		width, opacity := 1.2, 1.0
		if important {
			width = 2.6
		}
		if !sc.inStory(m) {
			opacity = 0.35
		}
		tip := fmt.Sprintf("%s %s→%s sent %s, ", m.Kind, m.From, m.To, stTime(m.Sent, span))
		if m.Dropped != "" {
			tip += "dropped (" + m.Dropped + ") at " + stTime(m.At, span)
			x0 := x(m.Sent)
			x1 := max(x(m.At), x0+8)
			ym := y0 + (y1-y0)*0.45
			fmt.Fprintf(b, `<g><title>%s</title><line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d62728" stroke-width="1.2" stroke-dasharray="3,2"/><path d="M%.1f,%.1f l7,7 m0,-7 l-7,7" stroke="#d62728" stroke-width="1.8"/></g>`+"\n",
				esc(tip), x0, y0, x1, ym, x1-3.5, ym-3.5)
			continue
		}
		tip += fmt.Sprintf("delivered %s (after %s)", stTime(m.At, span), stDur(m.At-m.Sent))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f" stroke-opacity="%.2f" marker-end="url(#st-arrow)"><title>%s</title></line>`+"\n",
			x(m.Sent), y0, x(m.At), y1, col, width, opacity, esc(tip))
		if important {
			// The grant's label right of its arrow, the request's left of it, so that
			// the two do not cover each other.
			mx, my := (x(m.Sent)+x(m.At))/2, (y0+y1)/2
			anchor, dx := "start", 8.0
			if sc.request != nil && m == *sc.request {
				anchor, dx = "end", -8
				mx = min(x(m.Sent), x(m.At))
			}
			if mx+dx < stLeft+60 && anchor == "end" {
				anchor, dx, my = "start", 8, my-16
			}
			if anchor == "start" && x(m.At)-x(m.Sent) > 40 {
				// A slanted arrow: the label goes on the side the line leaves free.
				if y1 > y0 {
					my -= 12
				} else {
					my += 12
				}
			}
			text := fmt.Sprintf("%s, %s", m.Kind, stDur(m.At-m.Sent))
			w := float64(len(text))*7.4 + 6
			rx := mx + dx - 3
			if anchor == "end" {
				rx = mx + dx - w + 3
			}
			labels = append(labels, fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="17" rx="3" fill="#fff" fill-opacity="0.9"/><text x="%.1f" y="%.1f" font-size="%d" font-weight="600" fill="%s" text-anchor="%s">%s</text>`+"\n",
				rx, my-9, w, mx+dx, my+4, stFontS, col, anchor, esc(text)))
		}
	}
	// Issuer decisions.
	for _, s := range h.Statuses {
		ly, ok := laneY[s.Issuer]
		if !ok || s.At < sc.from || s.At > sc.to {
			continue
		}
		label := "promoted " + s.Node
		col := "#2a7a2a"
		if s.Kind == history.StatusDeclaredFailed {
			label, col = "declared "+s.Node+" failed", "#b71c1c"
		}
		if s.Kind == history.StatusExpired {
			label, col = "expired "+s.Node+"'s "+s.Lease, "#b71c1c"
		}
		xs := x(s.At)
		fmt.Fprintf(b, `<path d="M%.1f,%d l6,6 l-6,6 l-6,-6 z" fill="%s"/>`+"\n", xs, ly-6, col)
		anchor := "start"
		if xs > stWidth-200 {
			anchor = "end"
		}
		dy := -12
		if s.Kind == history.StatusPromoted {
			dy = -26
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="%d" fill="%s" text-anchor="%s" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n", xs, ly+dy, stFontS, col, anchor, esc(label))
	}
	// Clock readings at the events that matter, for the nodes whose clock is not true.
	sc.drawClocks(b, h, laneY, x)
	for _, l := range labels {
		b.WriteString(l)
	}
	// Axis.
	ay := bottom + 4
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", stLeft, ay, stWidth-stRight, ay)
	for _, t := range (DurationTicks{Count: 9}).Ticks(float64(sc.from)/1e9, float64(sc.to)/1e9) {
		tx := x(int64(t.Value * 1e9))
		if t.Label == "" {
			fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/>`+"\n", tx, ay, tx, ay+3)
			continue
		}
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/><text x="%.1f" y="%d" font-size="%d" text-anchor="middle">%s</text>`+"\n", tx, ay, tx, ay+6, tx, ay+20, stFontS, esc(t.Label))
	}
	fmt.Fprintf(b, `<text x="16" y="%d" font-size="%d" fill="#555">true time</text>`+"\n", ay+20, stFontS)
	return ay + 24
}
