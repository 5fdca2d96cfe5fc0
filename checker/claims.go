package checker

import "github.com/leasesim/leasesim/history"

// claimEnd is the end of claim c as the checker reads it. A claim clipped by the end of
// the run (End == history.EndRunEnd) ends at the run's end even when its producer wrote
// a later To (such as history.Forever): nothing is known past the run.
func claimEnd(c *history.Claim, m *history.Meta) int64 {
	if c.End == history.EndRunEnd && m.End > c.From && c.To > m.End {
		return m.End
	}
	return c.To
}

// claimCounts reports whether claim c is a claim at all: [From, To) is half-open, so a
// claim with To <= From holds at no instant and is ignored by every check.
func claimCounts(c *history.Claim, m *history.Meta) bool {
	return claimEnd(c, m) > c.From
}

// interner gives dense int32 ids to strings, in order of first appearance.
type interner struct {
	ids   map[string]int32
	names []string
}

func newInterner() *interner { return &interner{ids: map[string]int32{}} }

func (in *interner) id(s string) int32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}
