package docs

import (
	"bytes"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leasesim/leasesim/history"
)

// TestStatusLeaseSchemaAndReaderAgree: an expired status names its lease (and may name
// its grant); the other kinds name neither. The schema and the reader accept and reject
// the same status lines.
func TestStatusLeaseSchemaAndReaderAgree(t *testing.T) {
	const meta = `{"type":"meta","scenario":"s","protocol":"etcd","seed":1,"start":0,"end":100,"holders":["A"],"issuers":["Q"]}`
	sch := compile(t, historySchema)
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","epoch":7}`, true},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0"}`, true},
		{`{"type":"status","issuer":"Q","node":"A","kind":"declared-failed","at":5}`, true},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":""}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","epoch":-1}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"declared-failed","at":5,"lease":"keys/A/0"}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"promoted","at":5,"epoch":3}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"declared-failed","at":5,"epoch":0}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"promoted","at":5,"lease":""}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","epoch":0}`, true},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","epoch":1.5}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","epoch":"7"}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":7}`, false},
		{`{"type":"status","issuer":"Q","node":"A","kind":"expired","at":5,"lease":"keys/A/0","lease_id":7}`, false},
		{`{"type":"status","node":"A","kind":"expired","at":5,"lease":"keys/A/0"}`, false},
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(c.line))
		if err != nil {
			t.Fatal(err)
		}
		schemaOK := sch.Validate(inst) == nil
		_, rerr := history.Read(bytes.NewReader([]byte(meta+"\n"+c.line+"\n")), "h.jsonl")
		if schemaOK != c.ok || (rerr == nil) != c.ok {
			t.Errorf("%s: schema accepts %v, reader error %v; want accepted %v by both", c.line, schemaOK, rerr, c.ok)
		}
	}
}
