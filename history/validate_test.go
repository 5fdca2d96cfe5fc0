package history

import (
	"errors"
	"strings"
	"testing"
)

// The records of a small valid history, for the tests to break one field at a time.
const (
	tMeta   = `{"type":"meta","scenario":"s","protocol":"lease","seed":1,"start":0,"end":10000000000,"holders":["A","B"],"issuers":["Q"],"resource":"R"}`
	tClaimA = `{"type":"claim","holder":"A","lease":"leader","epoch":1,"from":0,"to":5000000000,"end":"deadline","clock":"mono"}`
	tClaimB = `{"type":"claim","holder":"B","lease":"leader","epoch":2,"from":1000000000,"to":6000000000,"end":"deadline"}`
	tLive   = `{"type":"claim","holder":"A","lease":"live/A","epoch":1,"from":0,"to":8000000000,"end":"deadline"}`
	tStatus = `{"type":"status","issuer":"Q","node":"A","kind":"declared-failed","at":2000000000}`
	tWrite  = `{"type":"write","writer":"A","epoch":1,"sent":10,"at":20,"accepted":true}`
	tOp     = `{"type":"op","client":"A","call":5,"return":9,"method":"get","ok":true}`
	tFault  = `{"type":"fault","kind":"cut","nodes":["Q","A","R"],"from":0,"to":100}`
	tUp     = `{"type":"up","holder":"B","from":0,"to":100}`
	tMsg    = `{"type":"msg","from":"Q","to":"A","kind":"grant","sent":10,"at":15,"sent_clock":10,"at_clock":16,"epoch":1}`
	tClock  = `{"type":"clock","node":"A","at":0,"mono":0,"wall":5,"drift_ppb":100000}`
	// tKeys and tExpired: A's key lease, and the issuer expiring it (P4).
	tKeys    = `{"type":"claim","holder":"A","lease":"keys/A/0","epoch":7,"from":0,"to":3000000000,"end":"deadline","clock":"mono"}`
	tExpired = `{"type":"status","issuer":"Q","node":"A","kind":"expired","at":4000000000,"lease":"keys/A/0","epoch":7}`
)

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// edit replaces old by new in a record, failing when old is not in it.
func edit(t *testing.T, rec, old, new string) string {
	t.Helper()
	if !strings.Contains(rec, old) {
		t.Fatalf("%q is not in %s", old, rec)
	}
	return strings.Replace(rec, old, new, 1)
}

func TestReadAcceptsTheValidSample(t *testing.T) {
	swarmMeta := strings.Replace(tMeta, `"resource":"R"`, `"resource":"R","swarm":["faults[0]: on crash every 9s for 2s; all kinds every 9s (configured 10s)"]`, 1)
	in := lines(swarmMeta, tClaimA, tLive, tStatus, tWrite, tOp, tFault, tUp, tMsg, tClock, tKeys, tExpired)
	h, err := Read(strings.NewReader(in), "h.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Meta.Swarm) != 1 {
		t.Fatalf("meta.swarm read as %q", h.Meta.Swarm)
	}
	if want := (Status{Issuer: "Q", Node: "A", Kind: StatusExpired, At: 4e9, Lease: "keys/A/0", Epoch: 7}); len(h.Statuses) != 2 || h.Statuses[1] != want {
		t.Fatalf("statuses read as %+v; want the second %+v", h.Statuses, want)
	}
	if len(h.Claims) != 3 || len(h.Statuses) != 2 || len(h.Writes) != 1 || len(h.Ops) != 1 || len(h.Faults) != 1 || len(h.Up) != 1 || len(h.Msgs) != 1 || len(h.Clocks) != 1 {
		t.Fatalf("read %+v", h)
	}
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate rejects what Read accepted: %v", err)
	}
}

