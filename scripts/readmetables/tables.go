package main

import (
	"fmt"
	"strings"
)

// table specifies one generated table: where it goes, what runs, and how each row and
// column is rendered from a scenario's results.
type table struct {
	// id names the table in its markers (<!-- table:ID begin ... -->) and in -only.
	id string
	// file is the markdown file that holds the markers, relative to the repository root.
	file string
	// seeds is the seed count every scenario of the table runs with (`--seeds`).
	seeds int
	// head is the header row: the fixed columns' titles, then the measured columns'.
	head []string
	// rows are in the order of the table; each names a built-in scenario.
	rows []row
	// cols render the measured columns of a row.
	cols []column
}

// row is one table row: its fixed, hand-written cells and the scenario it measures.
type row struct {
	scenario string
	text     []string
}

// column renders one measured cell from a scenario's results.
type column func(m measured) string

// scenarios lists the table's scenarios in row order, without repeats.
func (t table) scenarios() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range t.rows {
		if !seen[r.scenario] {
			seen[r.scenario] = true
			out = append(out, r.scenario)
		}
	}
	return out
}

// command is the leasesim command line that measures the table.
func (t table) command() string {
	return fmt.Sprintf("go run ./cmd/leasesim suite %s --seeds %d --json", strings.Join(t.scenarios(), " "), t.seeds)
}

// haSchedule is the HA table's row header: both scenarios crash a node for 10s three
// times.
const haSchedule = "issuer under the same schedule (a node crashes for 10s three times)"

// tables are every generated table, in the order they are measured.
var tables = []table{
	{
		id: "ha", file: "README.md", seeds: 200,
		head: []string{haSchedule, "unavailable p50", "p99", "longest gap", "issuer msgs/s", "violations"},
		rows: []row{
			{"etcd-issuer-crashes", []string{"one node (`etcd-issuer-crashes`)"}},
			{"etcd-raft-leader-crash", []string{"3-node raft cluster (`etcd-raft-leader-crash`)"}},
		},
		cols: []column{unavailableP50(1), unavailableP99(1), longestGap, issuerMsgs, violations},
	},
	{
		id: "keys", file: "README.md", seeds: 200,
		head: []string{"1,000 keys kept alive by one client, issuer 500µs per request", "issuer msgs/s", "key unavailability p50", "p99", "violations"},
		rows: []row{
			{"etcd-keys-own-leases", []string{"a lease per key (`etcd-keys-own-leases`)"}},
			{"etcd-keys-shared-leases", []string{"10 shared leases (`etcd-keys-shared-leases`)"}},
		},
		cols: []column{issuerMsgs, keysP50, keysP99, violations},
	},
	{
		id: "redlock", file: "README.md", seeds: 200,
		head: []string{"scenario", "what happens", "P1", "P2"},
		rows: []row{
			{"redlock-clock-step", []string{"`redlock-clock-step`", "the leader reaches only 2 of 3 issuers; one of them steps its wall clock 15s forward"}},
			{"redlock-clock-slew", []string{"`redlock-clock-slew`", "no steps; issuers and holders drift, swing (periodic) and slew up to 7500 ppm apart, inside the 1% allowance"}},
			{"redlock-drift-outside", []string{"`redlock-drift-outside`", "the same, 14500 ppm apart: beyond the allowance"}},
			{"redlock-pause-nofence", []string{"`redlock-pause-nofence`", "the leader pauses 15s with a write about to leave"}},
			{"redlock-pause-fenced", []string{"`redlock-pause-fenced`", "the same with fencing tokens (`fenced: true`)"}},
			{"redlock-clock-step-fenced", []string{"`redlock-clock-step-fenced`", "the clock step with fencing tokens"}},
			{"mutant-redlock-no-drift-allowance", []string{"`mutant-redlock-no-drift-allowance`", "validity without the drift allowance, clocks of `redlock-clock-slew`"}},
			{"mutant-redlock-validity-from-reply", []string{"`mutant-redlock-validity-from-reply`", "validity counted from the replies; slow replies, then the leader's requests cut"}},
		},
		cols: []column{property("p1", false), property("p2", true)},
	},
}

// tableByID returns the table named id.
func tableByID(id string) (table, bool) {
	for _, t := range tables {
		if t.id == id {
			return t, true
		}
	}
	return table{}, false
}
