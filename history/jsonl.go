package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
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
		body := stripType(raw)
		var err error
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
	return h, nil
}

func typeList() string {
	t := []string{TypeMeta, TypeClaim, TypeWrite, TypeOp, TypeFault, TypeStatus, TypeUp}
	sort.Strings(t)
	return fmt.Sprintf("%q", t)
}

// stripType removes the "type" member so that strict decoding of the body can reject
// every other unknown field.
func stripType(raw []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return raw
	}
	delete(m, "type")
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}

func strict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
