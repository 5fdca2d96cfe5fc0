package checker

import (
	"fmt"
	"io"
	"slices"

	"github.com/anishathalye/porcupine"

	"github.com/leasesim/leasesim/history"
)

// holderColors are the annotation colours given to holders, in holder name order.
var holderColors = []string{"#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"}

// VisualizeP1 writes porcupine's HTML visualization of the P1 lock model for the claims
// on lease around the window [from, to]: only the lock partitions (stretches between two
// instants where the lease is free and nothing is pending) that intersect the window,
// because porcupine's HTML grows with the history it shows. Each operation row is a
// holder; each holder also gets an annotation row with its claims as bars (epoch, end
// reason, clock in the tooltip), and the window itself is an annotation row "window"
// whose tooltip writes it closed, "[from, to]", as it is selected: a partition that
// ends exactly at from or starts exactly at to is shown.
// It errors when no claim on lease intersects the window.
func VisualizeP1(h *history.History, lease string, from, to int64, w io.Writer) error {
	if h == nil {
		return fmt.Errorf("visualize P1: no history")
	}
	if to < from {
		return fmt.Errorf("visualize P1: window ends (%d) before it starts (%d)", to, from)
	}
	parts, all := p1Partitions(h, 0, true)
	var ops []porcupine.Operation
	var claims []int32
	for _, p := range parts {
		if p.lease != lease || p.from > to || p.to < from {
			continue
		}
		ops = append(ops, all[p.lo:p.hi]...)
		claims = append(claims, p.claims...)
	}
	if len(ops) == 0 {
		return fmt.Errorf("visualize P1: no claim on lease %q between %s and %s", lease, formatTime(from), formatTime(to))
	}
	// Dense client ids, holders in name order.
	var names []string
	for _, op := range ops {
		names = append(names, op.Input.(*lockInput).Holder)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	client := map[string]int{}
	for i, n := range names {
		client[n] = i
	}
	for i := range ops {
		ops[i].ClientId = client[ops[i].Input.(*lockInput).Holder]
	}
	model := lockModel(nil)
	_, info := porcupine.CheckOperationsVerbose(model, ops, 0)

	var notes []porcupine.Annotation
	for _, idx := range claims {
		c := &h.Claims[idx]
		notes = append(notes, porcupine.Annotation{
			Tag:             "claims of " + c.Holder,
			Start:           c.From,
			End:             claimEnd(c, &h.Meta),
			Description:     fmt.Sprintf("epoch %d", c.Epoch),
			Details:         claimMetadata(h, idx),
			BackgroundColor: holderColors[client[c.Holder]%len(holderColors)],
		})
	}
	notes = append(notes, porcupine.Annotation{
		Tag: "window", Start: from, End: to,
		Description:     "window",
		Details:         fmt.Sprintf("[%s, %s]", formatTime(from), formatTime(to)), // closed, as selected above
		BackgroundColor: "#ea9999",
	})
	info.AddAnnotations(notes)
	return porcupine.Visualize(model, info, w)
}