// TestReadRejectsEveryBrokenField: each case breaks one rule and must be reported with
// the file, line, field and what is expected. The first cases are the ones `check`
// accepted before, with a wrong verdict or wrong metrics.
func TestReadRejectsEveryBrokenField(t *testing.T) {
	tests := []struct {
		name string
		in   func(t *testing.T) string
		want string
	}{
		// A claim with no lease formed no overlap with B's claim: P1 was OK.
		{"claim without lease", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"lease":"leader",`, ""), tClaimB)
		}, "h.jsonl:2: claim.lease: missing; a claim record requires lease (a string)"},
		// A misspelled status kind was skipped, and the P4 violation with it.
		{"status kind misspelled", func(t *testing.T) string {
			return lines(tMeta, tLive, edit(t, tStatus, "declared-failed", "declared-faild"))
		}, `h.jsonl:3: status.kind: "declared-faild" is not a status kind; expected one of "declared-failed", "promoted", "expired"`},
		// An expired status names the lease that expired; the other kinds name none.
		{"expired status without lease", func(t *testing.T) string {
			return lines(tMeta, tKeys, edit(t, tExpired, `,"lease":"keys/A/0"`, ""))
		}, `h.jsonl:3: status.lease: missing or empty; an "expired" status names the lease of node "A" that expired, like "keys/A/0"`},
		{"expired status with an empty lease", func(t *testing.T) string {
			return lines(tMeta, tKeys, edit(t, tExpired, `"lease":"keys/A/0"`, `"lease":""`))
		}, `h.jsonl:3: status.lease: missing or empty`},
		{"declared-failed status with a lease", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"at":2000000000`, `"at":2000000000,"lease":"keys/A/0"`))
		}, `h.jsonl:2: status.lease: "keys/A/0" given with kind "declared-failed"; only an "expired" status names a lease`},
		{"promoted status with an epoch", func(t *testing.T) string {
			return lines(tMeta, edit(t, edit(t, tStatus, `"declared-failed"`, `"promoted"`), `"at":2000000000`, `"at":2000000000,"epoch":3`))
		}, `h.jsonl:2: status.epoch: 3 given with kind "promoted"; only an "expired" status names a lease's grant`},
		// Given but empty or zero, lease and epoch decode as if absent; they are still
		// refused on the other kinds, as the schema refuses them.
		{"declared-failed status with a zero epoch", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"at":2000000000`, `"at":2000000000,"epoch":0`))
		}, `h.jsonl:2: status.epoch: 0 given with kind "declared-failed"; only an "expired" status names a lease's grant`},
		{"promoted status with an empty lease", func(t *testing.T) string {
			return lines(tMeta, edit(t, edit(t, tStatus, `"declared-failed"`, `"promoted"`), `"at":2000000000`, `"at":2000000000,"lease":""`))
		}, `h.jsonl:2: status.lease: "" given with kind "promoted"; only an "expired" status names a lease`},
		{"expired status epoch negative", func(t *testing.T) string {
			return lines(tMeta, edit(t, tExpired, `"epoch":7`, `"epoch":-7`))
		}, "h.jsonl:2: status.epoch: expected an integer >= 0 (uint64), got a JSON number -7"},
		{"expired status lease not a string", func(t *testing.T) string {
			return lines(tMeta, edit(t, tExpired, `"lease":"keys/A/0"`, `"lease":7`))
		}, "h.jsonl:2: status.lease: expected a string, got a JSON number"},
		{"status field misspelled", func(t *testing.T) string {
			return lines(tMeta, edit(t, tExpired, `"lease":`, `"leas":`))
		}, "h.jsonl:2: status.leas: unknown field; a status record has issuer, node, kind, at, lease, epoch"},
		{"claim end unknown", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"end":"deadline"`, `"end":"exploded"`))
		}, `h.jsonl:2: claim.end: "exploded" is not a reason a claim ends; expected one of "deadline", "release", "crash", "replaced", "run-end"`},
		{"claim ends before it starts", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0,"to":5000000000`, `"from":6000000000,"to":5000000000`))
		}, "h.jsonl:2: claim.to: 5000000000 is before from 6000000000; expected to >= from"},
		{"negative claim time", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0`, `"from":-5000000000`))
		}, "h.jsonl:2: claim.from: -5000000000 is outside the run's window; expected a time in [meta.start, meta.end] = [0, 10000000000] (ns)"},
		{"claim past the window", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"to":5000000000`, `"to":50000000000`))
		}, "h.jsonl:2: claim.to: 50000000000 is after the run's end; expected a time in [from, meta.end] = [0, 10000000000] (ns), or 9223372036854775807 (Forever) for no end"},
		{"unknown holder", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"holder":"A"`, `"holder":"Z"`))
		}, `h.jsonl:2: claim.holder: "Z" is not a holder of this history; expected one of meta.holders (A, B)`},
		{"time as a string", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0`, `"from":"0"`))
		}, "h.jsonl:2: claim.from: expected an integer (int64), got a JSON string"},
		{"time as a fraction", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0`, `"from":0.5`))
		}, "h.jsonl:2: claim.from: expected an integer (int64), got a JSON number 0.5"},
		{"negative epoch", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"epoch":1`, `"epoch":-1`))
		}, "h.jsonl:2: claim.epoch: expected an integer >= 0 (uint64), got a JSON number -1"},
		{"null field", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0`, `"from":null`))
		}, "h.jsonl:2: claim.from: null; expected an integer"},
		{"duplicate field", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"from":0`, `"from":0,"from":1`))
		}, "h.jsonl:2: claim.from: given twice; expected each field once"},
		{"field in the wrong case", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"holder"`, `"Holder"`))
		}, "h.jsonl:2: claim.Holder: unknown field; a claim record has holder, lease, epoch, from, to, end, clock"},
		{"unknown field", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"clock":"mono"`, `"colour":"red"`))
		}, "h.jsonl:2: claim.colour: unknown field"},
		{"run-end claim before the end", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"end":"deadline"`, `"end":"run-end"`))
		}, `h.jsonl:2: claim.to: 5000000000, but the claim ends with the run (end "run-end"); expected meta.end 10000000000`},
		{"unknown clock", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"clock":"mono"`, `"clock":"sundial"`))
		}, `h.jsonl:2: claim.clock: "sundial" is not a clock`},
		{"empty lease", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClaimA, `"lease":"leader"`, `"lease":""`))
		}, "h.jsonl:2: claim.lease: empty; expected the name of the lease claimed"},
		// meta
		{"meta end before start", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"end":10000000000`, `"end":-10`))
		}, "h.jsonl:1: meta.end: -10 is not after start 0; expected the end of a non-empty window"},
		{"meta negative start", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"start":0`, `"start":-1`))
		}, "h.jsonl:1: meta.start: -1 is negative; expected a time >= 0"},
		{"meta without holders", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"holders":["A","B"],`, ""))
		}, "h.jsonl:1: meta.holders: missing; a meta record requires holders (a list of strings)"},
		{"meta empty holders", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"holders":["A","B"]`, `"holders":[]`))
		}, "h.jsonl:1: meta.holders: empty; expected the names of the holders"},
		{"meta holder twice", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"holders":["A","B"]`, `"holders":["A","A"]`))
		}, `h.jsonl:1: meta.holders[1]: "A" is listed twice`},
		{"meta issuer is a holder", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"issuers":["Q"]`, `"issuers":["A"]`))
		}, `h.jsonl:1: meta.issuers[0]: "A" is listed twice among holders and issuers`},
		{"meta negative counter", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"resource":"R"`, `"resource":"R","events":-3`))
		}, "h.jsonl:1: meta.events: -3 is negative"},
		{"meta empty swarm line", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"resource":"R"`, `"resource":"R","swarm":["faults[0]: on crash every 9s for 2s; all kinds every 9s (configured 10s)"," "]`))
		}, "h.jsonl:1: meta.swarm[1]: empty; expected the fault mix a swarm random entry drew"},
		{"meta swarm not a list", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"resource":"R"`, `"resource":"R","swarm":"faults[0]: on crash"`))
		}, "h.jsonl:1: meta.swarm: expected a list of strings, got a JSON string"},
		{"meta seed as a string", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"seed":1`, `"seed":"1"`))
		}, "h.jsonl:1: meta.seed: expected an integer >= 0 (uint64), got a JSON string"},
		{"meta not first", func(t *testing.T) string { return lines(tClaimA, tMeta) }, "h.jsonl:1: a claim record before the meta record"},
		{"two metas", func(t *testing.T) string { return lines(tMeta, tMeta) }, "h.jsonl:2: a second meta record"},
		{"no meta", func(t *testing.T) string { return "\n\n" }, `h.jsonl:2: no "meta" record`},
		// the other records
		{"message from an unknown node", func(t *testing.T) string {
			return lines(tMeta, edit(t, tMsg, `"from":"Q"`, `"from":"P"`))
		}, `h.jsonl:2: msg.from: "P" is not a node of this history; expected one of meta.holders, meta.issuers or meta.resource`},
		{"message delivered before it was sent", func(t *testing.T) string {
			return lines(tMeta, edit(t, tMsg, `"at":15`, `"at":5`))
		}, "h.jsonl:2: msg.at: 5 is before sent 10; expected at >= sent"},
		{"message without a kind", func(t *testing.T) string {
			return lines(tMeta, edit(t, tMsg, `"kind":"grant"`, `"kind":""`))
		}, "h.jsonl:2: msg.kind: empty; expected the protocol's name for the message"},
		{"message without its sender's clock", func(t *testing.T) string {
			return lines(tMeta, edit(t, tMsg, `"sent_clock":10,`, ""))
		}, "h.jsonl:2: msg.sent_clock: missing; a msg record requires sent_clock (an integer)"},
		{"clock running backwards", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClock, `"drift_ppb":100000`, `"drift_ppb":-1000000000`))
		}, "h.jsonl:2: clock.drift_ppb: -1000000000 would stop or reverse the clock"},
		{"clock piece of an unknown node", func(t *testing.T) string {
			return lines(tMeta, edit(t, tClock, `"node":"A"`, `"node":"Z"`))
		}, `h.jsonl:2: clock.node: "Z" is not a node of this history`},
		{"status of an unknown issuer", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"issuer":"Q"`, `"issuer":"P"`))
		}, `h.jsonl:2: status.issuer: "P" is not an issuer of this history; expected one of meta.issuers (Q)`},
		{"status without issuers in meta", func(t *testing.T) string {
			return lines(edit(t, tMeta, `"issuers":["Q"],`, ""), tStatus)
		}, `h.jsonl:2: status.issuer: "Q", but meta lists no issuers`},
		{"status of an unknown node", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"node":"A"`, `"node":"Q"`))
		}, `h.jsonl:2: status.node: "Q" is not a holder of this history`},
		{"status after the end", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"at":2000000000`, `"at":20000000000`))
		}, "h.jsonl:2: status.at: 20000000000 is outside the run's window"},
		{"status without kind", func(t *testing.T) string {
			return lines(tMeta, edit(t, tStatus, `"kind":"declared-failed",`, ""))
		}, "h.jsonl:2: status.kind: missing; a status record requires kind (a string)"},
		{"write from an unknown node", func(t *testing.T) string {
			return lines(tMeta, edit(t, tWrite, `"writer":"A"`, `"writer":"X"`))
		}, `h.jsonl:2: write.writer: "X" is not a holder`},
		{"write accepted before it was sent", func(t *testing.T) string {
			return lines(tMeta, edit(t, tWrite, `"sent":10`, `"sent":30`))
		}, "h.jsonl:2: write.at: 20 is before sent 30; expected at >= sent"},
		{"write without accepted", func(t *testing.T) string {
			return lines(tMeta, edit(t, tWrite, `,"accepted":true`, ""))
		}, "h.jsonl:2: write.accepted: missing; a write record requires accepted (true or false)"},
		{"op without ok", func(t *testing.T) string {
			return lines(tMeta, edit(t, tOp, `,"ok":true`, ""))
		}, "h.jsonl:2: op.ok: missing; an op record requires ok (true or false)"},
		{"write accepted as a string", func(t *testing.T) string {
			return lines(tMeta, edit(t, tWrite, `"accepted":true`, `"accepted":"yes"`))
		}, "h.jsonl:2: write.accepted: expected true or false, got a JSON string"},
		{"op returns before its call", func(t *testing.T) string {
			return lines(tMeta, edit(t, tOp, `"return":9`, `"return":2`))
		}, "h.jsonl:2: op.return: 2 is before call 5; expected return >= call"},
		{"op without method", func(t *testing.T) string {
			return lines(tMeta, edit(t, tOp, `"method":"get"`, `"method":""`))
		}, "h.jsonl:2: op.method: empty"},
		{"op of an unknown client", func(t *testing.T) string {
			return lines(tMeta, edit(t, tOp, `"client":"A"`, `"client":"Q"`))
		}, `h.jsonl:2: op.client: "Q" is not a holder`},
		{"fault on an unknown node", func(t *testing.T) string {
			return lines(tMeta, edit(t, tFault, `"R"]`, `"S"]`))
		}, `h.jsonl:2: fault.nodes[2]: "S" is not a node of this history`},
		{"fault without kind", func(t *testing.T) string {
			return lines(tMeta, edit(t, tFault, `"kind":"cut"`, `"kind":""`))
		}, "h.jsonl:2: fault.kind: empty"},
		{"fault negative", func(t *testing.T) string {
			return lines(tMeta, edit(t, tFault, `"from":0`, `"from":-1`))
		}, "h.jsonl:2: fault.from: -1 is outside the run's window"},
		{"up past the end", func(t *testing.T) string {
			return lines(tMeta, edit(t, tUp, `"to":100`, `"to":10000000001`))
		}, "h.jsonl:2: up.to: 10000000001 is after the run's end"},
		{"up of an unknown holder", func(t *testing.T) string {
			return lines(tMeta, edit(t, tUp, `"holder":"B"`, `"holder":"R"`))
		}, `h.jsonl:2: up.holder: "R" is not a holder`},
		// lines that are not records
		{"unknown type", func(t *testing.T) string { return lines(tMeta, `{"type":"clam"}`) }, `h.jsonl:2: type: unknown record type "clam"; expected one of`},
		{"type not a string", func(t *testing.T) string { return lines(tMeta, `{"type":7}`) }, `h.jsonl:2: type: expected a string`},
		{"type twice", func(t *testing.T) string {
			return lines(tMeta, edit(t, tUp, `"type":"up",`, `"type":"up","type":"up",`))
		}, `h.jsonl:2: up.type: given twice`},
		{"no type", func(t *testing.T) string { return lines(tMeta, `{"holder":"A"}`) }, `h.jsonl:2: record has no "type"`},
		{"not json", func(t *testing.T) string { return lines(tMeta, `claim A 1 2`) }, "h.jsonl:2: not a JSON object: not valid JSON"},
		{"a list", func(t *testing.T) string { return lines(tMeta, `[1, 2]`) }, "h.jsonl:2: not a JSON object: got a list"},
		{"truncated", func(t *testing.T) string { return lines(tMeta, tClaimA[:40]) }, "h.jsonl:2: not a JSON object: not valid JSON"},
		{"trailing garbage", func(t *testing.T) string { return lines(tMeta, tClaimA+"x") }, "h.jsonl:2: not a JSON object: not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Read(strings.NewReader(tt.in(t)), "h.jsonl")
			if err == nil {
				t.Fatalf("accepted: %+v", h)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Source != "h.jsonl" || pe.Line == 0 {
				t.Errorf("error %T %v is not a ParseError naming the file and line", err, err)
			}
		})
	}
}

// TestValidateNamesTheRecord: Validate applies the same rules to a History in memory.
func TestValidateNamesTheRecord(t *testing.T) {
	h := sample()
	h.Statuses[0].Kind = "declared-faild"
	err := h.Validate()
	if err == nil || err.Error() != `status[0].kind: "declared-faild" is not a status kind; expected one of "declared-failed", "promoted", "expired"` {
		t.Errorf("Validate: %v", err)
	}
	h = sample()
	h.Meta.End = h.Meta.Start
	if err := h.Validate(); err == nil || !strings.HasPrefix(err.Error(), "meta.end: ") {
		t.Errorf("Validate: %v", err)
	}
	if err := sample().Validate(); err != nil {
		t.Errorf("the sample is valid: %v", err)
	}
}
