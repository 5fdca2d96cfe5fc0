package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
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
	TypeMsg    = "msg"
	TypeClock  = "clock"
)

// Write writes h as JSON lines: the meta record first, then claims, writes, operations,
// faults, statuses, up intervals, clock pieces and messages, each in the order they are held. The output is
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
	for _, x := range h.Clocks {
		if err := emit(TypeClock, x); err != nil {
			return err
		}
	}
	for _, x := range h.Msgs {
		if err := emit(TypeMsg, x); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ParseError is an error in a JSON-lines history, naming the source, the line and, when
// the problem is one field, the field ("claim.lease").
type ParseError struct {
	Source string // file name, or "history" when unknown
	Line   int    // 1-based
	Field  string // "" when the problem is the whole line
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.Source, e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Msg)
}

// Read parses a JSON-lines history. source names the input in errors. The first record
// is the meta record (blank lines are skipped); every record has a known "type", each of
// its fields spelled exactly, given once, not null, and of its type (numbers as numbers);
// the fields without omitempty in their JSON tags are required; and every record follows
// the rules of Validate (times within meta's window, names among meta's nodes, known
// enumerations). Any breach is a *ParseError naming the line and field.
//
// Each line is decoded once: a scan of its top-level keys (exact names, duplicates,
// nulls, the type) and one encoding/json decode into the record's struct.
func Read(r io.Reader, source string) (*History, error) {
	if source == "" {
		source = "history"
	}
	h := &History{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	var n *nodes
	var keys []topKey
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		fail := func(field, format string, args ...any) error {
			return &ParseError{Source: source, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
		}
		var typ string
		var ok bool
		keys, typ, ok = scanTop(raw, keys[:0])
		if !ok {
			return nil, fail("", "%s", notAnObject(raw))
		}
		rt, known := recordTypes[typ]
		if !known {
			for _, k := range keys {
				if string(k.name) == "type" {
					if k.val[0] != '"' {
						return nil, fail("type", "expected a string, one of %s; got %s", typeList(), k.val)
					}
					return nil, fail("type", "unknown record type %q; expected one of %s", typ, typeList())
				}
			}
			return nil, fail("", `record has no "type"; expected one of %s`, typeList())
		}
		if typ != TypeMeta && n == nil {
			return nil, fail("", "%s %s record before the meta record; a history starts with its meta record", article(typ), typ)
		}
		if typ == TypeMeta && n != nil {
			return nil, fail("", "a second meta record; a history has exactly one, first")
		}
		if fe := rt.checkKeys(keys); fe != nil {
			return nil, fail(typ+"."+fe.field, "%s", fe.msg)
		}
		var fe *fieldError
		var err error
		switch typ {
		case TypeMeta:
			if err = json.Unmarshal(raw, &h.Meta); err == nil {
				n, fe = checkMeta(&h.Meta)
			}
		case TypeClaim:
			var c Claim
			if err = json.Unmarshal(raw, &c); err == nil {
				if fe = n.checkClaim(&c); fe == nil {
					h.Claims = append(h.Claims, c)
				}
			}
		case TypeWrite:
			var x Write
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkWrite(&x); fe == nil {
					h.Writes = append(h.Writes, x)
				}
			}
		case TypeOp:
			var x Op
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkOp(&x); fe == nil {
					h.Ops = append(h.Ops, x)
				}
			}
		case TypeFault:
			var x Fault
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkFault(&x); fe == nil {
					h.Faults = append(h.Faults, x)
				}
			}
		case TypeStatus:
			var x Status
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkStatus(&x); fe == nil {
					fe = statusKeysForKind(keys, x.Kind)
				}
				if fe == nil {
					h.Statuses = append(h.Statuses, x)
				}
			}
		case TypeUp:
			var x Up
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkUp(&x); fe == nil {
					h.Up = append(h.Up, x)
				}
			}
		case TypeMsg:
			var x Msg
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkMsg(&x); fe == nil {
					h.Msgs = append(h.Msgs, x)
				}
			}
		case TypeClock:
			var x ClockPiece
			if err = json.Unmarshal(raw, &x); err == nil {
				if fe = n.checkClock(&x); fe == nil {
					h.Clocks = append(h.Clocks, x)
				}
			}
		}
		if err != nil {
			field, msg := decodeError(err)
			if field != "" {
				field = typ + "." + field
			}
			return nil, fail(field, "%s", msg)
		}
		if fe != nil {
			return nil, fail(typ+"."+fe.field, "%s", fe.msg)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Source: source, Line: line + 1, Msg: err.Error()}
	}
	if n == nil {
		return nil, &ParseError{Source: source, Line: max(line, 1), Msg: `no "meta" record; a history starts with one`}
	}
	normalize(h)
	return h, nil
}

