package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// Record types: the value of the "type" field of each JSON line.
const (
	TypeMeta   = "meta"
	TypeClaim  = "claim"
	TypeWrite  = "write"
	TypeOp     = "op"
	TypeFault  = "fault"
	TypeStatus = "status"
	TypeUp     = "up"
)

// Write writes h as JSON lines: the meta record first, then claims, writes, operations,
// faults, statuses and up intervals, each in the order they are held. The output is
// deterministic for a given History.
func (h *History) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	emit := func(typ string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		// Splice the type in front: {"type":"claim",...}.
		bw.WriteString(`{"type":"` + typ + `"`)
		if len(b) > 2 {
			bw.WriteByte(',')
		}
		bw.Write(b[1:])
		return bw.WriteByte('\n')
	}
	if err := emit(TypeMeta, h.Meta); err != nil {
		return err
	}
	for _, c := range h.Claims {
		if err := emit(TypeClaim, c); err != nil {
			return err
		}
	}
	for _, x := range h.Writes {
		if err := emit(TypeWrite, x); err != nil {
			return err
		}
	}
	for _, x := range h.Ops {
		if err := emit(TypeOp, x); err != nil {
			return err
		}
	}
	for _, x := range h.Faults {
		if err := emit(TypeFault, x); err != nil {
			return err
		}
	}
	for _, x := range h.Statuses {
		if err := emit(TypeStatus, x); err != nil {
			return err
		}
	}
	for _, x := range h.Up {
		if err := emit(TypeUp, x); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ParseError is an error in a JSON-lines history, naming the source and line.
type ParseError struct {
	Source string // file name, or "history" when unknown
	Line   int    // 1-based
	Msg    string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg) }

// Read parses a JSON-lines history. source names the input in errors. Unknown record
// types, unknown fields, a missing or repeated meta record and intervals that end before
// they start are errors naming the line; blank lines are skipped.
func Read(r io.Reader, source string) (*History, error) {
	if source == "" {
		source = "history"
	}
	h := &History{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line, metaSeen := 0, false
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		fail := func(format string, args ...any) error {
			return &ParseError{Source: source, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return nil, fail("not a JSON object: %v", err)
		}
		body, err := exactKeys(raw, head.Type)
		if err != nil {
			return nil, fail("%v", err)
		}
		switch head.Type {
		case TypeMeta:
			if metaSeen {
				return nil, fail("a second meta record; a history has exactly one")
			}
			metaSeen = true
			err = strict(body, &h.Meta)
		case TypeClaim:
			var c Claim
			if err = strict(body, &c); err == nil {
				if c.To < c.From {
					return nil, fail("claim of %q ends (to=%d) before it starts (from=%d)", c.Holder, c.To, c.From)
				}
				if c.Holder == "" {
					return nil, fail("claim has no holder")
				}
				h.Claims = append(h.Claims, c)
			}
		case TypeWrite:
			var x Write
			if err = strict(body, &x); err == nil {
				h.Writes = append(h.Writes, x)
			}
		case TypeOp:
			var x Op
			if err = strict(body, &x); err == nil {
				if x.Return < x.Call {
					return nil, fail("op %q of %q returns (return=%d) before its call (call=%d)", x.Method, x.Client, x.Return, x.Call)
				}
				h.Ops = append(h.Ops, x)
			}
		case TypeFault:
			var x Fault
			if err = strict(body, &x); err == nil {
				h.Faults = append(h.Faults, x)
			}
		case TypeStatus:
			var x Status
			if err = strict(body, &x); err == nil {
				h.Statuses = append(h.Statuses, x)
			}
		case TypeUp:
			var x Up
			if err = strict(body, &x); err == nil {
				if x.To < x.From {
					return nil, fail("up interval of %q ends before it starts", x.Holder)
				}
				h.Up = append(h.Up, x)
			}
		case "":
			return nil, fail(`record has no "type"; expected one of %s`, typeList())
		default:
			return nil, fail("unknown record type %q; expected one of %s", head.Type, typeList())
		}
		if err != nil {
			return nil, fail("%s record: %v", head.Type, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Source: source, Line: line + 1, Msg: err.Error()}
	}
	if !metaSeen {
		return nil, &ParseError{Source: source, Line: line, Msg: `no "meta" record; a history starts with one`}
	}
	normalize(h)
	return h, nil
}

func typeList() string {
	t := []string{TypeMeta, TypeClaim, TypeWrite, TypeOp, TypeFault, TypeStatus, TypeUp}
	sort.Strings(t)
	return fmt.Sprintf("%q", t)
}

// recordFields maps each record type to the exact JSON names of its fields.
var recordFields = map[string]map[string]bool{
	TypeMeta: fieldNames(Meta{}), TypeClaim: fieldNames(Claim{}), TypeWrite: fieldNames(Write{}),
	TypeOp: fieldNames(Op{}), TypeFault: fieldNames(Fault{}), TypeStatus: fieldNames(Status{}),
	TypeUp: fieldNames(Up{}),
}

func fieldNames(v any) map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[name] = true
	}
	return out
}

// exactKeys checks that every key of the record is a field of its type spelled exactly
// (encoding/json alone would accept "Holder" for "holder"), and returns the record
// without its "type" member for strict decoding.
func exactKeys(raw []byte, typ string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	delete(m, "type")
	if fields, ok := recordFields[typ]; ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !fields[k] {
				return nil, fmt.Errorf("%s record: unknown field %q", typ, k)
			}
		}
	}
	return json.Marshal(m)
}

// normalize makes empty collections nil, so that a history reads back equal to what
// was written (omitempty drops empty ones).
func normalize(h *History) {
	if len(h.Meta.Params) == 0 {
		h.Meta.Params = nil
	}
	if len(h.Meta.Holders) == 0 {
		h.Meta.Holders = nil
	}
	if len(h.Meta.Issuers) == 0 {
		h.Meta.Issuers = nil
	}
	for i := range h.Faults {
		if len(h.Faults[i].Nodes) == 0 {
			h.Faults[i].Nodes = nil
		}
	}
}

func strict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
