package live

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/leasesim/leasesim/sim"
)

// PlanFromSim converts a scenario's faults (sim.Fault, times in ns from the run's start)
// into a live Plan for the given holders.
//
// In live mode every holder talks to one etcd through its own proxy, and etcd is both the
// issuer (Q, or Q1..Qn) and the resource (R). So a link fault has a live meaning only
// where it separates, slows or loses traffic between a holder and the issuer: it becomes
// a fault on that holder's proxy, in the matching direction (and it also affects the
// holder's writes, which go to the same etcd). Crash and pause of a holder act on its
// process. Faults with no live meaning are refused with an error naming the fault's index
// and kind: links between holders only, links to R only, anything done to the issuer
// other than isolating it (crash, pause, a partition inside the issuer cluster), clock
// steps and drift (live mode runs on the machine's real clocks), reordering (a TCP stream
// is delivered in order), and random schedules (expanded by the simulator; list the
// faults explicitly).
func PlanFromSim(faults []sim.Fault, holders []string) (Plan, error) {
	return PlanFromSimMembers(faults, holders, 1)
}

// PlanFromSimMembers is PlanFromSim for an embedded etcd of members members (Q1..Qn,
// Config.Members): with several members, a crash of issuer Qi (with or without a
// restart) stops member Qi (MemberCrash), so that a scenario that crashes the raft
// leader of its simulated cluster crashes a real etcd member, and isolating Qi cuts
// member Qi off from its peers and clients (MemberIsolate). Pausing a member is refused.
func PlanFromSimMembers(faults []sim.Fault, holders []string, members int) (Plan, error) {
	c := converter{holders: holders, members: members}
	var plan Plan
	for i, f := range faults {
		c.index, c.kind = i, f.Kind
		out, err := c.convert(f)
		if err != nil {
			return Plan{}, err
		}
		plan.Faults = append(plan.Faults, out...)
	}
	if err := plan.Validate(holders); err != nil {
		return Plan{}, err
	}
	return plan, nil
}

// converter converts one sim fault at a time and knows which fault it is at, for errors.
type converter struct {
	holders []string
	members int
	index   int
	kind    sim.FaultKind
}

var issuerName = regexp.MustCompile(`^Q[0-9]*$`)

// resourceName is the scenario name of the resource node.
const resourceName = "R"

// isMember reports whether name is one of the members Q1..Qn.
func (c *converter) isMember(name string) bool {
	for i := range c.members {
		if MemberName(i, c.members) == name {
			return true
		}
	}
	return false
}

// role classifies a node name of a scenario for live mode.
type role uint8

const (
	roleHolder role = iota
	roleIssuer
	roleResource
)

func (c *converter) fail(format string, args ...any) error {
	return fmt.Errorf("faults[%d] (%s): %s", c.index, c.kind, fmt.Sprintf(format, args...))
}

func (c *converter) roleOf(name string) (role, error) {
	switch {
	case name == TargetLeader || name == TargetRandom || slices.Contains(c.holders, name):
		return roleHolder, nil
	case issuerName.MatchString(name):
		return roleIssuer, nil
	case name == resourceName:
		return roleResource, nil
	}
	return 0, c.fail("node %q is not a holder (%s), %q, %q, an issuer (Q, Q1, Q2, ...) or the resource %q",
		name, strings.Join(c.holders, ", "), TargetLeader, TargetRandom, resourceName)
}

// span converts a sim fault's times; until == 0 stays 0 (to the end of the trial).
func (c *converter) span(f sim.Fault) (at, until time.Duration, err error) {
	if f.At < 0 {
		return 0, 0, c.fail("at = %v is negative", time.Duration(f.At))
	}
	if f.Until != 0 && f.Until <= f.At {
		return 0, 0, c.fail("until = %v is not after at = %v", time.Duration(f.Until), time.Duration(f.At))
	}
	return time.Duration(f.At), time.Duration(f.Until), nil
}

