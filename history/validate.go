package history

import (
	"fmt"
	"slices"
	"strings"
)

// The rules a history's records must follow, checked by Read on every line and by
// Validate on a History built in memory. Times are nanoseconds on the run's timeline:
//
//   - meta: start >= 0 and end > start (the observed window [start, end)); holders lists
//     at least one holder, each named once; issuers and resource, when given, name
//     other nodes; the counters are >= 0; each swarm line is not empty.
//   - every record that names a holder (claim.holder, write.writer, op.client,
//     status.node, up.holder) names one of meta.holders; status.issuer names one of
//     meta.issuers (a history with statuses must list its issuers); fault.nodes name
//     holders, issuers or the resource.
//   - every time lies in the window: start <= from <= to <= end for claims, faults and
//     up intervals, start <= sent <= at <= end for writes, start <= at <= end for
//     statuses, start <= call <= return <= end for operations. A claim's to or an
//     operation's return may be Forever (no end within the run).
//   - a claim that ends with the run (end "run-end") has to == meta.end (or Forever).
//   - enumerations take their known values only: claim.end one of the EndReasons,
//     claim.clock "", "mono" or "wall", status.kind one of the StatusKinds.
//   - an "expired" status names the lease that expired (status.lease, not empty); the
//     other kinds name none (no status.lease, no status.epoch).
//   - msg.from, msg.to and clock.node name holders, issuers or the resource;
//     start <= sent <= at <= end for messages, start <= at <= end for clock pieces,
//     and a clock piece's drift_ppb is > -1e9 (the clock runs forwards).
//   - names (claim.lease, op.method, fault.kind, msg.kind) are not empty. A fault's kind is the
//     producer's own label (the simulator's kinds, a live driver's) and is not checked
//     against a list: no verdict depends on it.

// EndReasons are the reasons a claim can end, in the order the constants declare them.
var EndReasons = []EndReason{EndDeadline, EndRelease, EndCrash, EndReplaced, EndRunEnd}

// StatusKinds are the issuer decisions a status record can carry.
var StatusKinds = []StatusKind{StatusDeclaredFailed, StatusPromoted, StatusExpired}

// ClockKinds are the values of Claim.Clock: "" for a claim without a deadline.
var ClockKinds = []string{"", "mono", "wall"}

// fieldError is a broken rule: the record's field (a JSON name) and what is expected.
type fieldError struct {
	field string
	msg   string
}

