package history

import (
	"encoding/json"
	"unicode/utf8"
)

// topKey is one top-level member of a JSON object: its key (unescaped) and its raw value.
type topKey struct {
	name []byte // unescaped; aliases the line when the key has no escape
	val  []byte
	null bool
}

// scanTop walks the top level of the JSON object in b and appends its members to keys.
// It reports ok=false when b is not one object (the caller asks encoding/json why).
// Values are skipped, not checked: encoding/json decodes (and so checks) the whole line
// afterwards. It returns the value of the "type" member when that is a string.
func scanTop(b []byte, keys []topKey) (_ []topKey, typ string, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return keys, "", false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return keys, "", skipWS(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return keys, "", false
		}
		end, esc := skipString(b, i)
		if end < 0 {
			return keys, "", false
		}
		name, ok := unquote(b[i:end], esc)
		if !ok {
			return keys, "", false
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return keys, "", false
		}
		i = skipWS(b, i+1)
		vend := skipValue(b, i)
		if vend < 0 {
			return keys, "", false
		}
		val := b[i:vend]
		keys = append(keys, topKey{name: name, val: val, null: string(val) == "null"})
		if string(name) == "type" && val[0] == '"' {
			_, vesc := skipString(val, 0)
			t, _ := unquote(val, vesc)
			typ = string(t)
		}
		i = skipWS(b, vend)
		if i >= len(b) {
			return keys, "", false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return keys, typ, skipWS(b, i+1) == len(b)
		default:
			return keys, "", false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at b[i] (a quote), and
// whether it holds an escape; -1 when it does not end.
func skipString(b []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc
		}
	}
	return -1, esc
}

// skipValue returns the index just past the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		end, _ := skipString(b, i)
		return end
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, _ := skipString(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if j == i {
				return -1
			}
			return j
		}
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// unquote returns the text of a quoted JSON string, aliasing q when it has no escape;
// escapes (rare in keys) and invalid UTF-8 go through encoding/json.
func unquote(q []byte, esc bool) ([]byte, bool) {
	if s := q[1 : len(q)-1]; !esc && utf8.Valid(s) {
		return s, true
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}