func (c *converter) base(kind FaultKind, target string, at, until time.Duration) Fault {
	return Fault{Kind: kind, Target: target, At: at, Until: until,
		Label: string(c.kind), Origin: fmt.Sprintf("faults[%d] (%s)", c.index, c.kind)}
}

func (c *converter) convert(f sim.Fault) ([]Fault, error) {
	switch f.Kind {
	case sim.FaultClockStep, sim.FaultDrift:
		return nil, c.fail("changes a node's clock; live mode runs on the machine's real clocks and cannot step or skew them")
	case sim.FaultReorder:
		return nil, c.fail("reorders messages; each holder talks to etcd over TCP, which delivers a stream in order, so reordering has no live meaning")
	case sim.FaultRandom:
		return nil, c.fail("a random schedule is expanded by the simulator from its seed; list its faults explicitly for live mode")
	case sim.FaultCut:
		if len(f.Groups) != 2 {
			return nil, c.fail("expected exactly 2 groups, got %d", len(f.Groups))
		}
		return c.separate(f, f.Groups)
	case sim.FaultPartition:
		if len(f.Groups) < 2 {
			return nil, c.fail("expected at least 2 groups, got %d", len(f.Groups))
		}
		return c.separate(f, f.Groups)
	case sim.FaultIsolate:
		return c.isolate(f)
	case sim.FaultCutOneway:
		return c.links(f, func(h string, d Direction, at, until time.Duration) Fault {
			x := c.base(Blackhole, h, at, until)
			x.Dir = d
			return x
		})
	case sim.FaultSlow:
		if f.By <= 0 {
			return nil, c.fail("by = %v; expected a positive extra delay", time.Duration(f.By))
		}
		return c.links(f, func(h string, d Direction, at, until time.Duration) Fault {
			x := c.base(Delay, h, at, until)
			x.Dir, x.Delay = d, time.Duration(f.By)
			return x
		})
	case sim.FaultLossy:
		if !(f.P > 0 && f.P <= 1) {
			return nil, c.fail("p = %g; expected a probability in (0, 1]", f.P)
		}
		return c.links(f, func(h string, d Direction, at, until time.Duration) Fault {
			if f.P >= 1 {
				// Everything lost is a blackhole: TCP retransmits until the link heals.
				x := c.base(Blackhole, h, at, until)
				x.Dir = d
				return x
			}
			x := c.base(Loss, h, at, until)
			x.Dir, x.Loss = d, f.P
			return x
		})
	case sim.FaultCrash, sim.FaultPause:
		r, err := c.roleOf(f.Node)
		if err != nil {
			return nil, err
		}
		if r == roleIssuer && c.members > 1 && f.Kind == sim.FaultCrash {
			if !c.isMember(f.Node) {
				return nil, c.fail("node %q is not a member of the %d-member etcd (Q1..Q%d)", f.Node, c.members, c.members)
			}
			at, until, err := c.span(f)
			if err != nil {
				return nil, err
			}
			return []Fault{c.base(MemberCrash, f.Node, at, until)}, nil
		}
		if r != roleHolder {
			if c.members > 1 {
				return nil, c.fail("node %q is not a holder; live mode can %s only holder processes, and crash (stop, then restart) etcd members", f.Node, f.Kind)
			}
			return nil, c.fail("node %q is not a holder; live mode can %s only holder processes (etcd runs in this process or elsewhere)", f.Node, f.Kind)
		}
		at, until, err := c.span(f)
		if err != nil {
			return nil, err
		}
		kind := Pause
		if f.Kind == sim.FaultCrash {
			kind = Crash
		}
		return []Fault{c.base(kind, f.Node, at, until)}, nil
	}
	return nil, c.fail("unknown fault kind")
}

