package liverun

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
	"github.com/leasesim/leasesim/live"
)

// TestExit: live etcd's exit code from its trials and its error.
func TestExit(t *testing.T) {
	ok, bad, unknown := live.TrialResult{Verdict: live.VerdictOK}, live.TrialResult{Verdict: live.VerdictViolated}, live.TrialResult{Verdict: live.VerdictUnknown}
	for _, c := range []struct {
		name    string
		results []live.TrialResult
		err     error
		want    int
	}{
		{"all ok", []live.TrialResult{ok, ok}, nil, exit.OK},
		{"one undecided", []live.TrialResult{ok, unknown}, nil, exit.Undecided},
		{"violated wins", []live.TrialResult{unknown, bad}, nil, exit.Violated},
		{"unreachable", nil, &live.EndpointError{Endpoint: "127.0.0.1:1", Err: errors.New("refused")}, exit.BadInput},
		{"cluster cannot start", nil, fmt.Errorf("%w: port taken", live.ErrClusterStart), exit.BadInput},
		{"other error", []live.TrialResult{ok}, errors.New("write failed"), exit.Undecided},
	} {
		code := exit.OK
		var e *exit.Error
		if err := Exit(c.results, c.err); errors.As(err, &e) {
			code = e.Code
		}
		if code != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, code, c.want)
		}
	}
}

// TestCommandPrint: trials as JSON lines with JSON, else each trial and the summary.
func TestCommandPrint(t *testing.T) {
	results := []live.TrialResult{{Trial: 1, Verdict: live.VerdictOK}}
	var b bytes.Buffer
	Command{JSON: true}.Print(&b, results, []live.Summary{Summarize(results)})
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "{") {
		t.Errorf("JSON: %q", got)
	}
	b.Reset()
	Command{}.Print(&b, results, []live.Summary{Summarize(results)})
	if got := b.String(); strings.HasPrefix(got, "{") || strings.Count(got, "\n") < 2 {
		t.Errorf("text: %q", got)
	}
}