func bad(field, format string, args ...any) *fieldError {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// nodes is what meta says about the run's nodes, for the checks of the other records.
type nodes struct {
	meta     *Meta
	holders  map[string]bool
	issuers  map[string]bool
	resource string
}

// checkMeta checks a meta record and returns the node sets the other records are
// checked against.
func checkMeta(m *Meta) (*nodes, *fieldError) {
	if m.Start < 0 {
		return nil, bad("start", "%d is negative; expected a time >= 0 (ns)", m.Start)
	}
	if m.End <= m.Start {
		return nil, bad("end", "%d is not after start %d; expected the end of a non-empty window [start, end) (ns)", m.End, m.Start)
	}
	if len(m.Holders) == 0 {
		return nil, bad("holders", "empty; expected the names of the holders, like [\"A\", \"B\"]: every claim, write, operation and up interval names one")
	}
	n := &nodes{meta: m, holders: map[string]bool{}, issuers: map[string]bool{}, resource: m.Resource}
	for i, h := range m.Holders {
		switch {
		case h == "":
			return nil, bad(fmt.Sprintf("holders[%d]", i), "empty; expected a holder name")
		case n.holders[h]:
			return nil, bad(fmt.Sprintf("holders[%d]", i), "%q is listed twice; expected each holder once", h)
		}
		n.holders[h] = true
	}
	for i, q := range m.Issuers {
		switch {
		case q == "":
			return nil, bad(fmt.Sprintf("issuers[%d]", i), "empty; expected an issuer name")
		case n.issuers[q] || n.holders[q]:
			return nil, bad(fmt.Sprintf("issuers[%d]", i), "%q is listed twice among holders and issuers; expected each node once", q)
		}
		n.issuers[q] = true
	}
	if m.Resource != "" && (n.holders[m.Resource] || n.issuers[m.Resource]) {
		return nil, bad("resource", "%q is also a holder or an issuer; expected a node of its own", m.Resource)
	}
	for _, c := range []struct {
		field string
		v     int64
	}{{"events", m.Events}, {"messages", m.Messages}, {"issuer_messages", m.IssuerMessages}} {
		if c.v < 0 {
			return nil, bad(c.field, "%d is negative; expected a count >= 0", c.v)
		}
	}
	for i, line := range m.Swarm {
		if strings.TrimSpace(line) == "" {
			return nil, bad(fmt.Sprintf("swarm[%d]", i), "empty; expected the fault mix a swarm random entry drew for this seed, like \"faults[0]: on pause every 12s for 1.8s; off crash; all kinds every 12s (configured 10s)\"")
		}
	}
	return n, nil
}

func (n *nodes) holder(field, name string) *fieldError {
	if name == "" {
		return bad(field, "empty; expected one of meta.holders (%s)", n.holderList())
	}
	if !n.holders[name] {
		return bad(field, "%q is not a holder of this history; expected one of meta.holders (%s)", name, n.holderList())
	}
	return nil
}

func (n *nodes) holderList() string { return strings.Join(n.meta.Holders, ", ") }

// window checks start <= from <= to <= end; to may be Forever when open is set.
func (n *nodes) window(fromField string, from int64, toField string, to int64, open bool) *fieldError {
	s, e := n.meta.Start, n.meta.End
	if from < s || from > e {
		return bad(fromField, "%d is outside the run's window; expected a time in [meta.start, meta.end] = [%d, %d] (ns)", from, s, e)
	}
	if to < from {
		return bad(toField, "%d is before %s %d; expected %s >= %s", to, fromField, from, toField, fromField)
	}
	if to > e && !(open && to == Forever) {
		forever := ""
		if open {
			forever = fmt.Sprintf(", or %d (Forever) for no end", Forever)
		}
		return bad(toField, "%d is after the run's end; expected a time in [%s, meta.end] = [%d, %d] (ns)%s", to, fromField, from, e, forever)
	}
	return nil
}

func (n *nodes) checkClaim(c *Claim) *fieldError {
	if err := n.holder("holder", c.Holder); err != nil {
		return err
	}
	if c.Lease == "" {
		return bad("lease", "empty; expected the name of the lease claimed, like %q", LeaderLease)
	}
	if err := n.window("from", c.From, "to", c.To, true); err != nil {
		return err
	}
	if !slices.Contains(EndReasons, c.End) {
		return bad("end", "%q is not a reason a claim ends; expected one of %s", c.End, quoteList(EndReasons))
	}
	if c.End == EndRunEnd && c.To != n.meta.End && c.To != Forever {
		return bad("to", "%d, but the claim ends with the run (end %q); expected meta.end %d", c.To, EndRunEnd, n.meta.End)
	}
	if !slices.Contains(ClockKinds, c.Clock) {
		return bad("clock", "%q is not a clock; expected \"mono\", \"wall\", or none for a claim without a deadline", c.Clock)
	}
	return nil
}

func (n *nodes) checkWrite(w *Write) *fieldError {
	if err := n.holder("writer", w.Writer); err != nil {
		return err
	}
	return n.window("sent", w.Sent, "at", w.At, false)
}

func (n *nodes) checkOp(o *Op) *fieldError {
	if err := n.holder("client", o.Client); err != nil {
		return err
	}
	if o.Method == "" {
		return bad("method", "empty; expected the API call, like \"grant\" or \"put\"")
	}
	return n.window("call", o.Call, "return", o.Return, true)
}

func (n *nodes) checkFault(f *Fault) *fieldError {
	if f.Kind == "" {
		return bad("kind", "empty; expected the fault's kind, like \"partition\"")
	}
	for i, name := range f.Nodes {
		if !n.holders[name] && !n.issuers[name] && (name == "" || name != n.resource) {
			return bad(fmt.Sprintf("nodes[%d]", i), "%q is not a node of this history; expected one of meta.holders, meta.issuers or meta.resource", name)
		}
	}
	return n.window("from", f.From, "to", f.To, false)
}

func (n *nodes) checkStatus(s *Status) *fieldError {
	if len(n.issuers) == 0 {
		return bad("issuer", "%q, but meta lists no issuers; a history with status records names its issuers in meta.issuers", s.Issuer)
	}
	if !n.issuers[s.Issuer] {
		return bad("issuer", "%q is not an issuer of this history; expected one of meta.issuers (%s)", s.Issuer, strings.Join(n.meta.Issuers, ", "))
	}
	if err := n.holder("node", s.Node); err != nil {
		return err
	}
	if !slices.Contains(StatusKinds, s.Kind) {
		return bad("kind", "%q is not a status kind; expected one of %s", s.Kind, quoteList(StatusKinds))
	}
	if s.Kind == StatusExpired && s.Lease == "" {
		return bad("lease", "missing or empty; an %q status names the lease of node %q that expired, like %q", StatusExpired, s.Node, KeysPrefix+s.Node+"/0")
	}
	if s.Kind != StatusExpired && s.Lease != "" {
		return bad("lease", "%q given with kind %q; only an %q status names a lease", s.Lease, s.Kind, StatusExpired)
	}
	if s.Kind != StatusExpired && s.Epoch != 0 {
		return bad("epoch", "%d given with kind %q; only an %q status names a lease's grant", s.Epoch, s.Kind, StatusExpired)
	}
	if s.At < n.meta.Start || s.At > n.meta.End {
		return bad("at", "%d is outside the run's window; expected a time in [meta.start, meta.end] = [%d, %d] (ns)", s.At, n.meta.Start, n.meta.End)
	}
	return nil
}

func (n *nodes) checkUp(u *Up) *fieldError {
	if err := n.holder("holder", u.Holder); err != nil {
		return err
	}
	return n.window("from", u.From, "to", u.To, false)
}

func (n *nodes) node(field, name string) *fieldError {
	if name == "" || (!n.holders[name] && !n.issuers[name] && name != n.resource) {
		return bad(field, "%q is not a node of this history; expected one of meta.holders, meta.issuers or meta.resource", name)
	}
	return nil
}

func (n *nodes) checkMsg(m *Msg) *fieldError {
	if err := n.node("from", m.From); err != nil {
		return err
	}
	if err := n.node("to", m.To); err != nil {
		return err
	}
	if m.Kind == "" {
		return bad("kind", "empty; expected the protocol's name for the message, like \"grant\"")
	}
	return n.window("sent", m.Sent, "at", m.At, false)
}

func (n *nodes) checkClock(c *ClockPiece) *fieldError {
	if err := n.node("node", c.Node); err != nil {
		return err
	}
	if c.DriftPPB <= -1_000_000_000 {
		return bad("drift_ppb", "%d would stop or reverse the clock; expected a drift > -1000000000 (ppb)", c.DriftPPB)
	}
	if c.At < n.meta.Start || c.At > n.meta.End {
		return bad("at", "%d is outside the run's window; expected a time in [meta.start, meta.end] = [%d, %d] (ns)", c.At, n.meta.Start, n.meta.End)
	}
	return nil
}

func quoteList[S ~string](vs []S) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// ValidationError is a History that breaks a rule Read enforces (see Validate): the
// record (its type and index in its slice), the field and what is expected.
type ValidationError struct {
	Record string // "meta", "claim", …
	Index  int    // index in the History's slice of that record type; 0 for meta
	Field  string
	Msg    string
}

func (e *ValidationError) Error() string {
	if e.Record == TypeMeta {
		return fmt.Sprintf("meta.%s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("%s[%d].%s: %s", e.Record, e.Index, e.Field, e.Msg)
}

// Validate checks a History built in memory against the rules Read applies to every
// line (times in the window, names known, enumerations known), so that a producer can
// show that what it writes will read back.
func (h *History) Validate() error {
	n, fe := checkMeta(&h.Meta)
	if fe != nil {
		return &ValidationError{Record: TypeMeta, Field: fe.field, Msg: fe.msg}
	}
	wrap := func(typ string, i int, fe *fieldError) error {
		return &ValidationError{Record: typ, Index: i, Field: fe.field, Msg: fe.msg}
	}
	for i := range h.Claims {
		if fe := n.checkClaim(&h.Claims[i]); fe != nil {
			return wrap(TypeClaim, i, fe)
		}
	}
	for i := range h.Writes {
		if fe := n.checkWrite(&h.Writes[i]); fe != nil {
			return wrap(TypeWrite, i, fe)
		}
	}
	for i := range h.Ops {
		if fe := n.checkOp(&h.Ops[i]); fe != nil {
			return wrap(TypeOp, i, fe)
		}
	}
	for i := range h.Faults {
		if fe := n.checkFault(&h.Faults[i]); fe != nil {
			return wrap(TypeFault, i, fe)
		}
	}
	for i := range h.Statuses {
		if fe := n.checkStatus(&h.Statuses[i]); fe != nil {
			return wrap(TypeStatus, i, fe)
		}
	}
	for i := range h.Up {
		if fe := n.checkUp(&h.Up[i]); fe != nil {
			return wrap(TypeUp, i, fe)
		}
	}
	for i := range h.Msgs {
		if fe := n.checkMsg(&h.Msgs[i]); fe != nil {
			return wrap(TypeMsg, i, fe)
		}
	}
	for i := range h.Clocks {
		if fe := n.checkClock(&h.Clocks[i]); fe != nil {
			return wrap(TypeClock, i, fe)
		}
	}
	return nil
}