func typeList() string {
	t := []string{TypeMeta, TypeClaim, TypeWrite, TypeOp, TypeFault, TypeStatus, TypeUp, TypeMsg, TypeClock}
	sort.Strings(t)
	return fmt.Sprintf("%q", t)
}

// recordType is what Read knows of one record type: its fields by exact JSON name (an
// index each) and which of them are required (those without omitempty).
type recordType struct {
	name     string
	index    map[string]int
	fields   []string // by index
	required []bool
	kinds    []string // what each field holds, for "missing; expected …"
}

var recordTypes = map[string]*recordType{
	TypeMeta: newRecordType(TypeMeta, Meta{}), TypeClaim: newRecordType(TypeClaim, Claim{}),
	TypeWrite: newRecordType(TypeWrite, Write{}), TypeOp: newRecordType(TypeOp, Op{}),
	TypeFault: newRecordType(TypeFault, Fault{}), TypeStatus: newRecordType(TypeStatus, Status{}),
	TypeUp: newRecordType(TypeUp, Up{}), TypeMsg: newRecordType(TypeMsg, Msg{}),
	TypeClock: newRecordType(TypeClock, ClockPiece{}),
}

func newRecordType(name string, v any) *recordType {
	rt := &recordType{name: name, index: map[string]int{}}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		tag, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		rt.index[tag] = len(rt.fields)
		rt.fields = append(rt.fields, tag)
		rt.required = append(rt.required, !strings.Contains(opts, "omitempty"))
		rt.kinds = append(rt.kinds, describeType(t.Field(i).Type))
	}
	if len(rt.fields) > 63 {
		panic("history: record type " + name + " has more fields than a presence mask holds")
	}
	return rt
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int64:
		return "an integer"
	case reflect.Uint64:
		return "an integer >= 0"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of strings"
	case reflect.Map:
		return "an object of strings"
	}
	return t.String()
}

// checkKeys checks a record's keys: each a field of its type spelled exactly, given
// once and not null, and every required field present.
func (rt *recordType) checkKeys(keys []topKey) *fieldError {
	var seen uint64
	types := 0
	for _, k := range keys {
		if string(k.name) == "type" {
			if types++; types > 1 {
				return bad("type", "given twice; expected each field once")
			}
			continue
		}
		i, ok := rt.index[string(k.name)]
		if !ok {
			return bad(string(k.name), "unknown field; %s %s record has %s", article(rt.name), rt.name, strings.Join(rt.fields, ", "))
		}
		if seen&(1<<i) != 0 {
			return bad(string(k.name), "given twice; expected each field once")
		}
		seen |= 1 << i
		if k.null {
			return bad(string(k.name), "null; expected %s", rt.kinds[i])
		}
	}
	for i, req := range rt.required {
		if req && seen&(1<<i) == 0 {
			return bad(rt.fields[i], "missing; %s %s record requires %s (%s)", article(rt.name), rt.name, rt.fields[i], rt.kinds[i])
		}
	}
	return nil
}

// statusKeysForKind refuses a lease or epoch key on a status of another kind than
// "expired", even one with an empty or zero value, which decodes as if it were absent:
// only an expired status names a lease and its grant (checkStatus sees the decoded
// record, where a given zero and an absent field look alike).
func statusKeysForKind(keys []topKey, kind StatusKind) *fieldError {
	if kind == StatusExpired {
		return nil
	}
	for _, k := range keys {
		switch string(k.name) {
		case "lease":
			return bad("lease", "%s given with kind %q; only an %q status names a lease", k.val, kind, StatusExpired)
		case "epoch":
			return bad("epoch", "%s given with kind %q; only an %q status names a lease's grant", k.val, kind, StatusExpired)
		}
	}
	return nil
}

// decodeError turns an encoding/json error into a field and what was expected.
func decodeError(err error) (field, msg string) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := describeType(te.Type)
		if te.Type.Kind() == reflect.Int64 || te.Type.Kind() == reflect.Uint64 {
			want += fmt.Sprintf(" (%s)", te.Type)
		}
		return te.Field, fmt.Sprintf("expected %s, got a JSON %s", want, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "", fmt.Sprintf("not valid JSON: %v (at byte %d)", se, se.Offset)
	}
	return "", err.Error()
}

// notAnObject says why a line that scanTop rejected is not a JSON object.
func notAnObject(raw []byte) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		_, msg := decodeError(err)
		return "not a JSON object: " + msg
	}
	switch v.(type) {
	case map[string]any:
		return "not a JSON object this reader understands"
	case []any:
		return "not a JSON object: got a list; expected one record, {\"type\": ..., ...}"
	}
	return fmt.Sprintf("not a JSON object: got %s; expected one record, {\"type\": ..., ...}", raw)
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

// article is the indefinite article for a record type's name in an error ("an op
// record", "a claim record").
func article(name string) string {
	if name != "" && strings.ContainsRune("aeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}
