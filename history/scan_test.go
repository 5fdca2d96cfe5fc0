package history

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzScanTop checks the key scanner against encoding/json: on any line that
// encoding/json decodes as an object, scanTop finds the same keys in the same order
// (the sequence a token walk decodes, duplicates included) with the same nulls. It may
// accept a line whose values are not valid JSON: it skips values, and Read's decode of
// the line rejects those (FuzzRead).
func FuzzScanTop(f *testing.F) {
	for _, s := range []string{tMeta, tClaimA, tStatus, tOp, tFault, `{}`, ` { "a" : [1, {"b": "}"}], "c\"d": null } `,
		`{"\u0074ype":"up"}`, `{"a":1,}`, `{"a" 1}`, `[1]`, `"x"`, `{"a":"\xff"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = bytes.TrimSpace(b)
		keys, _, ok := scanTop(b, nil)
		if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
			return
		}
		if !ok {
			t.Fatalf("scanTop rejects the valid object %q", b)
		}
		// The top-level keys by encoding/json's tokenizer.
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.Token() // {
		var want []string
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, k.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
			if (string(skip) == "null") != keys[len(want)-1].null {
				t.Fatalf("key %q: null %v, scanTop says %v", k, string(skip) == "null", keys[len(want)-1].null)
			}
		}
		if len(want) != len(keys) {
			t.Fatalf("%q: keys %q, scanTop found %d", b, want, len(keys))
		}
		for i := range want {
			if want[i] != string(keys[i].name) {
				t.Fatalf("%q: key %d is %q, scanTop says %q", b, i, want[i], keys[i].name)
			}
		}
	})
}
