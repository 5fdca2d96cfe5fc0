package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leasesim/leasesim/internal/exit"
)

// TestBadInputExitsTwo: histories and scenario files that `check` and `run` used to
// accept — with a wrong verdict, wrong metrics, or a panic — exit 2 with a message naming
// the file, the line and the field.
func TestBadInputExitsTwo(t *testing.T) {
	const meta = `{"type":"meta","scenario":"x","protocol":"lease","seed":1,"start":0,"end":10000000000,"holders":["A","B"],"issuers":["Q"]}`
	const claimA = `{"type":"claim","holder":"A","lease":"leader","epoch":1,"from":0,"to":5000000000,"end":"deadline"}`
	const live = `{"type":"claim","holder":"A","lease":"live/A","epoch":1,"from":0,"to":8000000000,"end":"deadline"}`
	tests := []struct {
		name, file, body string
		args             []string
		want             string
	}{
		{"claim without lease", "h.jsonl", meta + "\n" + claimA + "\n" + `{"type":"claim","holder":"B","epoch":2,"from":1000000000,"to":6000000000,"end":"deadline"}`,
			[]string{"check"}, "h.jsonl:3: claim.lease: missing"},
		{"misspelled status kind", "h.jsonl", meta + "\n" + live + "\n" + `{"type":"status","issuer":"Q","node":"A","kind":"declared-faild","at":2000000000}`,
			[]string{"check"}, `h.jsonl:3: status.kind: "declared-faild" is not a status kind`},
		{"end exploded", "h.jsonl", meta + "\n" + strings.Replace(claimA, `"deadline"`, `"exploded"`, 1),
			[]string{"check"}, `h.jsonl:2: claim.end: "exploded" is not a reason a claim ends`},
		{"negative time", "h.jsonl", meta + "\n" + strings.Replace(claimA, `"from":0`, `"from":-5000000000`, 1),
			[]string{"check"}, "h.jsonl:2: claim.from: -5000000000 is outside the run's window"},
		{"claim outside the window", "h.jsonl", meta + "\n" + strings.Replace(claimA, `"to":5000000000`, `"to":50000000000`, 1),
			[]string{"check"}, "h.jsonl:2: claim.to: 50000000000 is after the run's end"},
		{"unknown holder", "h.jsonl", meta + "\n" + strings.Replace(claimA, `"holder":"A"`, `"holder":"Z"`, 1),
			[]string{"check"}, `h.jsonl:2: claim.holder: "Z" is not a holder`},
		{"meta end before start", "h.jsonl", strings.Replace(meta, `"end":10000000000`, `"end":-10`, 1),
			[]string{"check"}, "h.jsonl:1: meta.end: -10 is not after start 0"},
		{"write_every 0", "s.yaml", "name: x\nprotocol: lease\nresource: true\nduration: 10s\nseeds: 1\nparams: {write_every: 0}\n",
			[]string{"run"}, "s.yaml:6:10: params.write_every: 0s is the period of a repeating event; expected at least 1ms"},
		{"lease near the int64 limit", "s.yaml", "name: x\nprotocol: lease\nresource: true\nduration: 10s\nseeds: 1\nparams: {lease: 2562046h50m, renew: 1s, guard: 1h}\n",
			[]string{"run"}, "s.yaml:6:10: params.lease: 2562046h50m0s is too long; expected at most 1000h"},
	}
	t.Run("negative check timeout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "h.jsonl")
		if err := os.WriteFile(path, []byte(meta+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := leasesim(t, "check", "--timeout", "-1s", path)
		if code != exit.BadInput || !strings.Contains(errOut, "--timeout: -1s is negative") {
			t.Errorf("exit %d, stderr %s", code, errOut)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.body+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := leasesim(t, append(tt.args, path)...)
			if code != exit.BadInput {
				t.Errorf("exit %d, want %d\n%s%s", code, exit.BadInput, out, errOut)
			}
			if !strings.Contains(errOut, filepath.Dir(path)+string(filepath.Separator)+tt.want) {
				t.Errorf("stderr:\n%s\nwant it to contain the path and:\n%s", errOut, tt.want)
			}
		})
	}
}
