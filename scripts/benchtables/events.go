package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// eventsScenario is the events table's scenario: the reference workload.
const eventsScenario = "reference"

// eventsOutput is what the events table reads of `leasesim bench --events --json`.
type eventsOutput struct {
	Seed  uint64  `json:"seed"`
	Hours float64 `json:"simulated_hours"`
	Rows  []struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
		Detail  string `json:"detail"`
		PerRun  int64  `json:"per_run"`
	} `json:"rows"`
	Stepped  int64 `json:"stepped"`
	Events   int64 `json:"events"`
	Messages int64 `json:"messages"`
}

// eventsTable shows where the reference workload's events per simulated hour go, by kind
// and message type: `leasesim bench --events`, one run, no timing.
func eventsTable(r *runner, o options) (string, error) {
	ls, err := r.bin("leasesim")
	if err != nil {
		return "", err
	}
	r.step("events: leasesim bench %s --events --json", eventsScenario)
	u, err := r.exec([]int{0}, ls, "bench", eventsScenario, "--events", "--json")
	if err != nil {
		return "", err
	}
	var e eventsOutput
	if err := json.Unmarshal(u.Stdout, &e); err != nil {
		return "", fmt.Errorf("leasesim bench --events --json: %v in %q", err, u.Stdout)
	}
	if e.Hours <= 0 || e.Stepped == 0 {
		return "", fmt.Errorf("leasesim bench --events --json: no events or no simulated time in %q", u.Stdout)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nOne run of `%s` (seed %d, %g simulated hours), counted from its transcript; a share is of the timers and deliveries, the events handed to a node:\n\n", eventsScenario, e.Seed, e.Hours)
	b.WriteString(codeBlock("go run ./cmd/leasesim bench " + eventsScenario + " --events"))
	b.WriteString("\n")
	b.WriteString(row("kind", "message", "per simulated hour", "share"))
	b.WriteString(rule(4))
	for _, x := range e.Rows {
		msg := x.Message
		if msg != "" {
			msg = "`" + msg + "`"
		}
		if x.Detail != "" {
			msg += " (" + x.Detail + ")"
		}
		share := ""
		if x.Kind == "timer" || x.Kind == "deliver" {
			share = num(100*float64(x.PerRun)/float64(e.Stepped)) + "%"
		}
		b.WriteString(row(x.Kind, msg, count(float64(x.PerRun)/e.Hours), share))
	}
	b.WriteString(row("**timers and deliveries**", "", "**"+count(float64(e.Stepped)/e.Hours)+"**", "100%"))
	fmt.Fprintf(&b, "\nThe run's meta: %s events (node steps), %s messages.\n", commas(e.Events), commas(e.Messages))
	return b.String(), nil
}