// isolate cuts a holder from etcd, or every holder when the issuer itself is isolated.
func (c *converter) isolate(f sim.Fault) ([]Fault, error) {
	r, err := c.roleOf(f.Node)
	if err != nil {
		return nil, err
	}
	at, until, err := c.span(f)
	if err != nil {
		return nil, err
	}
	switch r {
	case roleHolder:
		return []Fault{c.base(Blackhole, f.Node, at, until)}, nil
	case roleIssuer:
		if c.members > 1 {
			if !c.isMember(f.Node) {
				return nil, c.fail("node %q is not a member of the %d-member etcd (Q1..Q%d)", f.Node, c.members, c.members)
			}
			return []Fault{c.base(MemberIsolate, f.Node, at, until)}, nil
		}
		out := make([]Fault, 0, len(c.holders))
		for _, h := range c.holders {
			out = append(out, c.base(Blackhole, h, at, until))
		}
		return out, nil
	}
	return nil, c.fail("isolates the resource R only; in live mode R and the issuer are the same etcd, so R cannot be cut off without cutting the issuer")
}

// separate blackholes, both ways, every holder that the groups separate from the issuer.
func (c *converter) separate(f sim.Fault, groups [][]string) ([]Fault, error) {
	at, until, err := c.span(f)
	if err != nil {
		return nil, err
	}
	issuerGroup, resourceGroup := -1, -1
	for g, group := range groups {
		for _, n := range group {
			r, err := c.roleOf(n)
			if err != nil {
				return nil, err
			}
			switch r {
			case roleIssuer:
				if issuerGroup >= 0 && issuerGroup != g {
					return nil, c.fail("partitions the issuer cluster (%v and %v); live mode runs one etcd and cannot partition it", groups[issuerGroup], group)
				}
				issuerGroup = g
			case roleResource:
				resourceGroup = g
			}
		}
	}
	if issuerGroup < 0 {
		if resourceGroup >= 0 {
			return nil, c.fail("separates holders from the resource R only; in live mode R and the issuer are the same etcd, so R cannot be cut off without cutting the issuer")
		}
		return nil, c.fail("separates holders from each other only; in live mode holders talk only to etcd, so this has no live meaning")
	}
	var out []Fault
	for g, group := range groups {
		if g == issuerGroup {
			continue
		}
		for _, n := range group {
			if r, _ := c.roleOf(n); r == roleHolder {
				out = append(out, c.base(Blackhole, n, at, until))
			}
		}
	}
	if len(out) == 0 {
		return nil, c.fail("separates no holder from the issuer; it has no live meaning")
	}
	return out, nil
}

// links converts a fault on the links From → To into proxy faults, one per holder with
// an issuer on the other side, in the direction of the traffic.
func (c *converter) links(f sim.Fault, build func(holder string, d Direction, at, until time.Duration) Fault) ([]Fault, error) {
	at, until, err := c.span(f)
	if err != nil {
		return nil, err
	}
	if len(f.From) == 0 || len(f.To) == 0 {
		return nil, c.fail("expected nodes in both from and to")
	}
	has := func(names []string, want role) (bool, error) {
		for _, n := range names {
			r, err := c.roleOf(n)
			if err != nil {
				return false, err
			}
			if r == want {
				return true, nil
			}
		}
		return false, nil
	}
	holdersOf := func(names []string) []string {
		var hs []string
		for _, n := range names {
			if r, _ := c.roleOf(n); r == roleHolder {
				hs = append(hs, n)
			}
		}
		return hs
	}
	issuerTo, err := has(f.To, roleIssuer)
	if err != nil {
		return nil, err
	}
	issuerFrom, err := has(f.From, roleIssuer)
	if err != nil {
		return nil, err
	}
	var out []Fault
	if issuerTo {
		for _, h := range holdersOf(f.From) {
			out = append(out, build(h, ToServer, at, until))
		}
	}
	if issuerFrom {
		for _, h := range holdersOf(f.To) {
			out = append(out, build(h, ToClient, at, until))
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	resTo, _ := has(f.To, roleResource)
	resFrom, _ := has(f.From, roleResource)
	if resTo || resFrom {
		return nil, c.fail("acts on links to the resource R only; in live mode R and the issuer are the same etcd, so the links to R cannot be faulted without those to the issuer")
	}
	return nil, c.fail("acts on no link between a holder and the issuer; in live mode holders talk only to etcd, so this has no live meaning")
}
